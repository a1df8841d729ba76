import { describe, expect, it } from 'vitest';
import type { LineSeriesOption } from 'echarts';
import { collapseKeys, collapseLast, collapseOption, collapsePrefixes, collapseReferenceLines, meanOverHeads, type CollapseSeries } from '../../../../src-main/figures/attention-collapse';

function series(prefix: string, layers: number, heads: number, steps: number[], f: (q: string, l: number, h: number, s: number) => number): CollapseSeries[] {
  const out: CollapseSeries[] = [{ key: `${prefix}/collapse/block_acc`, points: steps.map((s) => ({ step: s, value: f('block_acc', 0, 0, s) })) }];
  for (let l = 0; l < layers; l++)
    for (let h = 0; h < heads; h++)
      for (const q of ['mass_entropy', 'tail_mass', 'topb_tail'])
        out.push({ key: `${prefix}/collapse/l${l}h${h}/${q}`, points: steps.map((s) => ({ step: s, value: f(q, l, h, s) })) });
  return out;
}

describe('attention collapse figure', () => {
  it('parses collapse keys (seeded prefixes too) and ignores other metrics', () => {
    const keys = ['entropy/seed-42/collapse/l3h1/mass_entropy', 'entropy-floor/collapse/block_acc', 'none/train/loss', 'x/collapse/l0h0/other'];
    expect(collapseKeys(keys)).toEqual([
      { key: keys[0], prefix: 'entropy/seed-42', quantity: 'mass_entropy', layer: 3, head: 1 },
      { key: keys[1], prefix: 'entropy-floor', quantity: 'block_acc', layer: null, head: null },
    ]);
    expect(collapsePrefixes(keys)).toEqual(['entropy/seed-42', 'entropy-floor']);
  });

  it('draws one line per head, the reference lines, and the head-mean top-b tail beside the block tail', () => {
    const s = [...series('entropy', 2, 2, [0, 10, 20], (q, l, h, st) => (q === 'tail_mass' ? 0.5 + st / 100 : q === 'topb_tail' ? 0.1 * (l + h) : 2 - st / 10)), ...series('other', 1, 1, [0], () => 9)];
    const refs = { tokens: 65, budgetKeys: 17, clusters: 8 };
    const ent = collapseOption(s, { prefix: 'entropy', quantity: 'mass_entropy', refs });
    const lines = ent.series as LineSeriesOption[];
    expect(lines.map((l) => l.name)).toEqual(['L1 H1', 'L1 H2', 'L2 H1', 'L2 H2']);
    const marks = (lines[0].markLine as { data: Array<{ yAxis: number }> }).data.map((d) => d.yAxis);
    expect(marks[0]).toBeCloseTo(Math.log(8), 12);
    expect(marks[1]).toBeCloseTo(Math.log(65 / 17), 12);
    const tail = collapseOption(s, { prefix: 'entropy', quantity: 'tail_mass', refs }).series as LineSeriesOption[];
    expect(tail).toHaveLength(5);
    expect(tail[4].data).toEqual([[0, 0.1], [10, 0.1], [20, 0.1]].map(([a, b]) => [a, expect.closeTo(b, 12)]));
    expect(collapseReferenceLines('tail_mass', refs)[0].value).toBeCloseTo(1 - 17 / 65, 12);
    const acc = collapseOption(s, { prefix: 'entropy', quantity: 'block_acc' }).series as LineSeriesOption[];
    expect(acc).toHaveLength(1);
    expect(acc[0].data).toEqual([[0, 200], [10, 100], [20, 0]]);
    expect(meanOverHeads(s, 'entropy', 'tail_mass').map(([, v]) => v)).toEqual([0.5, 0.6, 0.7]);
    expect(collapseLast(s, 'entropy', 'mass_entropy')).toEqual({ mean: 0, min: 0, max: 0, heads: 4 });
    expect(collapseReferenceLines('mass_entropy', undefined)).toEqual([]);
  });
});
