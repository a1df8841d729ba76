import type { EChartsOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { echarts } from '../../../../src-renderer/src/components/echarts';
import { inlineMarkLines } from '../../../../src-renderer/src/components/mark-lines';
import { figureGallery } from '../../main/figures/gallery';

function svgOf(option: EChartsOption): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 600, height: 400 });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const base = (markLine: Record<string, unknown>): EChartsOption => ({
  animation: false,
  xAxis: { type: 'value', min: 0, max: 10 },
  yAxis: { type: 'value', min: 0, max: 4 },
  series: [{ type: 'line', data: [[0, 1], [10, 3]], markLine: { symbol: 'none', ...markLine } }],
});

describe('mark lines without the MarkLine component', () => {
  it('draws a labelled horizontal and vertical line, leaves the axes alone and drops a mark outside them', () => {
    const option = base({ label: { formatter: '{b}' }, data: [{ yAxis: 2, name: 'two' }, { xAxis: 5, name: 'epoch 5' }, { yAxis: 99, name: 'far' }] });
    const inlined = inlineMarkLines(option);
    expect((option.series as Array<{ markLine?: unknown }>)[0].markLine).toBeDefined();
    expect((inlined.series as Array<{ markLine?: unknown; type: string }>).map((s) => [s.type, s.markLine])).toEqual([['line', undefined], ['custom', undefined]]);
    const svg = svgOf(inlined);
    expect(svg).toContain('>two<');
    expect(svg).toContain('>epoch 5<');
    expect(svg).not.toContain('>far<');
    // Without marks, the same axes: the mark series adds nothing to their extent.
    const plain = svgOf({ ...option, series: [{ type: 'line', data: [[0, 1], [10, 3]] }] });
    const ticks = (s: string) => [...s.matchAll(/>(\d+(?:\.\d+)?)</g)].map((m) => m[1]).join(',');
    expect(ticks(svg)).toBe(ticks(plain));
  });

  it('a fixed label text and a hidden label', () => {
    expect(svgOf(inlineMarkLines(base({ label: { formatter: '1×' }, data: [{ yAxis: 1 }] })))).toContain('>1×<');
    expect(svgOf(inlineMarkLines(base({ label: { show: false }, data: [{ yAxis: 1, name: 'hidden' }] })))).not.toContain('hidden');
  });

  it('every gallery figure with marks draws them', () => {
    const withMarks = figureGallery().filter((f) => (Array.isArray(f.option.series) ? f.option.series : []).some((s) => (s as { markLine?: unknown }).markLine));
    expect(withMarks.length).toBeGreaterThan(0);
    for (const f of withMarks) {
      const inlined = inlineMarkLines(f.option);
      expect(JSON.stringify(inlined.series, (_k, v: unknown) => (typeof v === 'function' ? undefined : v)), f.name).not.toContain('"markLine"');
      expect(() => svgOf(inlined), f.name).not.toThrow();
    }
  });
});
