import { describe, expect, it } from 'vitest';
import { renderSvg } from '../../../../src-main/cli/figure';
import type { MetricSeries } from '../../../../src-main/api/contract';
import { countDataPoints, formatNumber, metricLineOption, metricPairs } from '../../../../src-main/figures';

function series(key: string, n: number, f: (i: number) => number | null = (i) => Math.exp(-i / 10)): MetricSeries {
  return { key, downsampled: false, points: Array.from({ length: n }, (_, i) => ({ step: i, value: f(i) })) };
}


describe('metricLineOption', () => {
  it('draws one line per series with every point, step on a value axis', () => {
    const option = metricLineOption([series('loss', 200), series('val_loss', 50)], { title: 'loss' });
    const lines = option.series as Array<{ type: string; name: string; data: unknown[] }>;
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => l.type)).toEqual(['line', 'line']);
    expect(lines.map((l) => l.name)).toEqual(['loss', 'val_loss']);
    expect(lines[0].data).toHaveLength(200);
    expect(lines[1].data).toHaveLength(50);
    expect(countDataPoints(option)).toBe(250);
    expect((option.xAxis as { type: string }).type).toBe('value');
    expect((option.yAxis as { type: string }).type).toBe('value');
    expect((option.title as { text: string }).text).toBe('loss');
    expect(option.animation).toBe(false);
  });

  it('uses a log y axis on request and turns values it cannot place into gaps', () => {
    const s = series('lr', 5, (i) => [1, 0, -1, null, 0.5][i]);
    const option = metricLineOption([s], { title: 'lr', logY: true });
    expect((option.yAxis as { type: string }).type).toBe('log');
    expect(metricPairs(s, true)).toEqual([[0, 1], [1, null], [2, null], [3, null], [4, 0.5]]);
    expect(metricPairs(s, false)).toEqual([[0, 1], [1, 0], [2, -1], [3, null], [4, 0.5]]);
  });

  it('says when the store downsampled the series', () => {
    const s = { ...series('loss', 10), downsampled: true };
    expect((metricLineOption([s], { title: 'loss' }).title as { subtext?: string }).subtext).toMatch(/downsampled/);
    expect((metricLineOption([series('loss', 10)], { title: 'loss' }).title as { subtext?: string }).subtext).toBeUndefined();
  });

  it('renders headless to an SVG with the line path (ECharts SSR, no DOM)', () => {
    const svg = renderSvg(metricLineOption([series('loss', 300)], { title: 'loss' }));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('<path');
    expect(svg).toContain('loss');
  });

  it('renders a log-scale, multi-series and an empty figure without throwing', () => {
    expect(renderSvg(metricLineOption([series('a', 100), series('b', 100, (i) => i + 1)], { title: 'ab', logY: true }))).toContain('<path');
    expect(renderSvg(metricLineOption([{ key: 'none', downsampled: false, points: [] }], { title: 'none' }))).toContain('<svg');
    expect(renderSvg(metricLineOption([series('one', 1)], { title: 'one' }))).toContain('<svg');
  });
});

describe('formatNumber', () => {
  it('keeps labels short', () => {
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(0.123456)).toBe('0.1235');
    expect(formatNumber(1234.5678)).toBe('1235');
    expect(formatNumber(1e-5)).toBe('1.00e-5');
    expect(formatNumber(2.5e7)).toBe('2.50e7');
  });
});

describe('metric chart header layout (screen theme)', () => {
  interface Box {
    text: string;
    x0: number;
    x1: number;
    y0: number;
    y1: number;
  }
  /** Text boxes of an ECharts SSR SVG: centred vertically (dominant-baseline central), widths at 0.6 em per character. */
  function textBoxes(svg: string): Box[] {
    const out: Box[] = [];
    for (const m of svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)) {
      const attrs = m[1];
      const size = Number(/font-size:(\d+(?:\.\d+)?)px/.exec(attrs)?.[1] ?? 12);
      const [tx, ty] = (/translate\(([-\d.]+) ([-\d.]+)\)/.exec(attrs)?.slice(1) ?? ['0', '0']).map(Number);
      const x = tx + Number(/ x="([-\d.]+)"/.exec(attrs)?.[1] ?? 0);
      const y = ty + Number(/ y="([-\d.]+)"/.exec(attrs)?.[1] ?? 0);
      const w = m[2].length * size * 0.6;
      const anchor = /text-anchor="(\w+)"/.exec(attrs)?.[1] ?? 'start';
      const x0 = anchor === 'end' ? x - w : anchor === 'middle' ? x - w / 2 : x;
      out.push({ text: m[2], x0, x1: x0 + w, y0: y - size / 2, y1: y + size / 2 });
    }
    return out;
  }
  const intersects = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

  const cases: Array<[string, MetricSeries[], Parameters<typeof metricLineOption>[1]]> = [
    ['one smoothed series', [series('none/acc', 50)], { title: 'none/acc', smoothing: 0.9 }],
    ['overlaid, downsampled and smoothed', [{ ...series('entropy/loss', 300), downsampled: true }, series('none/loss', 300)], { title: 'loss', smoothing: 0.9, names: ['entropy', 'none'], yName: 'value' }],
    ['six long legend names', ['a', 'b', 'c', 'd', 'e', 'f'].map((p) => series(`${p}-method-with-a-long-name/loss`, 40)), { title: 'loss', smoothing: 0.5, yName: 'value' }],
  ];
  for (const [name, s, opts] of cases) {
    it(`${name}: title, notes, legend and the y-axis name do not overlap at a card's width`, () => {
      const option = metricLineOption(s, opts);
      const gridTop = (option.grid as { top: number }).top;
      const svg = renderSvg(option, 420, gridTop + 208);
      const boxes = textBoxes(svg);
      const yName = boxes.find((b) => b.text === (opts.yName ?? s[0].key))!;
      expect(yName).toBeDefined();
      // Everything drawn above the plot: the title, its notes, legend items and the y-axis name.
      const header = boxes.filter((b) => b.y1 <= gridTop);
      expect(header.map((b) => b.text)).toContain(opts.title);
      if (opts.smoothing) expect(header.some((b) => b.text.startsWith('smoothed: debiased EMA'))).toBe(true);
      for (let i = 0; i < header.length; i++) {
        for (let j = i + 1; j < header.length; j++) expect(intersects(header[i], header[j]), `${header[i].text} × ${header[j].text}`).toBe(false);
      }
      const legendBoxes = s.length > 1 ? boxes.filter((b) => s.some((x, i) => (opts.names?.[i] ?? x.key) === b.text)) : [];
      expect(legendBoxes).toHaveLength(s.length > 1 ? s.length : 0);
      if (s.length === 1) expect(option.legend).toBeUndefined();
      for (const b of legendBoxes) expect(b.y1).toBeLessThan(yName.y0);
    });
  }
});
