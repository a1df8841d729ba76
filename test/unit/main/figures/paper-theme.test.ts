import type { EChartsOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { OKABE_ITO, legendRows, paperTheme, parseFontSize, parseLength } from '../../../../src-main/figures/paper-theme';
import { PALETTE } from '../../../../src-main/figures/theme';
import { figureSvg } from '../../../../src-main/figure-export/render';
import { figureGallery } from './gallery';

type S = { type?: string; name?: string; lineStyle?: { type?: unknown; color?: string }; symbol?: unknown; legendIcon?: string; itemStyle?: { color?: string }; data?: unknown };
const size = { widthPt: 234, heightPt: 173, fontPt: 8 };

describe('paper theme', () => {
  const byName = new Map(figureGallery('a run with a rather long name, seed 3').map((g) => [g.name, g.option]));

  it('colours from Okabe–Ito (the screen palette mapped index for index), never the screen palette', () => {
    for (const [name, option] of byName) {
      const text = JSON.stringify(paperTheme(option, size));
      for (const c of PALETTE) expect(text.toLowerCase(), name).not.toContain(`"${c.toLowerCase()}"`);
      expect((paperTheme(option, size).color as string[])[0]).toBe(OKABE_ITO[0]);
    }
    const themed = paperTheme({ series: [{ type: 'line', name: 'a', data: [], itemStyle: { color: PALETTE[1] } }] }, size);
    expect((themed.series as S[])[0].itemStyle?.color).toBe(OKABE_ITO[1]);
  });

  it('gives every named line its own dash and marker, so they differ in greyscale', () => {
    const option: EChartsOption = { series: ['a', 'b', 'c', 'd'].map((name) => ({ type: 'line' as const, name, data: [[0, 1], [1, 2]] })), legend: {} };
    const lines = paperTheme(option, size).series as S[];
    const dashes = lines.map((s) => JSON.stringify(s.lineStyle?.type));
    const icons = lines.map((s) => s.legendIcon);
    expect(new Set(dashes).size).toBe(4);
    expect(new Set(icons).size).toBe(4);
  });

  it("each legend icon draws its series' own dash and marker (the SVG a paper gets), and markers stay sparse on the plot", () => {
    const names = ['a', 'b', 'c', 'd'];
    const option: EChartsOption = {
      legend: {},
      xAxis: { type: 'value' },
      yAxis: { type: 'value' },
      series: names.map((name, k) => ({ type: 'line' as const, name, data: Array.from({ length: 40 }, (_, i) => [i, i * (k + 1)]) })),
    };
    const themed = paperTheme(option, size).series as S[];
    // A fixed shape per series (not a per-point callback, which leaves the legend ECharts' default circle).
    expect(themed.map((s) => s.symbol)).toEqual(['circle', 'rect', 'triangle', 'diamond']);
    const svg = figureSvg(option, { theme: 'paper', ...size });
    const paths = [...svg.matchAll(/<path d="([^"]*)"([^>]*)>/g)].map((m) => ({ d: m[1], attrs: m[2] }));
    const attr = (a: string, name: string): string | null => new RegExp(`${name}="([^"]*)"`).exec(a)?.[1] ?? null;
    const icons = themed.map((_, k) => {
      const color = OKABE_ITO[k];
      const stroke = paths.find((p) => p.d === 'M0 4L18 4' && attr(p.attrs, 'stroke')?.toLowerCase() === color.toLowerCase());
      const transform = stroke ? attr(stroke.attrs, 'transform') : null;
      const marker = paths.find((p) => p !== stroke && attr(p.attrs, 'transform') === transform && attr(p.attrs, 'fill')?.toLowerCase() === color.toLowerCase());
      const onPlot = paths.filter((p) => p !== marker && attr(p.attrs, 'transform') !== transform && attr(p.attrs, 'fill')?.toLowerCase() === color.toLowerCase()).length;
      return { dash: stroke ? attr(stroke.attrs, 'stroke-dasharray') : 'missing', marker: marker?.d ?? 'missing', onPlot };
    });
    expect(icons.every((i) => i.marker !== 'missing' && i.dash !== 'missing')).toBe(true);
    // Four different marker outlines and four different dashes (the solid line has none).
    expect(new Set(icons.map((i) => i.marker)).size).toBe(4);
    expect(new Set(icons.map((i) => i.dash)).size).toBe(4);
    expect(icons[0].marker).toContain('A');
    expect(icons[1].marker).not.toContain('A');
    for (const i of icons) expect(i.onPlot).toBeGreaterThan(0);
    for (const i of icons) expect(i.onPlot).toBeLessThanOrEqual(9);
  });

  it('legends never page: plain, below the plot, with room for their wrapped rows', () => {
    for (const [name, option] of byName) {
      const themed = paperTheme(option, size);
      const legend = themed.legend as { type?: string; bottom?: number } | undefined;
      if (!legend) continue;
      expect(legend.type, name).toBe('plain');
      const grid = themed.grid as { bottom?: number; top?: number };
      if (typeof grid.bottom === 'number') expect(grid.bottom, name).toBeGreaterThan(12);
    }
    const many = Array.from({ length: 12 }, (_, i) => `method number ${i}`);
    expect(legendRows(many, 226, 8)).toBeGreaterThan(3);
    const themed = paperTheme({ title: { text: 'T' }, legend: { type: 'scroll' }, series: many.map((name) => ({ type: 'line' as const, name, data: [] })), xAxis: {}, yAxis: {} }, size);
    expect((themed.legend as { type: string }).type).toBe('plain');
    expect((themed.grid as { bottom: number }).bottom).toBeGreaterThanOrEqual(legendRows(many, 226, 8) * 14);
  });

  it('sets one font at the asked point size (title one larger), drops screen subtitles, wraps the title under the plot top', () => {
    const themed = paperTheme({ title: { text: 'A title long enough that it has to wrap at one column width', subtext: 'screen note', textStyle: { fontSize: 13 } }, legend: {}, series: [{ type: 'line', name: 'x', data: [] }], xAxis: { name: 'step', axisLabel: { fontSize: 11 } }, yAxis: { name: 'loss' } }, { ...size, fontPt: 9 });
    const title = (themed.title as Array<{ subtext?: string; textStyle: { fontSize: number; overflow: string; width: number } }>)[0];
    expect(title.subtext).toBeUndefined();
    expect(title.textStyle).toMatchObject({ fontSize: 10, overflow: 'break' });
    expect(title.textStyle.width).toBeLessThanOrEqual(234);
    expect((themed.textStyle as { fontFamily: string; fontSize: number })).toMatchObject({ fontFamily: 'DejaVu Serif', fontSize: 9 });
    expect((themed.xAxis as { axisLabel: { fontSize: number } }).axisLabel.fontSize).toBe(8);
    // Two title lines plus the y-axis name row above the plot.
    expect((themed.grid as { top: number }).top).toBeGreaterThanOrEqual(2 * 12 + 11);
    expect(paperTheme({ title: { text: 'x' } }, { ...size, title: false }).title).toBeUndefined();
  });

  it('every axis of every figure has a name', () => {
    for (const [name, raw] of byName) {
      const option = paperTheme(raw, size);
      for (const axis of [option.xAxis, option.yAxis].flatMap((a) => (a === undefined ? [] : Array.isArray(a) ? a : [a])) as Array<{ name?: string; show?: boolean; type?: string }>) {
        if (axis.show === false || name === 'sweep-heatmap' || axis.type === 'category') continue;
        expect(axis.name, name).toBeTruthy();
      }
    }
  });

  it('reads widths and font sizes in the units papers use, and refuses the rest', () => {
    expect(parseLength('3.25in')).toBe(234);
    expect(parseLength('6.75in')).toBe(486);
    expect(parseLength('8.5cm')).toBeCloseTo(240.94, 2);
    expect(parseLength('240pt')).toBe(240);
    expect(() => parseLength('3.25')).toThrow(/3.25in/);
    expect(() => parseLength('100in')).toThrow();
    expect(parseFontSize('8pt')).toBe(8);
    expect(parseFontSize('9')).toBe(9);
    expect(() => parseFontSize('eight')).toThrow(/8pt/);
  });
});
