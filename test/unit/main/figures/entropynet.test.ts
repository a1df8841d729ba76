import { describe, expect, it } from 'vitest';
import { renderSvg } from '../../../../src-main/cli/figure';
import type { MetricSeries } from '../../../../src-main/api/contract';
import {
  TRAINING_GROUPS,
  beforeAfterBox,
  beforeAfterOption,
  entropyNetSummary,
  formatEstimate,
  formatSpeedup,
  groupSeries,
  hullRing,
  estimateOf,
  parseBeforeAfter,
  pipelineFromTimings,
  readEstimate,
  ringArea,
  speedupBarsOption,
  speedupVerdict,
  trainingCurvesOption,
} from '../../../../src-main/figures/entropynet';
import { countDataPoints } from '../../../../src-main/figures/metric-line';


const est = (mean: number | null, lo: number | null = mean, hi: number | null = mean, n = 3) => ({ mean, ci95: [lo, hi], n });

/** A pipeline row as run.ts stores it (JSON: NaN became null). */
function row(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    dataset: 'uniform-square', n: 10000, algorithm: 'chan', mode: 'entropynet',
    raw_ms: est(4, 3.5, 4.5), preprocess_ms: est(110, 100, 120), algorithm_ms: est(2, 1.8, 2.2), end_to_end_ms: est(112, 102, 122),
    end_to_end_speedup: est(0.036, 0.02, 0.053), algorithm_speedup: est(2.1, 1.6, 2.6), algorithm_warm_ms: est(1.9),
    hull_error_pct: est(28, 27.9, 28.2), hausdorff: est(0.05, 0.04, 0.06),
    ...over,
  };
}

const summary = {
  backend: 'wasm', params: 123456, k: 16, epochs_completed: 20, stopped_early: false, best_epoch: 17, train_time_s: 21.7,
  final_validation: { 'val/h_hard_nats': 2.1, 'val/margin': null },
  headline: { dataset: 'uniform-square', n: 10000, algorithm: 'chan', end_to_end_speedup: est(0.036, 0.02, 0.053), algorithm_speedup: est(2.1), hull_error_pct: est(28), exact_end_to_end_speedup: est(0.03), exact_all_match_raw: true },
  pipeline: [row(), row({ mode: 'entropynet-exact', end_to_end_speedup: est(0.03, null, null), hull_error_pct: est(0), certified_fraction: 1, all_match_raw: true, kept_fraction: est(0.2) }), { junk: 1 }],
  breakEven: { trainingSeconds: 21.7, speedup: 0.036, speedupCi95: [0.02, 0.053], rawSeconds: 0.004, note: 'measured' },
};

function series(key: string, values: Array<number | null>): MetricSeries {
  return { key, downsampled: false, points: values.map((value, step) => ({ step, value })) };
}

describe('entropynet summary', () => {
  it('reads the pipeline rows, the headline and the break-even inputs, skipping what it cannot read', () => {
    const s = entropyNetSummary(summary);
    expect(s.pipeline).toHaveLength(2);
    expect(s.pipeline[1].mode).toBe('entropynet-exact');
    expect(s.pipeline[1].certified_fraction).toBe(1);
    expect(s.pipeline[1].all_match_raw).toBe(true);
    expect(s.pipeline[1].end_to_end_speedup.ci95).toEqual([null, null]);
    expect(s.pipeline[0].certified_fraction).toBeNull();
    expect(s.headline?.end_to_end_speedup.mean).toBe(0.036);
    expect(s.breakEven?.speedupCi95).toEqual([0.02, 0.053]);
    expect(s.finalValidation['val/margin']).toBeNull();
    expect(entropyNetSummary(null).pipeline).toEqual([]);
    expect(readEstimate(2).mean).toBe(2);
    expect(readEstimate('x').mean).toBeNull();
  });
  it('says "slower" when the speedup is below 1, whatever its interval', () => {
    expect(formatSpeedup(readEstimate(est(0.03, 0.02, 0.05)))).toBe('0.03× — slower');
    expect(formatSpeedup(readEstimate(est(4.2, 3, 5)))).toBe('4.2× faster');
    expect(formatSpeedup(readEstimate(est(0.036649, 0.02, 0.05)))).toBe('0.0366× — slower');
    expect(speedupVerdict(readEstimate(est(1.01, 0.9, 1.1)))).toBe('even');
    expect(speedupVerdict(readEstimate(est(0.9, 0.5, 1.3)))).toBe('slower');
    expect(formatSpeedup(readEstimate(null))).toBe('–');
    expect(formatEstimate(readEstimate(est(2, 1, 3)), ' ms')).toBe('2 ms [1, 3]');
  });
});

describe('training curves', () => {
  const all = [
    series('train/loss', [3, 2, 1.5]),
    series('train/task_loss', [2, 1.5, 1.2]),
    series('val/h_hard_nats', [2.5, 2.2, 2.0]),
    series('val/structural_bits', [9, 8.5, 8]),
    series('val/margin', [0.01, 0.02, 0.03]),
    series('val/hull_error_pct', [null, null, null]),
  ];
  it('combines the keys of a group, with bits on a second axis beside nats', () => {
    const entropy = TRAINING_GROUPS.find((g) => g.id === 'entropy')!;
    expect(groupSeries(entropy, all).map((s) => s.spec.key)).toEqual(['val/h_hard_nats', 'val/structural_bits']);
    const opt = trainingCurvesOption(entropy, all, { regStartEpoch: 1, bestEpoch: 2 });
    expect(Array.isArray(opt.yAxis) && opt.yAxis.length).toBe(2);
    const ser = opt.series as Array<{ yAxisIndex: number; markLine?: { data: unknown[] } }>;
    expect(ser.map((s) => s.yAxisIndex)).toEqual([0, 1]);
    expect(ser[0].markLine?.data).toHaveLength(2);
    expect(renderSvg(opt)).toContain('<path');
  });
  it('leaves out a key with no finite value', () => {
    const hull = TRAINING_GROUPS.find((g) => g.id === 'hull')!;
    expect(groupSeries(hull, all)).toHaveLength(0);
    const loss = TRAINING_GROUPS.find((g) => g.id === 'loss')!;
    const opt = trainingCurvesOption(loss, all);
    expect(countDataPoints(opt)).toBe(6);
    expect(renderSvg(opt)).toContain('<path');
  });
});

describe('before / after (Fig. 10)', () => {
  const before = [0, 0, 1, 0, 1, 1, 0, 1, 0.5, 0.5];
  const after = [0.05, 0.05, 0.95, 0.05, 0.95, 0.95, 0.05, 0.95, 0.5, 0.5];
  const json = { dataset: 'uniform-square', n: 5, seed: 7, hullEncoding: 'indices into before / after', before, after, hullBefore: [0, 1, 2, 3], hullAfter: [0, 1, 2, 3] };
  it('reads hulls stored as indices (and as coordinates), and refuses indices out of range', () => {
    const d = parseBeforeAfter(json, { epoch: 3 })!;
    expect(d.hullBefore).toEqual(Uint32Array.from([0, 1, 2, 3]));
    expect(d.epoch).toBe(3);
    expect(hullRing(d.before, d.hullBefore)).toHaveLength(5);
    expect(ringArea(hullRing(d.before, d.hullBefore))).toBeCloseTo(1, 12);
    expect(ringArea(hullRing(d.after, d.hullAfter))).toBeCloseTo(0.81, 12);
    const coords = parseBeforeAfter({ ...json, hullEncoding: 'coordinates', hullBefore: [0, 0, 1, 0, 1, 1, 0, 1], hullAfter: [0.05, 0.05, 0.95, 0.05, 0.95, 0.95] })!;
    expect(coords.hullBefore).toEqual(Uint32Array.from([0, 1, 2, 3]));
    expect(coords.hullAfter).toEqual(Uint32Array.from([0, 1, 2]));
    expect(parseBeforeAfter({ ...json, hullBefore: [0, 9] })).toBeNull();
    expect(parseBeforeAfter({ ...json, after: [1, 2] })).toBeNull();
    expect(parseBeforeAfter(null)).toBeNull();
  });
  it('draws both hulls in each panel on one shared square box', () => {
    const d = parseBeforeAfter(json)!;
    const box = beforeAfterBox(d);
    expect(box.span).toBeGreaterThan(1);
    const opt = beforeAfterOption(d, 'after', { box });
    const ser = opt.series as Array<{ type: string; data: unknown[]; lineStyle?: { type: string } }>;
    expect(ser.map((s) => s.type)).toEqual(['scatter', 'line', 'line']);
    expect(ser[1].data).toHaveLength(5);
    expect(ser[2].lineStyle?.type).toBe('dashed');
    expect((opt.xAxis as { min: number }).min).toBe(box.minX);
    expect(String((opt.title as { subtext: string }).subtext)).toContain('area change 19%');
    expect(renderSvg(opt)).toContain('<path');
  });
});

describe('speedup bars', () => {
  it('draws end-to-end and algorithm-only per row with CI whiskers and a line at 1×, on a log axis', () => {
    const rows = entropyNetSummary(summary).pipeline;
    const opt = speedupBarsOption(rows);
    const ser = opt.series as Array<{ type: string; name: string; data: Array<{ value: number[] }>; markLine?: { data: Array<{ yAxis: number }> } }>;
    expect(ser).toHaveLength(3);
    expect(ser[0].data[0].value).toEqual([0, 0.036, 0.02, 0.053]);
    expect(ser[1].data[0].value[1]).toBe(2.1);
    expect(ser[2].markLine?.data[0].yAxis).toBe(1);
    const y = opt.yAxis as { type: string; min: number; max: number };
    expect(y.type).toBe('log');
    expect(y.min).toBeLessThanOrEqual(0.02);
    expect(y.max).toBeGreaterThanOrEqual(2.6);
    const svg = renderSvg(opt);
    expect(svg).toContain('<path');
    expect(svg).toContain('1×');
  });
  it('redraws a stored CI that reaches ≤ 0 in log space (delta method from its half-width), and says so', () => {
    const r = entropyNetSummary({ pipeline: [row({ end_to_end_speedup: est(0.5, -0.2, 1.2) })] }).pipeline;
    const opt = speedupBarsOption(r);
    const ser = opt.series as Array<{ data: Array<{ value: number[] }> }>;
    // half-width 0.7 on a mean of 0.5: h = 1.4 in log space.
    expect(ser[0].data[0].value[2]).toBeCloseTo(0.5 * Math.exp(-1.4), 12);
    expect(ser[0].data[0].value[3]).toBeCloseTo(0.5 * Math.exp(1.4), 12);
    expect((opt.title as { subtext: string }).subtext).toMatch(/shown in log space/);
    for (const logY of [true, false]) expect((speedupBarsOption(r, { logY }).series as Array<{ data: Array<{ value: number[] }> }>)[0].data[0].value[2]).toBeGreaterThan(0);
  });
});

describe('provisional pipeline rows from timings', () => {
  it('averages repeats per seed, then gives mean and CI over seeds', () => {
    const t = (preprocess: string, seed: number, ms: number, q: Record<string, number> = {}) => ({ dataset: 'uniform-square', n: 1000, algorithm: 'chan', preprocess, seed, ms, quality: q });
    const rows = pipelineFromTimings([
      t('raw', 1, 1), t('raw', 1, 3), t('raw', 2, 2),
      t('entropynet', 1, 10, { preprocess_ms: 9, algorithm_ms: 1, hull_error_pct: 5 }),
      t('entropynet', 2, 20, { preprocess_ms: 19, algorithm_ms: 1, hull_error_pct: 7 }),
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0].raw_ms.mean).toBe(2);
    // Speedups are ratios: the geometric mean of the per-seed ratios, with a log-space interval above 0.
    expect(rows[0].end_to_end_speedup.mean).toBeCloseTo(Math.sqrt((2 / 10) * (2 / 20)), 12);
    expect(rows[0].end_to_end_speedup.ci95[0]!).toBeGreaterThan(0);
    expect(rows[0].raw_ms.ci95[0] === null || rows[0].raw_ms.ci95[0] > 0).toBe(true);
    expect(rows[0].hull_error_pct.mean).toBe(6);
    // one degree of freedom: Student's t is the Cauchy distribution, t(0.975, 1) = tan(0.475π)
    // The t-interval 6 ∓ t(0.975, 1) would reach −6.7: a hull error's interval stops at 0.
    expect(rows[0].hull_error_pct.ci95[0]).toBe(0);
    expect(rows[0].hull_error_pct.ci95[1]).toBeCloseTo(6 + Math.tan(0.475 * Math.PI), 9);
    expect(estimateOf([1]).ci95).toEqual([null, null]);
  });
});
