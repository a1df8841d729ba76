import { describe, expect, it } from 'vitest';
import type { MetricSeries } from '../../../../src-main/api/contract';
import { emaSmooth, filterKeys, groupKeys } from '../../../../src-main/figures/metric-analysis';
import { metricLineOption } from '../../../../src-main/figures/metric-line';

describe('emaSmooth (TensorBoard debiased EMA)', () => {
  it('matches the recurrence last = last·w + (1 − w)·v divided by 1 − w^k', () => {
    const v = [1, 2, 3, 4];
    const w = 0.6;
    let last = 0;
    const want = v.map((x, i) => ((last = last * w + (1 - w) * x), last / (1 - w ** (i + 1))));
    const got = emaSmooth(v, w);
    got.forEach((g, i) => expect(g!).toBeCloseTo(want[i], 12));
    // Debiased: the first point is the first value, not (1 − w)·v.
    expect(got[0]).toBe(1);
  });
  it('a constant stays constant, w = 0 is the identity, gaps stay gaps and do not count', () => {
    for (const x of emaSmooth([5, 5, 5, 5], 0.9)) expect(x!).toBeCloseTo(5, 12);
    expect(emaSmooth([1, 3, 2], 0)).toEqual([1, 3, 2]);
    const g = emaSmooth([1, null, NaN, 3], 0.5);
    expect(g[1]).toBeNull();
    expect(g[2]).toBeNull();
    expect(g[3]!).toBeCloseTo((0.5 * 0.5 * 1 + 0.5 * 3) / (1 - 0.25), 12);
  });
});

describe('filterKeys and groupKeys', () => {
  const keys = ['none/loss', 'entropy/loss', 'none/acc', 'entropy/acc', 'lr'];
  it('searches by words in any order or by /regex/', () => {
    expect(filterKeys(keys, 'loss')).toEqual(['none/loss', 'entropy/loss']);
    expect(filterKeys(keys, 'ACC entropy')).toEqual(['entropy/acc']);
    expect(filterKeys(keys, '/^none\\//')).toEqual(['none/loss', 'none/acc']);
    expect(filterKeys(keys, '/[/')).toEqual([]);
    expect(filterKeys(keys, '  ')).toEqual(keys);
  });
  it('groups by prefix, or overlays the methods of a run by the rest of the key', () => {
    const byPrefix = groupKeys(keys, 'prefix');
    expect(byPrefix.map((g) => g.name)).toEqual(['entropy', 'none', '']);
    expect(byPrefix[0].charts.map((c) => c.keys)).toEqual([['entropy/loss'], ['entropy/acc']]);
    const overlay = groupKeys(keys, 'overlay');
    const loss = overlay.flatMap((g) => g.charts).find((c) => c.title === 'loss')!;
    expect(loss.keys).toEqual(['none/loss', 'entropy/loss']);
    expect(loss.names).toEqual(['none', 'entropy']);
    expect(overlay.flatMap((g) => g.charts).find((c) => c.title === 'lr')!.keys).toEqual(['lr']);
  });
});

describe('metricLineOption analysis options', () => {
  const s: MetricSeries = { key: 'loss', downsampled: false, points: [1, 3, 2, 4].map((value, step) => ({ step, value })) };
  it('smoothing draws the raw series faint under the smoothed one, same name and colour', () => {
    const o = metricLineOption([s], { title: 'loss', smoothing: 0.5 });
    const lines = o.series as Array<{ name: string; data: Array<[number, number]>; lineStyle: { opacity?: number }; color: string; silent?: boolean }>;
    expect(lines).toHaveLength(2);
    expect(lines[0].lineStyle.opacity).toBe(0.25);
    expect(lines[0].silent).toBe(true);
    expect(lines[0].data.map((p) => p[1])).toEqual([1, 3, 2, 4]);
    expect(lines[1].data.map((p) => p[1])).toEqual(emaSmooth([1, 3, 2, 4], 0.5));
    expect(lines[0].name).toBe(lines[1].name);
    expect(lines[0].color).toBe(lines[1].color);
    expect((o.title as { subtext: string }).subtext).toMatch(/debiased EMA 0.5/);
  });
  it('a zoom fixes the x range; a single value is a labelled point on an axis around it', () => {
    const o = metricLineOption([s], { title: 'loss', xRange: [1, 2] });
    expect(o.xAxis).toMatchObject({ min: 1, max: 2 });
    const one = metricLineOption([{ key: 'acc', downsampled: false, points: [{ step: 0, value: 0.82 }] }], { title: 'acc' });
    const line = (one.series as Array<{ showSymbol: boolean; label?: { show: boolean } }>)[0];
    expect(line.showSymbol).toBe(true);
    expect(line.label?.show).toBe(true);
    const y = one.yAxis as { min: number; max: number };
    expect(y.min).toBeLessThan(0.82);
    expect(y.max).toBeGreaterThan(0.82);
    expect(y.max - y.min).toBeLessThan(0.5);
  });
});

describe('x as step, wall time or relative time', () => {
  const timed: MetricSeries = { key: 'loss', downsampled: false, points: [0, 1, 2].map((step) => ({ step, value: step, wallTime: 1000 + step * 500 })) };
  it('puts each point at its step, its wall time, or seconds since the first row', async () => {
    const { xValues } = await import('../../../../src-main/figures/metric-line');
    expect(xValues(timed, 'step')).toEqual([0, 1, 2]);
    expect(xValues(timed, 'wall')).toEqual([1000, 1500, 2000]);
    expect(xValues(timed, 'relative')).toEqual([0, 0.5, 1]);
    const o = metricLineOption([timed], { title: 'loss', x: 'relative' });
    expect((o.series as Array<{ data: number[][] }>)[0].data.map((p) => p[0])).toEqual([0, 0.5, 1]);
    expect(o.xAxis).toMatchObject({ name: 'time since the first row (s)' });
    expect(metricLineOption([timed], { title: 'loss', x: 'wall' }).xAxis).toMatchObject({ type: 'time' });
  });
});
