/**
 * Which of the paper's claims a geometry-timing run measures (Table 2's raw and heuristic-sort rows), in the
 * claims' own units, for the Claims view (convention: `summary.claims[<claim id>]`).
 *
 * Table 2 names no algorithm ("SciPy QHull / Chan's algorithm (unclear which)") and no n: we measure with
 * Chan's algorithm when the run has it (else the first algorithm) at the run's largest n, and say so in the note.
 */
import type { MethodSummary } from './run';

export interface ClaimValue {
  value: number;
  ci95: [number, number] | null;
  unit: string;
  note: string;
}

const TABLE2_DATASETS: Record<string, string> = { 'uniform-square': 'synthetic-high', parabolic: 'synthetic-parabolic' };
const TABLE2_METHODS: Record<string, string> = { raw: 'raw', 'heuristic-sort': 'heuristic-sort' };

const pair = (ci: [number | null, number | null]): [number, number] | null => (ci[0] !== null && ci[1] !== null ? [ci[0], ci[1]] : null);

export function table2Claims(cases: readonly MethodSummary[]): Record<string, ClaimValue> {
  const hull = cases.filter((c) => c.task === 'hull');
  if (hull.length === 0) return {};
  const algorithm = hull.some((c) => c.algorithm === 'chan') ? 'chan' : hull[0].algorithm;
  const out: Record<string, ClaimValue> = {};
  for (const [dataset, row] of Object.entries(TABLE2_DATASETS)) {
    const ofSet = hull.filter((c) => c.dataset === dataset && c.algorithm === algorithm);
    if (ofSet.length === 0) continue;
    const n = Math.max(...ofSet.map((c) => c.n));
    for (const c of ofSet.filter((x) => x.n === n)) {
      const method = TABLE2_METHODS[c.preprocess];
      if (!method) continue;
      const note = `${algorithm}, n = ${n}, ${c.seeds.length} seeds, this machine`;
      const id = `T2.${row}.${method}`;
      if (c.meanMs !== null) out[`${id}.runtime`] = { value: c.meanMs, ci95: pair(c.ci95Ms), unit: 'ms', note };
      if (method !== 'raw' && c.speedup !== null) out[`${id}.speedup`] = { value: c.speedup, ci95: pair(c.speedupCi95), unit: 'x', note };
      if (method !== 'raw' && c.hullErrorPct !== null) out[`${id}.hull-error`] = { value: c.hullErrorPct, ci95: null, unit: '%', note };
    }
  }
  return out;
}
