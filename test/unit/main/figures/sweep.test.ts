import { describe, expect, it } from 'vitest';
import { renderSvg } from '../../../../src-main/cli/figure';
import {
  childLabel,
  childMetric,
  paramsFromConfig,
  sweepBarsOption,
  sweepDimensions,
  sweepHeatmapOption,
  sweepInfo,
  sweepLayout,
  sweepLineOption,
  sweepMetrics,
  sweepTradeoffOption,
  variantName,
  type SweepChild,
} from '../../../../src-main/figures/sweep';


/** CI = mean ∓ 20%, rounded so the fixtures compare exactly. */
const est = (mean: number, lo = Number((mean * 0.8).toPrecision(6)), hi = Number((mean * 1.2).toPrecision(6))) => ({ mean, ci95: [lo, hi], n: 3 });

function enetSummary(e2e: number, alg: number, err: number, h: number): Record<string, unknown> {
  return {
    headline: { end_to_end_speedup: est(e2e), algorithm_speedup: est(alg), hull_error_pct: est(err), exact_end_to_end_speedup: null },
    final_validation: { 'val/h_hard_nats': h, 'val/margin_p05': null },
    train_time_s: 12,
  };
}

const child = (runId: string, params: Record<string, unknown>, summary: Record<string, unknown> | null, status = 'done'): SweepChild => ({ runId, params, status, error: null, summary });

describe('sweep summary and layout', () => {
  it('reads a finished sweep, and the grid of a running one from its config', () => {
    const info = sweepInfo({ kind: 'entropynet-train', grid: { lambda: [0.01, 0.1] }, variants: [], done: 1, total: 2, children: [{ runId: 'a', params: { lambda: 0.01 }, status: 'done', error: null, summary: {} }, { bad: 1 }] });
    expect(info.children).toHaveLength(1);
    expect(info.done).toBe(1);
    const running = sweepInfo(null, { kind: 'selftest', grid: { steps: [10, 20] }, variants: [] });
    expect(running.kind).toBe('selftest');
    expect(running.grid).toEqual({ steps: [10, 20] });
    expect(running.children).toEqual([]);
  });
  it('picks heatmap for two varying dimensions, curve for one numeric key, bars for variants', () => {
    const fig5 = sweepDimensions({ grid: { k: [8, 16, 32] }, variants: [{ variant: 'alpha = 1', alphaStart: 1 }, { variant: 'alpha = 10', alphaStart: 10 }] });
    const l5 = sweepLayout(fig5);
    expect(l5.kind).toBe('heatmap');
    if (l5.kind === 'heatmap') expect([l5.x.key, l5.y.key]).toEqual(['k', 'variant']);
    const fig6 = sweepLayout(sweepDimensions({ grid: { lambda: [0.01, 0.1, 1] }, variants: [] }));
    expect(fig6.kind === 'curve' && fig6.dim.numeric).toBe(true);
    expect(sweepLayout(sweepDimensions({ grid: {}, variants: [{ variant: 'full' }, { variant: 'fixed', learnAnchors: false }] })).kind).toBe('bars');
    expect(sweepLayout(sweepDimensions({ grid: { surrogate: ['hDiff', 'hSoft'] }, variants: [] })).kind).toBe('bars');
    expect(sweepLayout(sweepDimensions({ grid: { a: [1, 2], b: [1, 2], c: [1, 2] }, variants: [] })).kind).toBe('children');
    expect(variantName({ lambda: 1 })).toBe('lambda=1');
  });
  it('recovers a child’s grid point from its config, preferring the most specific variant', () => {
    const variants = [{ variant: 'full' }, { variant: 'fixed anchors', learnAnchors: false }];
    expect(paramsFromConfig({ learnAnchors: false, k: 8, fit: { steps: 3 } }, { k: [8], 'fit.steps': [3] }, variants)).toEqual({ variant: 'fixed anchors', learnAnchors: false, k: 8, 'fit.steps': 3 });
    expect(paramsFromConfig({ learnAnchors: true }, {}, variants)).toEqual({ variant: 'full' });
  });
  it('reads entropynet headline and final-validation numbers, and top-level numbers of other kinds', () => {
    const s = enetSummary(0.05, 2, 20, 1.9);
    expect(childMetric('entropynet-train', s, 'end_to_end_speedup')?.ci95).toEqual([0.04, 0.06]);
    expect(childMetric('entropynet-train', s, 'val/h_hard_nats')?.mean).toBe(1.9);
    expect(childMetric('entropynet-train', s, 'val/margin_p05')).toBeNull();
    expect(childMetric('entropynet-train', s, 'exact_end_to_end_speedup')).toBeNull();
    const keys = sweepMetrics('entropynet-train', [child('a', {}, s)]).map((m) => m.key);
    expect(keys).toContain('end_to_end_speedup');
    expect(keys).not.toContain('val/margin_p05');
    expect(sweepMetrics('selftest', [child('a', {}, { loss: 0.3, name: 'x', nested: { a: 1 } })]).map((m) => m.key)).toEqual(['loss']);
  });
});

describe('sweep figures', () => {
  it('heatmap: one cell per child, a blank for a child without a value', () => {
    const info = { grid: { k: [8, 16] }, variants: [{ variant: 'alpha = 1' }, { variant: 'alpha = 10' }] };
    const dims = sweepDimensions(info);
    const children = [
      child('a', { variant: 'alpha = 1', k: 8 }, enetSummary(0.04, 2, 20, 2)),
      child('b', { variant: 'alpha = 1', k: 16 }, enetSummary(0.05, 2.5, 22, 2.1)),
      child('c', { variant: 'alpha = 10', k: 8 }, enetSummary(0.03, 1.5, 18, 1.8)),
      child('d', { variant: 'alpha = 10', k: 16 }, null, 'failed'),
    ];
    const l = sweepLayout(dims);
    if (l.kind !== 'heatmap') throw new Error('expected a heatmap');
    const metric = sweepMetrics('entropynet-train', children).find((m) => m.key === 'algorithm_speedup')!;
    const opt = sweepHeatmapOption('entropynet-train', children, l.x, l.y, metric);
    const data = (opt.series as Array<{ data: Array<{ value: [number, number, number | string] }> }>)[0].data;
    expect(data.map((d) => d.value)).toEqual([[0, 0, 2], [1, 0, 2.5], [0, 1, 1.5], [1, 1, '-']]);
    expect(childLabel(children[1], dims)).toBe('alpha = 1 · k=16');
    expect(renderSvg(opt)).toContain('<path');
  });
  it('trade-off: hull error against both speedups, points labelled with λ, whiskers, 1× line', () => {
    const dim = sweepDimensions({ grid: { lambda: [1, 0.01, 0.1] }, variants: [] })[0];
    const children = [
      child('a', { lambda: 1 }, enetSummary(0.02, 3, 35, 1)),
      child('b', { lambda: 0.01 }, enetSummary(0.05, 1.2, 5, 2.5)),
      child('c', { lambda: 0.1 }, enetSummary(0.04, 2, 20, 2)),
    ];
    const opt = sweepTradeoffOption('entropynet-train', children, dim);
    const ser = opt.series as Array<{ type: string; data: Array<{ value: number[]; label?: { formatter: string } } | number[]>; markLine?: unknown }>;
    expect(ser.map((s) => s.type)).toEqual(['line', 'custom', 'line', 'custom']);
    const line = ser[0].data as Array<{ value: number[]; label: { formatter: string } }>;
    expect(line.map((d) => d.label.formatter)).toEqual(['lambda=0.01', 'lambda=0.1', 'lambda=1']);
    expect(line[0].value).toEqual([5, 0.05]);
    expect(ser[1].data[0]).toEqual([5, 0.05, 4, 6, 0.04, 0.06]);
    expect(ser[0].markLine).toBeDefined();
    expect((opt.yAxis as { type: string }).type).toBe('log');
    expect(renderSvg(opt)).toContain('<path');
    const lineOpt = sweepLineOption('entropynet-train', children, dim, sweepMetrics('entropynet-train', children)[0]);
    expect((lineOpt.xAxis as { type: string }).type).toBe('log');
    expect(renderSvg(lineOpt)).toContain('<path');
  });
  it('bars: one per variant with whiskers; red below 1× for a speedup', () => {
    const dims = sweepDimensions({ grid: {}, variants: [{ variant: 'full' }, { variant: 'alpha = 1', alphaStart: 1 }] });
    const children = [child('a', { variant: 'full' }, enetSummary(0.05, 2, 20, 2)), child('b', { variant: 'alpha = 1', alphaStart: 1 }, enetSummary(0.04, 1.5, 25, 2.2))];
    const metric = sweepMetrics('entropynet-train', children).find((m) => m.key === 'hull_error_pct')!;
    const opt = sweepBarsOption('entropynet-train', children, dims[0], metric);
    const data = (opt.series as Array<{ data: Array<{ value: number[] }> }>)[0].data;
    expect(data.map((d) => d.value[1])).toEqual([20, 25]);
    expect(renderSvg(opt)).toContain('<path');
    const speed = sweepMetrics('entropynet-train', children)[0];
    const all = sweepBarsOption('entropynet-train', children, null, speed, { dims });
    expect((all.xAxis as { data: string[] }).data).toEqual(['full', 'alpha = 1']);
    expect(renderSvg(all)).toMatch(/<path|<rect/);
  });
});
