import { describe, expect, it } from 'vitest';
import { renderSvg } from '../../../../src-main/cli/figure';
import { COLOR_BAR_ID, colorBarSeries, scaleColor, type ColorBar } from '../../../../src-main/figures/color-bar';
import { paperTheme } from '../../../../src-main/figures/paper-theme';

const scale = { min: 10, max: 20, stops: ['#000000', '#ff0000', '#ffffff'] };

describe('colour scale and bar', () => {
  it('maps the ends to the end stops, the middle to the middle stop, and interpolates in RGB between', () => {
    expect(scaleColor(scale, 10)).toBe('#000000');
    expect(scaleColor(scale, 15)).toBe('#ff0000');
    expect(scaleColor(scale, 20)).toBe('#ffffff');
    expect(scaleColor(scale, 12.5)).toBe('#800000');
    expect(scaleColor(scale, 17.5)).toBe('#ff8080');
  });

  it('clamps outside [min, max] and gives the first stop for a degenerate scale', () => {
    expect(scaleColor(scale, -5)).toBe('#000000');
    expect(scaleColor(scale, 99)).toBe('#ffffff');
    expect(scaleColor({ ...scale, max: 10 }, 10)).toBe('#000000');
    expect(() => scaleColor({ ...scale, stops: ['red', 'blue'] }, 12)).toThrow(/#rrggbb/);
  });

  it('draws a gradient with both end labels; the paper theme lays it under the plot with the theme font', () => {
    const bar: ColorBar = { ...scale, text: ['top label', 'bottom label'] };
    const option = { xAxis: { type: 'value' as const }, yAxis: { type: 'value' as const }, series: [colorBarSeries(bar)] };
    const svg = renderSvg(option, 400, 300);
    expect(svg).toContain('linearGradient');
    expect(svg).toContain('top label');
    expect(svg).toContain('bottom label');
    const themed = paperTheme(option, { widthPt: 234, heightPt: 180 });
    const placed = (themed.series as Array<{ id?: string; colorBar?: ColorBar }>).find((s) => s.id === COLOR_BAR_ID)!.colorBar!;
    expect(placed.orient).toBe('horizontal');
    expect(placed.stops).toEqual(scale.stops);
    expect(placed.textStyle?.fontFamily).toBeDefined();
  });
});
