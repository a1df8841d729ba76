import { describe, expect, it } from 'vitest';
import { renderSvg } from '../../../src-main/cli/figure';
import type { MetricSeries } from '../../../src-main/api/contract';
import { countDataPoints, formatNumber, metricLineOption, metricPairs } from '../../../src-main/figures';

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
