/**
 * `der reproduce`: which presets measure which claims, how long each should take (from finished runs of the
 * same config on this database, else of the same kind), and running the plan through the job queue. A step
 * whose exact config already has a finished run is skipped, so an interrupted reproduction resumes.
 */
import type { JsonObject, Run } from '../api/contract';
import { experiments } from '../../src-worker/experiments/registry';
import { loadCatalog } from './catalog';
import { linksOf } from './measure';
import { LINKED } from './unmeasured';

export interface PlanStep {
  kind: string;
  preset: string;
  config: JsonObject;
  /** The claims this step measures (from an earlier run of it, else every claim its kind links). */
  claims: string[];
  estimateSeconds: number;
  estimateFrom: string;
  /** A finished run of the same config: the step is skipped. */
  doneBy: string | null;
}

export type PlanMode = 'quick' | 'full';

/** `claims`: for a sweep, which of its children's claims it measures (a sweep links none itself). */
const PLANS: Record<PlanMode, Array<{ kind: string; preset: string; guessSeconds: number; claims?: RegExp }>> = {
  quick: [
    { kind: 'theory-checks', preset: 'Quick', guessSeconds: 20 },
    { kind: 'geometry-timing', preset: 'Quick', guessSeconds: 60 },
    { kind: 'entropynet-train', preset: 'Quick', guessSeconds: 120 },
    { kind: 'entropy-validation', preset: 'Quick', guessSeconds: 120 },
    { kind: 'entropy-validation', preset: 'E.3 R² across training', guessSeconds: 120 },
  ],
  full: [
    { kind: 'theory-checks', preset: 'Full', guessSeconds: 120 },
    { kind: 'geometry-timing', preset: 'Paper Table 2 (geometry only)', guessSeconds: 900 },
    { kind: 'entropynet-train', preset: 'Paper', guessSeconds: 3600 },
    { kind: 'entropy-validation', preset: 'Fig. 2 margin vs error', guessSeconds: 1200 },
    { kind: 'entropy-validation', preset: 'E.3 R² across training', guessSeconds: 300 },
    { kind: 'attention-train', preset: 'Table 4/5 analogue', guessSeconds: 7200 },
    { kind: 'sweep', preset: 'Table 15 (estimator family)', guessSeconds: 600, claims: /^T15\./ },
    { kind: 'sweep', preset: 'Table 16 (anchors k)', guessSeconds: 1200, claims: /^T16\./ },
    { kind: 'sweep', preset: 'Table 17 (ablations)', guessSeconds: 1200, claims: /^T17\./ },
  ],
};

/** Key-order-independent JSON, so that a config read back from the database compares equal. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

const seconds = (r: Run): number | null => (r.startedAt !== null && r.endedAt !== null ? (r.endedAt - r.startedAt) / 1000 : null);
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)];

export function buildPlan(mode: PlanMode, runs: readonly Run[]): PlanStep[] {
  const catalog = loadCatalog();
  return PLANS[mode].map(({ kind, preset, guessSeconds, claims: sweepClaims }) => {
    const def = experiments.find((e) => e.kind === kind);
    if (!def || !(preset in def.presets)) throw new Error(`reproduce plan: ${kind} has no preset "${preset}"`);
    const config = def.configSchema.parse(def.presets[preset]) as JsonObject;
    const key = stableJson(config);
    // A run of an earlier build whose links declare no setting measured nothing that can be judged: redo it.
    const same = runs.filter((r) => r.kind === kind && r.status === 'done' && stableJson(r.config) === key && (!!sweepClaims || [...linksOf(r).values()].some((m) => m.declared)));
    const ofKind = runs.filter((r) => r.kind === kind && r.status === 'done');
    const times = same.map(seconds).filter((s): s is number => s !== null);
    const kindTimes = ofKind.map(seconds).filter((s): s is number => s !== null);
    const [estimateSeconds, estimateFrom] = times.length
      ? [median(times), `median of ${times.length} finished run${times.length === 1 ? '' : 's'} of this config`]
      : kindTimes.length
        ? [Math.max(guessSeconds, median(kindTimes)), `${kindTimes.length} finished ${kind} run${kindTimes.length === 1 ? '' : 's'} of other configs (the larger of theirs and the default)`]
        : [guessSeconds, 'default estimate (no finished run of this kind here)'];
    const measured = same.length ? [...linksOf(same[0]).keys()] : [];
    const linked = (id: string): boolean => (sweepClaims ? sweepClaims.test(id) && Object.values(LINKED).some((re) => re.test(id)) : !!LINKED[kind]?.test(id));
    const claims = measured.length ? measured : catalog.claims.filter((c) => linked(c.id) && c.metric !== 'hyperparameter').map((c) => c.id);
    return { kind, preset, config, claims, estimateSeconds, estimateFrom, doneBy: same[0]?.id ?? null };
  });
}

export function planText(plan: readonly PlanStep[]): string {
  const todo = plan.filter((s) => !s.doneBy);
  const lines = plan.map(
    (s, i) =>
      `${String(i + 1).padStart(2)}. ${s.kind} / ${s.preset}: ${s.doneBy ? `done (run ${s.doneBy}), skipped` : `~${Math.ceil(s.estimateSeconds / 60)} min (${s.estimateFrom})`}\n      measures ${s.claims.length} claim${s.claims.length === 1 ? '' : 's'}: ${s.claims.slice(0, 8).join(', ')}${s.claims.length > 8 ? ', …' : ''}`,
  );
  const total = todo.reduce((a, s) => a + s.estimateSeconds, 0);
  lines.push(`${todo.length} of ${plan.length} steps to run, about ${Math.ceil(total / 60)} min in all`);
  return lines.join('\n');
}
