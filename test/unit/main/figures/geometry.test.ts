import { describe, expect, it } from 'vitest';
import { renderSvg } from '../../../../src-main/cli/figure';
import type { TimingSample } from '../../../../src-main/api/contract';
import {
  boxStats,
  geometryCases,
  logLogSlope,
  methodTimeOption,
  parsePointPreview,
  pointPreviewOption,
  quantileSorted,
  sampleBoxOption,
  timeVsNOption,
  type GeometryCase,
} from '../../../../src-main/figures/geometry';
import { countDataPoints } from '../../../../src-main/figures';
import { geometryCase as rawCase } from './gallery';


function cases(list: Array<Record<string, unknown>>): GeometryCase[] {
  return geometryCases({ cases: list });
}

describe('geometryCases / parsePointPreview', () => {
  it('reads summary.cases, keeping nulls and dropping what is not a case', () => {
    const out = geometryCases({ cases: [rawCase(), rawCase({ preprocess: 'heuristic-sort', meanMs: null, ci95Ms: [null, null], pValueVsRaw: 0.03 }), 'junk', { n: 'x' }] });
    expect(out).toHaveLength(2);
    expect(out[0].method).toBe('raw+chan');
    expect(out[0].ci95Ms).toEqual([0.1, 0.4]);
    expect(out[1].meanMs).toBeNull();
    expect(out[1].ci95Ms).toEqual([null, null]);
    expect(out[1].pValueVsRaw).toBe(0.03);
    expect(geometryCases(null)).toEqual([]);
    expect(geometryCases({ steps: 3 })).toEqual([]);
  });

  it('reads the preview artifact and refuses what is not one', () => {
    const p = parsePointPreview({ dataset: 'parabolic', n: 10, seed: 42, count: 10, stride: 1, points: [0, 0, 1, 0, 0, 1, 0.2, 0.2], hull: [0, 0, 1, 0, 0, 1], hullIndices: [0, 1, 2] });
    expect(p?.points).toHaveLength(8);
    expect(p?.hull).toHaveLength(6);
    expect(parsePointPreview({ dataset: 'x' })).toBeNull();
    expect(parsePointPreview('nope')).toBeNull();
  });
});

describe('statistics helpers', () => {
  it('logLogSlope recovers the exponent of a power law', () => {
    expect(logLogSlope([[1e3, 2], [1e4, 20], [1e5, 200]])).toBeCloseTo(1, 12);
    expect(logLogSlope([[1e3, 1], [1e4, 100]])).toBeCloseTo(2, 12);
    expect(logLogSlope([[1e3, 1]])).toBeNull();
    expect(logLogSlope([[1e3, 1], [1e3, 2]])).toBeNull();
  });

  it('quantiles and Tukey box statistics', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0)).toBe(1);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
    const b = boxStats([1, 2, 3, 4, 5, 6, 7, 8, 100])!;
    expect(b.median).toBe(5);
    expect(b.q1).toBe(3);
    expect(b.q3).toBe(7);
    expect(b.outliers).toEqual([100]);
    expect(b.high).toBe(8);
    expect(b.low).toBe(1);
    expect(boxStats([])).toBeNull();
  });
});

describe('methodTimeOption', () => {
  const list = cases([
    rawCase({ algorithm: 'monotone' }),
    rawCase({ algorithm: 'chan', meanMs: 0.5, ci95Ms: [-0.2, 1.2] }),
    rawCase({ algorithm: 'monotone', preprocess: 'heuristic-sort', speedup: 1.2, speedupCi95: [1.1, 1.3] }),
    rawCase({ algorithm: 'chan', preprocess: 'heuristic-sort', meanMs: null, ci95Ms: [null, null] }),
  ]);

  it('puts algorithms on x and one custom (bar + whisker) series per preprocessor, raw first', () => {
    const option = methodTimeOption(list, { title: 'uniform-square, n = 1000' });
    expect((option.xAxis as { data: string[] }).data).toEqual(['monotone', 'chan']);
    const series = option.series as Array<{ type: string; name: string; data: Array<{ value: number[] }> }>;
    expect(series.map((s) => [s.type, s.name])).toEqual([['custom', 'raw'], ['custom', 'heuristic-sort']]);
    expect(series[0].data.map((d) => d.value[0])).toEqual([0, 1]);
    // A case without a mean draws nothing; a CI that reached below 0 as stored is rebuilt in log space from
    // the per-seed means (0.3, 0.2, 0.2), around the stored mean, and the subtitle says so.
    expect(series[1].data).toHaveLength(1);
    const [, m, lo, hi] = series[0].data[1].value;
    const logs = [0.3, 0.2, 0.2].map(Math.log);
    const lm = logs.reduce((a, b) => a + b, 0) / 3;
    const h = (4.302652729911275 * Math.sqrt(logs.reduce((a, b) => a + (b - lm) ** 2, 0) / 2)) / Math.sqrt(3);
    expect(m).toBe(0.5);
    expect(lo).toBeCloseTo(0.5 * Math.exp(-h), 9);
    expect(hi).toBeCloseTo(0.5 * Math.exp(h), 9);
    expect(lo).toBeGreaterThan(0);
    expect((option.title as { subtext: string }).subtext).toMatch(/1 CI reached ≤ 0 as stored: shown in log space/);
    expect(countDataPoints(option)).toBe(3);
    expect((option.yAxis as { min: number }).min).toBe(0);
  });

  it('renders headless to SVG with a bar and a whisker per drawn case', () => {
    const svg = renderSvg(methodTimeOption(list));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('monotone');
    // Each drawn case is one rect-like path plus three whisker lines.
    expect((svg.match(/<path/g) ?? []).length).toBeGreaterThanOrEqual(3 * 4);
  });

  it('renders an empty figure without throwing', () => {
    expect(renderSvg(methodTimeOption([]))).toContain('<svg');
  });
});

describe('timeVsNOption', () => {
  const list = cases([1e3, 1e4, 1e5].flatMap((n) => [
    rawCase({ n, meanMs: n / 1000 }),
    rawCase({ n, preprocess: 'heuristic-sort', meanMs: (n / 1000) ** 2 }),
  ]));

  it('draws one line per method on log–log axes with its fitted slope in the legend', () => {
    const option = timeVsNOption(list);
    expect((option.xAxis as { type: string }).type).toBe('log');
    expect((option.yAxis as { type: string }).type).toBe('log');
    const lines = option.series as Array<{ name: string; data: Array<{ value: number[] }> }>;
    expect(lines.map((l) => l.name)).toEqual(['raw+chan (slope 1.00)', 'heuristic-sort+chan (slope 2.00)']);
    expect(lines[0].data.map((d) => d.value[0])).toEqual([1e3, 1e4, 1e5]);
  });

  it('renders headless to SVG', () => {
    const svg = renderSvg(timeVsNOption(list));
    expect(svg).toContain('<path');
    expect(svg).toContain('slope');
  });
});

describe('sampleBoxOption', () => {
  const samples: TimingSample[] = [];
  for (const preprocess of ['heuristic-sort', 'raw']) {
    for (let r = 0; r < 50; r++) {
      samples.push({ task: 'hull', dataset: 'uniform-square', n: 1000, algorithm: 'chan', preprocess, seed: 1, repeat: r, ms: r === 0 ? 50 : 1 + (r % 7) * 0.1, quality: null });
    }
  }

  it('draws a box per method (by algorithm, raw first) and the outliers as dots', () => {
    const option = sampleBoxOption(samples);
    expect((option.xAxis as { data: string[] }).data).toEqual(['raw+chan', 'heuristic-sort+chan']);
    const mixed = [...samples, ...samples.map((s) => ({ ...s, algorithm: 'monotone' }))].reverse();
    expect((sampleBoxOption(mixed).xAxis as { data: string[] }).data).toEqual(['raw+monotone', 'heuristic-sort+monotone', 'raw+chan', 'heuristic-sort+chan']);
    expect((sampleBoxOption(mixed, { algorithms: ['chan', 'monotone'] }).xAxis as { data: string[] }).data).toEqual(['raw+chan', 'heuristic-sort+chan', 'raw+monotone', 'heuristic-sort+monotone']);
    const [boxes, dots] = option.series as Array<{ type: string; data: unknown[] }>;
    expect(boxes.type).toBe('boxplot');
    expect(boxes.data).toHaveLength(2);
    expect(dots.type).toBe('scatter');
    expect(dots.data).toEqual([[0, 50], [1, 50]]);
    expect((option.yAxis as { type: string }).type).toBe('log');
    expect((sampleBoxOption(samples, { logY: false }).yAxis as { type: string }).type).toBe('value');
  });

  it('renders headless to SVG', () => {
    expect(renderSvg(sampleBoxOption(samples))).toContain('<path');
  });
});

describe('pointPreviewOption', () => {
  const preview = parsePointPreview({
    dataset: 'uniform-square', n: 40000, seed: 1, count: 40000, stride: 2,
    points: Array.from({ length: 2 * 20000 }, (_, i) => ((i * 7919) % 1000) / 1000),
    hull: [0, 0, 1, 0, 1, 1, 0, 1], hullIndices: [0, 1, 2, 3],
  })!;

  it('draws the points and the closed hull polygon on equal axes in a square plot', () => {
    const option = pointPreviewOption(preview, { plotSize: 300 });
    const [pts, hull] = option.series as Array<{ type: string; data: Array<[number, number]>; large?: boolean }>;
    expect(pts.type).toBe('scatter');
    expect(pts.data).toHaveLength(20000);
    expect(pts.large).toBe(true);
    expect(hull.type).toBe('line');
    expect(hull.data).toHaveLength(5);
    expect(hull.data[4]).toEqual(hull.data[0]);
    const x = option.xAxis as { min: number; max: number };
    const y = option.yAxis as { min: number; max: number };
    expect(x.max - x.min).toBeCloseTo(y.max - y.min, 12);
    expect(x.min).toBeLessThanOrEqual(0);
    expect(x.max).toBeGreaterThanOrEqual(1);
    expect(option.grid).toMatchObject({ width: 300, height: 300 });
    expect((option.title as { subtext: string }).subtext).toMatch(/20,000 of 40,000 points/);
  });

  it('renders headless to SVG with the hull path', () => {
    const svg = renderSvg(pointPreviewOption(preview), 640, 440);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('hull');
  });
});
