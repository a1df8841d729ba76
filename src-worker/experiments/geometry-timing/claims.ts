/**
 * Which of the paper's claims a geometry-timing run measures (Table 2's raw and heuristic-sort rows), as
 * declared links (shared/claim-link.ts) in the claims' own units, for the Claims view (`summary.claims`).
 *
 * Table 2 names no algorithm ("SciPy QHull / Chan's algorithm (unclear which)") and no n: we measure with
 * Chan's algorithm when the run has it (else the first algorithm), at n = 10⁴ when the run has it (the n the
 * paper's own Table 16 points to), else at the run's largest n; the link states which.
 */
import { linkFrom, type ClaimLink, type LinkSpec } from '../../shared/claim-link';
import type { MethodSummary } from './run';
import { atPaperTrainingScale, PAPER_TRAINING, type TrainingScale } from '../entropynet-train/claims';

const TABLE2_DATASETS: Record<string, string> = { 'uniform-square': 'synthetic-high', parabolic: 'synthetic-parabolic' };
const TABLE2_METHODS: Record<string, string> = { raw: 'raw', 'heuristic-sort': 'heuristic-sort' };
const PAPER_N = 10_000;

/** Every link this kind can emit. */
export const LINKS: readonly LinkSpec[] = [
  { claim: 'T23.hull.scipy.time', quantity: 'raw hull time on 10^6 uniform points (our algorithm, not SciPy\'s QHull)', unit: 's', portability: 'machine-bound' },
  { claim: 'T23.delaunay.scipy.time', quantity: 'Delaunay triangulation time on 10^5 uniform points (our triangulator, not SciPy\'s)', unit: 's', portability: 'machine-bound' },
  { claim: 'T23.hull.entropynet-chan.time', quantity: 'EntropyNet (network included) + Chan hull time on 10^6 uniform points', unit: 's', portability: 'machine-bound' },
  { claim: 'T23.hull.entropynet-chan.speedup', quantity: 'raw Chan time / EntropyNet + Chan time on 10^6 uniform points, both timed in this run (the paper divides SciPy\'s time)', unit: 'x', portability: 'portable' },
  { claim: 'T23.delaunay.entropynet-scipy.time', quantity: 'EntropyNet (network included) + Delaunay time on 10^5 uniform points (our triangulator, not SciPy\'s)', unit: 's', portability: 'machine-bound' },
  { claim: 'T23.delaunay.entropynet-scipy.speedup', quantity: 'raw Delaunay time / EntropyNet + Delaunay time on 10^5 uniform points, both timed in this run', unit: 'x', portability: 'portable' },
  ...Object.values(TABLE2_DATASETS).flatMap((row) => [
  { claim: `T2.${row}.raw.runtime`, quantity: 'hull time on raw points', unit: 'ms', portability: 'machine-bound' as const },
  { claim: `T2.${row}.heuristic-sort.runtime`, quantity: 'hull time on heuristically sorted points (sort included)', unit: 'ms', portability: 'machine-bound' as const },
  { claim: `T2.${row}.heuristic-sort.speedup`, quantity: 'raw time / heuristic-sort time, both timed in this run', unit: 'x', portability: 'portable' as const },
  { claim: `T2.${row}.heuristic-sort.hull-error`, quantity: 'hull area error of the heuristic-sort output', unit: '%', portability: 'portable' as const },
  ]),
];
const spec = new Map(LINKS.map((l) => [l.claim, l]));

const pair = (ci: [number | null, number | null]): [number, number] | null => (ci[0] !== null && ci[1] !== null ? [ci[0], ci[1]] : null);

/** Table 23's baselines: raw hull at n = 10⁶ and raw Delaunay at n = 10⁵ on uniform points, in seconds. */
function table23Claims(cases: readonly MethodSummary[], out: Record<string, ClaimLink>): void {
  const pickRaw = (task: string, n: number): MethodSummary | null => {
    const rows = cases.filter((c) => c.task === task && c.n === n && c.dataset === 'uniform-square' && c.preprocess === 'raw' && c.meanMs !== null);
    return rows.find((c) => c.algorithm === 'chan') ?? rows[0] ?? null;
  };
  for (const [id, task, n] of [['T23.hull.scipy.time', 'hull', 1_000_000], ['T23.delaunay.scipy.time', 'delaunay', 100_000]] as const) {
    const c = pickRaw(task, n);
    const s = spec.get(id);
    if (!c || !s || c.meanMs === null) continue;
    const ci = pair(c.ci95Ms);
    out[id] = linkFrom(s, {
      value: c.meanMs / 1000,
      ci95: ci ? [ci[0] / 1000, ci[1] / 1000] : null,
      dataset: { name: 'uniform-square', kind: 'real' },
      n,
      method: c.algorithm,
      seeds: c.seeds.length,
      scale: 'paper',
      note: `${c.algorithm}, n = ${n}, ${c.seeds.length} seeds, this machine`,
    });
  }
}

/** How the model an `entropynet:<runId>` preprocessor reads was trained, as its model.bin records it. */
export interface ModelTraining extends TrainingScale {
  /** The paper's training settings (Table 21, G.7–G.14) the training changed; absent when the model does not say. */
  changed?: string[];
}

export type ModelScaleOf = (runId: string) => ModelTraining | null;

/**
 * The model's training in words, naming what differs from the paper's setting (data size, changed settings): a
 * Paper (CPU) model keeps Table 21's settings on less data, which is an analogue, never the paper's model.
 */
export function modelTrainingText(t: ModelTraining | null): { text: string; paper: boolean } {
  if (!t) return { text: 'EntropyNet of unrecorded training', paper: false };
  const atScale = atPaperTrainingScale(t);
  const ran = t.epochsRun === undefined ? `up to ${t.epochs} epochs` : t.epochsRun < t.epochs ? `${t.epochsRun} of ${t.epochs} epochs (early stop)` : `${t.epochs} epochs`;
  const parts = [`EntropyNet trained ${ran} on ${t.trainSets} sets of ${t.n} points`];
  if (!atScale) parts.push(`data size differs from the Paper preset's ${PAPER_TRAINING.trainSets} sets of ${PAPER_TRAINING.n} points over ${PAPER_TRAINING.epochs} epochs`);
  if (t.changed?.length) parts.push(`changed from Table 21: ${t.changed.join(', ')}`);
  else if (t.changed) parts.push('Table 21\'s training settings otherwise');
  return { text: parts.join('; '), paper: atScale && !t.changed?.length };
}

/**
 * Table 23's EntropyNet rows: the moving preprocessor (`entropynet:<runId>`, not exact mode) before Chan's hull
 * at n = 10⁶ and before Delaunay at 10⁵, uniform points; time in seconds and the speedup over raw in this run.
 */
function table23EntropyNetClaims(cases: readonly MethodSummary[], scaleOf: ModelScaleOf, out: Record<string, ClaimLink>): void {
  const rows = [['T23.hull.entropynet-chan', 'hull', 1_000_000, 'chan'], ['T23.delaunay.entropynet-scipy', 'delaunay', 100_000, null]] as const;
  for (const [id, task, n, algorithm] of rows) {
    const c = cases.find((x) => x.task === task && x.n === n && x.dataset === 'uniform-square' && x.preprocess.startsWith('entropynet:') && (algorithm === null || x.algorithm === algorithm));
    if (!c) continue;
    const modelRun = c.preprocess.slice('entropynet:'.length);
    const { text: trained, paper } = modelTrainingText(scaleOf(modelRun));
    const base = { dataset: { name: 'uniform-square', kind: 'real' as const }, n, method: `${trained} (run ${modelRun}) + ${c.algorithm}`, seeds: c.seeds.length, scale: paper ? ('paper' as const) : ('small-scale' as const) };
    const note = `${c.algorithm}, n = ${n}, ${c.seeds.length} seeds, network time included; ${trained}`;
    const time = spec.get(`${id}.time`);
    if (time && c.meanMs !== null) {
      const ci = pair(c.ci95Ms);
      out[`${id}.time`] = linkFrom(time, { ...base, value: c.meanMs / 1000, ci95: ci ? [ci[0] / 1000, ci[1] / 1000] : null, note: `${note}, this machine` });
    }
    const speedup = spec.get(`${id}.speedup`);
    if (speedup && c.speedup !== null && Number.isFinite(c.speedup)) out[`${id}.speedup`] = linkFrom(speedup, { ...base, value: c.speedup, ci95: pair(c.speedupCi95), note: `raw ${c.algorithm} / EntropyNet + ${c.algorithm}, geometric mean over seeds; ${note}` });
  }
}

export function table2Claims(cases: readonly MethodSummary[], scaleOf: ModelScaleOf = () => null): Record<string, ClaimLink> {
  const out: Record<string, ClaimLink> = {};
  table23Claims(cases, out);
  table23EntropyNetClaims(cases, scaleOf, out);
  const hull = cases.filter((c) => c.task === 'hull');
  if (hull.length === 0) return out;
  const algorithm = hull.some((c) => c.algorithm === 'chan') ? 'chan' : hull[0].algorithm;
  for (const [dataset, row] of Object.entries(TABLE2_DATASETS)) {
    const ofSet = hull.filter((c) => c.dataset === dataset && c.algorithm === algorithm);
    if (ofSet.length === 0) continue;
    const n = ofSet.some((c) => c.n === PAPER_N) ? PAPER_N : Math.max(...ofSet.map((c) => c.n));
    for (const c of ofSet.filter((x) => x.n === n)) {
      const method = TABLE2_METHODS[c.preprocess];
      if (!method) continue;
      const base = { dataset: { name: dataset, kind: 'real' as const }, n, method: `${algorithm}, ${c.preprocess}`, seeds: c.seeds.length, scale: 'paper' as const };
      const note = `${algorithm}, n = ${n}, ${c.seeds.length} seeds, this machine`;
      const put = (id: string, value: number | null, ci95: [number, number] | null): void => {
        const s = spec.get(id);
        if (s && value !== null && Number.isFinite(value)) out[id] = linkFrom(s, { ...base, value, ci95, note });
      };
      put(`T2.${row}.${method}.runtime`, c.meanMs, pair(c.ci95Ms));
      put(`T2.${row}.${method}.speedup`, c.speedup, pair(c.speedupCi95));
      // A mean of errors that cannot be negative is 0 only when every seed's is: its CI is [0, 0], not unknown.
      put(`T2.${row}.${method}.hull-error`, c.hullErrorPct, c.hullErrorPct === 0 ? [0, 0] : null);
    }
  }
  return out;
}
