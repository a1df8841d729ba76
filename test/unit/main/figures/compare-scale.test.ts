import { describe, expect, it } from 'vitest';
import type { MetricSeries } from '../../../../src-main/api/contract';
import { escapeText, groupRuns, meanBand, numberAt, numericVaryingKeys, parallelOption, scatterOption, seedBandOption } from '../../../../src-main/figures/compare-scale';

const run = (id: string, config: Record<string, unknown>, summary: Record<string, unknown> | null = null) => ({ id, config, summary });
const series = (key: string, values: Array<number | null>): MetricSeries => ({ key, downsampled: false, points: values.map((value, step) => ({ step, value })) });

describe('groupRuns', () => {
  it('groups by config without the seed and labels groups by the keys that differ', () => {
    const runs = [run('a', { lambda: 0.1, seed: 1, n: 100 }), run('b', { lambda: 0.1, seed: 2, n: 100 }), run('c', { lambda: 0.5, seed: 1, n: 100 })];
    const g = groupRuns(runs);
    expect(g.map((x) => [x.label, x.runs.map((r) => r.id)])).toEqual([
      ['lambda=0.1', ['a', 'b']],
      ['lambda=0.5', ['c']],
    ]);
    expect(groupRuns(runs, [])).toHaveLength(3);
    expect(groupRuns([run('a', { seed: 1 }), run('b', { seed: 2 })])[0].label).toBe('all runs');
  });
});

describe('meanBand', () => {
  it('is the mean with a Student-t 95% interval at each step, none with one run', () => {
    const band = meanBand([series('loss', [1, 2, 5]), series('loss', [3, 4]), series('loss', [2, null])]);
    expect(band[0].mean).toBeCloseTo(2, 12);
    expect(band[0].n).toBe(3);
    // sd = 1, t(0.975, 2) = 4.302652729…, half-width = 4.3027/√3
    expect(band[0].hi! - band[0].mean).toBeCloseTo(4.302652729911275 / Math.sqrt(3), 9);
    expect(band[1]).toMatchObject({ step: 1, mean: 3, n: 2 });
    expect(band[2]).toEqual({ step: 2, mean: 5, lo: null, hi: null, n: 1 });
  });

  it('draws a mean line and a shaded band per group', () => {
    const o = seedBandOption([{ label: 'lambda=0.1', series: [series('loss', [1, 2]), series('loss', [3, 4])] }], { key: 'loss' });
    const s = o.series as Array<{ data: Array<[number, number | null]>; areaStyle?: unknown; stack?: string }>;
    expect(s).toHaveLength(3);
    expect(s[0].data).toEqual([[0, 2], [1, 3]]);
    expect(s[2].areaStyle).toBeDefined();
    expect(s[1].stack).toBe(s[2].stack);
    const width = s[2].data[0][1]!;
    expect(s[1].data[0][1]! + width / 2).toBeCloseTo(2, 12);
  });
});

describe('scatter and parallel coordinates', () => {
  it('finds numeric keys that vary, reads dotted paths, and escapes names in tooltips', () => {
    const runs = [run('a', { lr: 0.1, opt: { m: 0.9 }, steps: 5 }, { loss: 1 }), run('b', { lr: 0.2, opt: { m: 0.5 }, steps: 5 }, { loss: 0.5 })];
    expect(numericVaryingKeys(runs)).toEqual({ config: ['lr', 'opt.m'], summary: ['loss'] });
    expect(numberAt(runs[0].config, 'opt.m')).toBe(0.9);
    expect(numberAt(runs[0].config, 'nope')).toBeNull();
    const o = scatterOption([{ label: '<img src=x>', x: 0.1, y: 1 }], { xName: 'lr', yName: 'loss' });
    const fmt = (o.tooltip as { formatter: (p: unknown) => string }).formatter;
    expect(fmt({ data: { name: '<img src=x>', value: [0.1, 1] } })).not.toContain('<img');
    expect(escapeText('<b>"x"</b>')).toBe('&#60;b&#62;&#34;x&#34;&#60;/b&#62;');
    const p = parallelOption([{ label: 'a', values: [0.1, null] }], ['config.lr', 'summary.loss']);
    expect((p.parallelAxis as unknown[]).length).toBe(2);
    expect((p.series as Array<{ data: Array<{ value: unknown[] }> }>)[0].data[0].value).toEqual([0.1, '-']);
  });
});
