/**
 * Our measurements of the paper's claims, taken from finished runs. Convention: an experiment that measures a
 * claim puts it in its summary under `claims` — `{ "<claim id>": { value, ci95, unit, note } }` in the claim's
 * own unit — so this file knows no experiment's internals. Which run a claim is read from: see measurementsFrom.
 */
import type { ClaimRow, ClaimsReport, Run } from '../api/contract';
import { loadCatalog, type Catalog } from './catalog';
import { verdictFor, type Measurement } from './verdict';

interface SummaryClaim {
  value: number;
  ci95?: [number, number] | null;
  unit: string;
  note?: string;
}

/**
 * The list form some experiments write: `[{claim, unit, ours: {mean, ci95} | null, note}]`. ci95 is [lo, hi];
 * attention runs of earlier builds wrote the half-width as a number (read as mean ± h).
 */
interface ListedClaim {
  claim: string;
  unit: string;
  ours: { mean: number; ci95: [number, number] | number | null } | null;
  note?: string;
}

function interval(mean: number, ci: [number, number] | number | null | undefined): [number, number] | null {
  if (Array.isArray(ci)) return ci;
  return typeof ci === 'number' && Number.isFinite(ci) ? [mean - ci, mean + ci] : null;
}

function claimsOf(run: Run): Record<string, SummaryClaim> {
  const c = run.summary?.claims;
  if (Array.isArray(c)) {
    const out: Record<string, SummaryClaim> = {};
    for (const x of c as ListedClaim[]) if (x && typeof x.claim === 'string' && x.ours) out[x.claim] = { value: x.ours.mean, ci95: interval(x.ours.mean, x.ours.ci95), unit: x.unit, note: x.note };
    return out;
  }
  return c && typeof c === 'object' ? (c as Record<string, SummaryClaim>) : {};
}

/** The table or section a claim id belongs to ("T27.der.mce" → "T27"). */
const groupOf = (id: string): string => id.split('.')[0];

/**
 * For each claim, the run whose measurement is shown: among finished runs that measured it, the one that
 * measured the most claims of the same table (so a table's rows come from one run and compare, e.g. Table 27's
 * rows all from the robustness preset, not its baseline from another preset's run), the newest on a tie.
 */
export function measurementsFrom(runs: readonly Run[]): Map<string, Measurement> {
  const out = new Map<string, Measurement>();
  const newestFirst = [...runs].filter((r) => r.status === 'done').sort((a, b) => (b.endedAt ?? 0) - (a.endedAt ?? 0));
  const measured = newestFirst.map((run) => {
    const claims = Object.entries(claimsOf(run)).filter(([, m]) => typeof m?.value === 'number' && Number.isFinite(m.value));
    const perGroup = new Map<string, number>();
    for (const [id] of claims) perGroup.set(groupOf(id), (perGroup.get(groupOf(id)) ?? 0) + 1);
    return { run, claims, perGroup };
  });
  const best = new Map<string, { count: number; rank: number }>();
  measured.forEach(({ claims, perGroup }, rank) => {
    for (const [id] of claims) {
      const count = perGroup.get(groupOf(id)) ?? 0;
      const cur = best.get(id);
      if (!cur || count > cur.count) best.set(id, { count, rank });
    }
  });
  for (const [rank, { run, claims }] of measured.entries()) {
    for (const [id, m] of claims) {
      if (best.get(id)?.rank !== rank) continue;
      out.set(id, {
        value: m.value,
        ci95: Array.isArray(m.ci95) && m.ci95.length === 2 ? [m.ci95[0], m.ci95[1]] : null,
        unit: String(m.unit ?? ''),
        runId: run.id,
        runName: run.name,
        note: m.note,
        // A run whose summary says it is an analogue (attention-train: tiny ViT for ViT-B/ImageNet) is never judged.
        analogue: typeof run.summary?.analogue === 'string' || undefined,
      });
    }
  }
  return out;
}

/** Claims whose method this workbench does not implement, and why: their rows say so instead of "not run". */
const NOT_BUILT: Array<{ match: RegExp; reason: string }> = [
  { match: /(^|\.)neuralsort(\.|$)/, reason: 'the NeuralSort baseline (Grover et al. 2019) is not built in this workbench' },
];

export function claimsReport(runs: readonly Run[], catalog: Catalog = loadCatalog()): ClaimsReport {
  const measured = measurementsFrom(runs);
  const rows: ClaimRow[] = catalog.claims.map((c) => {
    const ours = measured.get(c.id) ?? (c.duplicate_of ? measured.get(c.duplicate_of) ?? null : null);
    const notBuilt = ours ? undefined : NOT_BUILT.find((n) => n.match.test(c.id));
    const { verdict, reason } = notBuilt ? { verdict: 'not run' as const, reason: notBuilt.reason } : verdictFor(c, ours);
    return {
      id: c.id,
      pillar: c.pillar,
      where: c.where,
      metric: c.metric,
      quote: c.quote,
      setting: c.setting ?? {},
      paper: { value: c.value, valueText: c.value_text ?? null, unit: c.unit, range: c.range ?? null, plusMinus: c.plus_minus ?? null, plusMinusKind: c.plus_minus_kind ?? null, direction: c.direction },
      runnable: c.runnable_on_cpu_workstation,
      duplicateOf: c.duplicate_of ?? null,
      notes: c.notes ?? null,
      ours,
      verdict,
      verdictReason: reason,
    };
  });
  return { title: catalog.title, rows, inconsistencies: catalog.inconsistencies };
}
