import * as echarts from 'echarts';
import { describe, expect, it } from 'vitest';
import type { MetricSeries } from '../../../../src-main/api/contract';
import { canonicalJson, compareMetricOption, runLabels, sharedKeys, sideBySide } from '../../../../src-main/figures/compare';

const series = (key: string, n: number, scale = 1): MetricSeries => ({
  key,
  downsampled: false,
  points: Array.from({ length: n }, (_, i) => ({ step: i, value: scale * Math.exp(-i / 10) })),
});

describe('sideBySide', () => {
  it('aligns flattened keys across objects and marks the rows that differ', () => {
    const rows = sideBySide([
      { steps: 100, opt: { lr: 0.001, name: 'adam' }, sizes: [1, 2] },
      { steps: 100, opt: { lr: 0.01, name: 'adam' }, sizes: [1, 2], extra: true },
    ]);
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(rows.map((r) => r.key)).toEqual(['steps', 'opt.lr', 'opt.name', 'sizes', 'extra']);
    expect(byKey.steps.differs).toBe(false);
    expect(byKey['opt.lr'].differs).toBe(true);
    expect(byKey['opt.lr'].values).toEqual([0.001, 0.01]);
    expect(byKey.sizes.differs).toBe(false);
    expect(byKey.extra.values).toEqual([undefined, true]);
    expect(byKey.extra.differs).toBe(true);
  });

  it('treats objects with the same content in another key order as equal, and skips keys on request', () => {
    expect(canonicalJson({ a: 1, b: [{ y: 2, x: 1 }] })).toBe(canonicalJson({ b: [{ x: 1, y: 2 }], a: 1 }));
    const rows = sideBySide([{ cases: [1], k: { b: 1, a: 2 } }, { cases: [2], k: { a: 2, b: 1 } }], { skip: (k) => k === 'cases' });
    expect(rows.map((r) => [r.key, r.differs])).toEqual([['k.b', false], ['k.a', false]]);
    expect(sideBySide([null, null])).toEqual([]);
  });
});

describe('sharedKeys / runLabels', () => {
  it('keeps the keys every run has, in the first run’s order', () => {
    expect(sharedKeys([['loss', 'acc', 'lr'], ['lr', 'loss'], ['loss', 'lr', 'x']])).toEqual(['loss', 'lr']);
    expect(sharedKeys([])).toEqual([]);
  });
  it('adds the id only where names collide', () => {
    expect(runLabels([{ id: 'a', name: 'x' }, { id: 'b', name: 'x' }, { id: 'c', name: 'y' }])).toEqual(['x (a)', 'x (b)', 'y']);
  });
});

describe('compareMetricOption', () => {
  it('draws one line per run named after the run, with a legend', () => {
    const option = compareMetricOption(
      [
        { label: 'run A', series: series('loss', 40) },
        { label: 'run B', series: series('loss', 25, 2) },
      ],
      { key: 'loss' },
    );
    const lines = option.series as Array<{ type: string; name: string; data: unknown[] }>;
    expect(lines.map((l) => [l.type, l.name, l.data.length])).toEqual([['line', 'run A', 40], ['line', 'run B', 25]]);
    expect(option.legend).toBeTruthy();
    expect((option.title as { text: string }).text).toBe('loss');
    expect((compareMetricOption([{ label: 'a', series: series('loss', 5) }], { key: 'loss', logY: true }).yAxis as { type: string }).type).toBe('log');
  });

  it('renders headless to SVG', () => {
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 600, height: 300 });
    try {
      chart.setOption(compareMetricOption([{ label: 'run A', series: series('loss', 40) }, { label: 'run B', series: series('loss', 40, 3) }], { key: 'loss' }));
      const svg = chart.renderToSVGString();
      expect(svg).toContain('<path');
      expect(svg).toContain('run B');
    } finally {
      chart.dispose();
    }
  });
});
