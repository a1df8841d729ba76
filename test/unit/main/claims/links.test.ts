/**
 * Walks every claim link every experiment kind can emit: the claim exists, the link's unit is the claim's, the
 * kind is listed as linking it (so an unmeasured claim reads "not run", not "no experiment"), and every claim
 * listed for a kind has a link there.
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../../src-main/claims/catalog';
import { LINKED } from '../../../../src-main/claims/unmeasured';
import { normUnit } from '../../../../src-main/claims/verdict';
import type { LinkSpec } from '../../../../src-worker/shared/claim-link';
import { LINKS as geometryTiming, table2Claims } from '../../../../src-worker/experiments/geometry-timing/claims';
import type { MethodSummary } from '../../../../src-worker/experiments/geometry-timing/run';
import { LINKS as entropyNet, entropyNetClaims } from '../../../../src-worker/experiments/entropynet-train/claims';
import { claimsReport } from '../../../../src-main/claims/measure';
import type { Run } from '../../../../src-main/api/contract';
import type { PipelineSummaryRow } from '../../../../src-worker/experiments/entropynet-train/pipeline';
import { LINKS as entropyValidation } from '../../../../src-worker/experiments/entropy-validation/claims';
import { LINKS as theoryChecks } from '../../../../src-worker/experiments/theory-checks/claims';
import { claimLinks, lemma2Link, type TableRow, type PruningRow } from '../../../../src-worker/experiments/attention-train/table';

const catalog = loadCatalog();
const claims = new Map(catalog.claims.map((c) => [c.id, c]));

/** attention-train's links depend on the run's rows: build them from a table that has every row and column. */
function attentionSpecs(): LinkSpec[] {
  const cell = { mean: 1, ci95: [0.9, 1.1] as [number, number], n: 3 };
  const cells = new Proxy({}, { get: () => cell }) as TableRow['cells'];
  const rowNames = ['none', 'top-b', 'l1', 'entropy-0.01', 'label-smoothing', 'fgsm-at'];
  const rows = rowNames.map((row) => ({ row, model: row, mode: 'block-sparse', seeds: 3, cells }) as unknown as TableRow);
  const pruning = ['none', 'entropy-0.01'].flatMap((model) =>
    (['dense', 'block-sparse'] as const).flatMap((base) => [0.5, 0.7, 0.8, 0.9].map((target) => ({ model, base, target, accuracy: cell, sparsity: cell }) as unknown as PruningRow)),
  );
  const links = claimLinks(rows, 'entropy-0.01', 0, pruning, { magnitude: 0.7, combined: 0.8 });
  const lemma = lemma2Link([{ rows: 10, violations: 0 }]);
  return [...links, ...(lemma ? [lemma] : [])].filter((l) => l.ours).map((l) => ({ claim: l.claim, unit: l.unit, quantity: l.quantity, portability: l.portability }));
}

const KINDS: Record<string, LinkSpec[]> = {
  'geometry-timing': [...geometryTiming],
  'entropynet-train': [...entropyNet],
  'entropy-validation': [...entropyValidation],
  'attention-train': attentionSpecs(),
  'theory-checks': [...theoryChecks],
};

describe('claim links', () => {
  for (const [kind, specs] of Object.entries(KINDS)) {
    it(`${kind}: every link names a catalogued claim, in the claim's unit, and is listed as linked`, () => {
      expect(specs.length).toBeGreaterThan(0);
      for (const s of specs) {
        const c = claims.get(s.claim);
        expect(c, `${kind} links ${s.claim}, which the catalogue lacks`).toBeDefined();
        expect(normUnit(s.unit), `${kind} → ${s.claim}: unit ${s.unit}, the claim's is ${c!.unit}`).toBe(normUnit(c!.unit));
        expect(LINKED[kind]?.test(s.claim), `${s.claim} is not listed for ${kind} in LINKED`).toBe(true);
        expect(s.quantity.length).toBeGreaterThan(3);
      }
    });
    it(`${kind}: every claim listed for it has a link`, () => {
      const have = new Set(specs.map((s) => s.claim));
      const listed = catalog.claims.filter((c) => LINKED[kind]?.test(c.id) && c.metric !== 'hyperparameter').map((c) => c.id);
      const missing = listed.filter((id) => !have.has(id) && !(kind === 'attention-train' && !claims.get(id)!.runnable_on_cpu_workstation));
      expect(missing).toEqual([]);
    });
  }
  it('absolute times, memory and throughput are declared machine-bound', () => {
    for (const s of Object.values(KINDS).flat()) if (['ms', 's', 'GB', 'img/s'].includes(s.unit)) expect(s.portability, s.claim).toBe('machine-bound');
  });
  it('an EntropyNet trained below Table 21\'s scale is a small-scale analogue; QuickDraw-like points are stand-in data', () => {
    const e = (mean: number) => ({ mean, ci95: [mean * 0.9, mean * 1.1] as [number, number], n: 5 });
    const row = (dataset: string): PipelineSummaryRow =>
      ({ dataset, n: 10_000, algorithm: 'chan', mode: 'entropynet', raw_ms: e(8), preprocess_ms: e(1), algorithm_ms: e(2), end_to_end_ms: e(3), end_to_end_speedup: e(4.2), algorithm_speedup: e(4.1), algorithm_warm_ms: e(2), hull_error_pct: e(0.1), hausdorff: e(0.001) }) as PipelineSummaryRow;
    const pipeline = [row('uniform-square'), row('quickdraw-like')];
    const verdictOf = (claims: object, id: string) =>
      claimsReport([{ id: 'r', name: 'r', kind: 'entropynet-train', status: 'done', endedAt: 1, summary: { claims } } as unknown as Run]).rows.find((r) => r.id === id)!;
    const quick = entropyNetClaims(pipeline, 'wasm', { n: 256, trainSets: 64, epochs: 20 });
    expect(quick['T2.synthetic-high.entropynet.speedup'].scale).toBe('small-scale');
    expect(verdictOf(quick, 'T2.synthetic-high.entropynet.speedup').verdict).toBe('analogue');
    const paper = entropyNetClaims(pipeline, 'wasm');
    expect(verdictOf(paper, 'T2.synthetic-high.entropynet.speedup').verdict).toBe('reproduced');
    expect(paper['T22.quickdraw-low.total-time'].dataset.kind).toBe('stand-in');
  });
  it('geometry-timing: Table 2 at n = 10^4 when the run has it, Table 23\'s raw baselines in seconds at their n', () => {
    const c = (task: string, n: number, preprocess: string, meanMs: number): MethodSummary =>
      ({ task, dataset: 'uniform-square', n, algorithm: 'chan', preprocess, seeds: [1, 2, 3], meanMs, ci95Ms: [meanMs * 0.9, meanMs * 1.1], speedup: preprocess === 'raw' ? null : 1.5, speedupCi95: [1.4, 1.6], hullErrorPct: 0 }) as unknown as MethodSummary;
    const links = table2Claims([c('hull', 1000, 'raw', 1), c('hull', 10_000, 'raw', 9), c('hull', 10_000, 'heuristic-sort', 6), c('hull', 1_000_000, 'raw', 1500), c('delaunay', 100_000, 'raw', 800)]);
    expect(links['T2.synthetic-high.raw.runtime'].n).toBe(10_000);
    // Every seed's hull error was 0 (a mean of non-negative errors): the CI is [0, 0], so 5 seeds can confirm Table 2's 0 %.
    expect(links['T2.synthetic-high.heuristic-sort.hull-error'].ci95).toEqual([0, 0]);
    expect(links['T23.hull.scipy.time'].value).toBeCloseTo(1.5, 10);
    expect(links['T23.hull.scipy.time'].ci95![1]).toBeCloseTo(1.65, 10);
    expect(links['T23.delaunay.scipy.time'].value).toBeCloseTo(0.8, 10);
    expect(Object.keys(links).filter((id) => /entropynet/.test(id))).toEqual([]);
  });
  it('geometry-timing: Table 23\'s EntropyNet rows from the moving preprocessor at 10^6 (Chan) and 10^5 (Delaunay), scale from the model\'s training', () => {
    const c = (task: string, n: number, preprocess: string, meanMs: number, algorithm = 'chan'): MethodSummary =>
      ({ task, dataset: 'uniform-square', n, algorithm, preprocess, seeds: [1, 2, 3], meanMs, ci95Ms: [meanMs * 0.9, meanMs * 1.1], speedup: preprocess === 'raw' ? 1 : 1.3, speedupCi95: [1.2, 1.4], hullErrorPct: 0.1 }) as unknown as MethodSummary;
    const cases = [
      c('hull', 1_000_000, 'raw', 1500),
      c('hull', 1_000_000, 'entropynet-exact:m1', 900),
      c('hull', 1_000_000, 'entropynet:m1', 1100, 'monotone'),
      c('hull', 1_000_000, 'entropynet:m1', 1200),
      c('delaunay', 100_000, 'raw', 800, 'delaunator'),
      c('delaunay', 100_000, 'entropynet:m1', 600, 'delaunator'),
    ];
    const small = table2Claims(cases, (id) => (id === 'm1' ? { n: 256, trainSets: 64, epochs: 20 } : null));
    expect(small['T23.hull.entropynet-chan.time'].value).toBeCloseTo(1.2, 10);
    expect(small['T23.hull.entropynet-chan.time'].portability).toBe('machine-bound');
    expect(small['T23.hull.entropynet-chan.speedup'].value).toBeCloseTo(1.3, 10);
    expect(small['T23.hull.entropynet-chan.speedup'].portability).toBe('portable');
    expect(small['T23.hull.entropynet-chan.speedup'].scale).toBe('small-scale');
    expect(small['T23.delaunay.entropynet-scipy.time'].value).toBeCloseTo(0.6, 10);
    expect(small['T23.delaunay.entropynet-scipy.speedup'].ci95).toEqual([1.2, 1.4]);
    const paper = table2Claims(cases, () => ({ n: 1024, trainSets: 1024, epochs: 200 }));
    expect(paper['T23.delaunay.entropynet-scipy.speedup'].scale).toBe('paper');
    // A Paper (CPU) model: Table 21's settings on less data is an analogue whose method names the data size.
    const cpu = table2Claims(cases, () => ({ n: 512, trainSets: 64, epochs: 200, changed: [] }))['T23.hull.entropynet-chan.speedup'];
    expect(cpu.scale).toBe('small-scale');
    expect(cpu.method).toMatch(/trained up to 200 epochs on 64 sets of 512 points; data size differs from the Paper preset's 1024 sets of 1024 points.*; Table 21's training settings otherwise \(run m1\) \+ chan/);
    expect(table2Claims(cases, () => ({ n: 512, trainSets: 64, epochs: 200, changed: [], epochsRun: 52 }))['T23.hull.entropynet-chan.time'].method).toMatch(/^EntropyNet trained 52 of 200 epochs \(early stop\) on 64 sets of 512 points/);
    // The paper's data size with a changed training setting is not the paper's model either.
    const changed = table2Claims(cases, () => ({ n: 1024, trainSets: 1024, epochs: 200, changed: ['λ: 0 (paper: 0.1)'] }))['T23.hull.entropynet-chan.time'];
    expect(changed.scale).toBe('small-scale');
    expect(changed.method).toMatch(/changed from Table 21: λ: 0 \(paper: 0\.1\)/);
    expect(changed.method).not.toMatch(/data size differs/);
    // A model.bin that records no training scale is not taken for the paper's.
    expect(table2Claims(cases)['T23.hull.entropynet-chan.speedup'].scale).toBe('small-scale');
    // Other sizes do not stand in for Table 23's.
    expect(Object.keys(table2Claims([c('hull', 10_000, 'entropynet:m1', 5)])).filter((id) => id.startsWith('T23.'))).toEqual([]);
  });
  it('a run with one training setting varied measures its row of Tables 15–17', () => {
    const e = (mean: number) => ({ mean, ci95: [mean * 0.9, mean * 1.1] as [number, number], n: 5 });
    const row = { dataset: 'uniform-square', n: 10_000, algorithm: 'chan', mode: 'entropynet', raw_ms: e(8), preprocess_ms: e(1), algorithm_ms: e(2), end_to_end_ms: e(3), end_to_end_speedup: e(4.2), algorithm_speedup: e(4.1), algorithm_warm_ms: e(2), hull_error_pct: e(0.1), hausdorff: e(0.0011) } as PipelineSummaryRow;
    const base = { surrogate: 'hDiff' as const, k: 32, learnAnchors: true, alphaStart: 10, alphaEnd: 5, lambda: 0.1, trainSeconds: 252 };
    const k32 = entropyNetClaims([row], 'wasm', undefined, base);
    expect(Object.keys(k32).filter((id) => /^T1[567]\./.test(id)).sort()).toEqual(['T16.k32.hull-error', 'T16.k32.speedup', 'T16.k32.train-time']);
    expect(k32['T16.k32.train-time'].value).toBeCloseTo(4.2, 10);
    // Tables 15 and 17 are at the paper's k = 16: a k = 32 run is not their "full method" or "ball" row.
    const k16 = entropyNetClaims([row], 'wasm', undefined, { ...base, k: 16 });
    expect(Object.keys(k16)).toEqual(expect.arrayContaining(['T16.k16.speedup', 'T17.full.hausdorff', 'T15.ball.speedup']));
    expect(k16['T17.full.hausdorff'].value).toBeCloseTo(1.1, 10);
    // App. C.1 from our own inputs: N = T / ((1 − 1/S) · t_raw) = 252 s / ((1 − 1/4.2) · 8 ms).
    expect(k32['T8.entropynet.break-even'].value).toBeCloseTo(252 / ((1 - 1 / 4.2) * 0.008), 6);
    expect(k32['T8.entropynet.break-even'].portability).toBe('machine-bound');
    const fixed = entropyNetClaims([row], 'wasm', undefined, { ...base, k: 16, learnAnchors: false });
    expect(Object.keys(fixed).filter((id) => /^T1[567]\./.test(id)).sort()).toEqual(['T17.fixed-anchors.hausdorff', 'T17.fixed-anchors.speedup']);
    const soft = entropyNetClaims([row], 'wasm', undefined, { ...base, surrogate: 'hSoft' });
    expect(Object.keys(soft).filter((id) => /^T1[567]\./.test(id)).sort()).toEqual(['T15.halfspace.hull-error', 'T15.halfspace.speedup']);
    const rect = entropyNetClaims([row], 'wasm', undefined, { ...base, surrogate: 'hRect' });
    expect(Object.keys(rect).filter((id) => /^T1[567]\./.test(id)).sort()).toEqual(['T15.rectangles.hull-error', 'T15.rectangles.speedup']);
    expect(rect['T15.rectangles.speedup'].value).toBeCloseTo(4.1, 10);
  });
});
