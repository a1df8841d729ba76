/**
 * Which machine measured a run, and which quantities depend on it. Times, speedups computed from times and
 * throughputs are properties of the machine that measured them: runs of different machines (cluster agents,
 * src-main/cluster) must never be pooled into one mean and CI. Errors, accuracies, entropies and counts are
 * portable and may pool. Pure (no DOM, no Node).
 */
import { MACHINE_BOUND_UNITS } from '../../src-worker/shared/claim-units';

export interface Machine {
  /** Stable identity: runs with the same id were measured on the same machine. */
  id: string;
  /** What a legend or a note shows. */
  label: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The machine of a run from its recorded `host`: the agent's label when a cluster agent ran it, else hostname
 * and CPU. The queue spreads the workbench's own host fields into a remote run's host, so the agent's fields
 * take precedence over the top-level ones. An agent left at its default label (its hostname) is identified like
 * a local run on that machine, so local and agent runs of one machine still pool.
 */
export function machineOf(host: Record<string, unknown> | null | undefined): Machine {
  const h = host ?? {};
  const agent = isObj(h.agent) ? h.agent : null;
  const hostname = str(agent?.hostname) || str(h.hostname);
  const cpu = str(agent?.cpu) || str(h.cpu);
  const label = str(agent?.label);
  if (label && label !== hostname) return { id: `agent:${label}`, label };
  if (!hostname && !cpu) return { id: 'unknown', label: 'unknown machine' };
  const name = hostname || 'unknown host';
  return { id: `host:${name}\u0000${cpu}`, label: cpu ? `${name} (${cpu})` : name };
}

const BOUND_WORDS = new Set([
  'ms', 'us', 'ns', 'sec', 'secs', 'seconds', 'time', 'times', 'timing', 'timings', 'speedup', 'speedups',
  'throughput', 'latency', 'elapsed', 'duration', 'wall', 'wallclock', 'fps', 'runtime',
]);

/** Words of a key: split at non-alphanumerics and camelCase boundaries, lower case ("algoTimeMs" → algo, time, ms). */
function words(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/**
 * True when a quantity depends on the machine that measured it: its unit is a time, a memory size or a rate
 * (the claim links' own list), or its key names a time, a speedup or a throughput ("time_ms",
 * "end_to_end_speedup", "images/s"). Unknown keys count as portable.
 */
export function isMachineBound(key: string, unit?: string | null): boolean {
  if (unit && MACHINE_BOUND_UNITS.has(unit.trim())) return true;
  const w = words(key);
  if (w.some((x) => BOUND_WORDS.has(x))) return true;
  // A rate written as "x/s" or "x_per_s".
  return w.length > 1 && w[w.length - 1] === 's' && (/\/s$/.test(key) || w[w.length - 2] === 'per');
}

export interface MachineSplit<G> {
  groups: G[];
  /** Shown with the view when a group was split: why there are several bands or rows for one config. */
  note: string | null;
}

/**
 * Splits each group of runs by machine when the quantity is machine-bound, so no mean or CI mixes machines.
 * Labels name the machine only when the runs span more than one; a portable quantity keeps its groups.
 */
export function splitByMachine<R extends { host?: Record<string, unknown> | null }>(
  groups: ReadonlyArray<{ label: string; runs: R[] }>,
  machineBound: boolean,
): MachineSplit<{ label: string; runs: R[] }> {
  if (!machineBound) return { groups: groups.map((g) => ({ label: g.label, runs: g.runs })), note: null };
  const all = new Map<string, Machine>();
  for (const g of groups) for (const r of g.runs) {
    const m = machineOf(r.host);
    all.set(m.id, m);
  }
  if (all.size <= 1) return { groups: groups.map((g) => ({ label: g.label, runs: g.runs })), note: null };
  const out: Array<{ label: string; runs: R[] }> = [];
  for (const g of groups) {
    const byMachine = new Map<string, { machine: Machine; runs: R[] }>();
    for (const r of g.runs) {
      const m = machineOf(r.host);
      let b = byMachine.get(m.id);
      if (!b) byMachine.set(m.id, (b = { machine: m, runs: [] }));
      b.runs.push(r);
    }
    for (const b of byMachine.values()) {
      out.push({ label: g.label === 'all runs' ? `on ${b.machine.label}` : `${g.label} · on ${b.machine.label}`, runs: b.runs });
    }
  }
  return {
    groups: out,
    note: `Timings from ${all.size} machines: one band per machine, never pooled into one CI.`,
  };
}

/**
 * For views that show one point per run (a sweep's children): a note naming the machines when a machine-bound
 * value was measured on more than one, so points of different machines are not read as one series; else null.
 */
export function machinesNote(hosts: ReadonlyArray<Record<string, unknown> | null | undefined>, machineBound: boolean): string | null {
  if (!machineBound) return null;
  const labels = new Map<string, string>();
  for (const h of hosts) {
    const m = machineOf(h);
    labels.set(m.id, m.label);
  }
  if (labels.size <= 1) return null;
  return `Measured on ${labels.size} machines (${[...labels.values()].join(', ')}): these times are not comparable across machines.`;
}
