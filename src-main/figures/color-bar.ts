/**
 * A continuous colour scale without ECharts' visualMap component (30 KB of the renderer's bundle): the series
 * colour their items with `scaleColor`, and the key is a custom series that draws a gradient bar with its two end
 * labels, upright at the right edge on screen and lying under the plot in the paper theme.
 */
import type { CustomSeriesOption, CustomSeriesRenderItem } from 'echarts';

export interface ColorScale {
  min: number;
  max: number;
  /** Colours (#rrggbb) from min to max, evenly spaced; values between are interpolated in RGB. */
  stops: string[];
}

export interface ColorBar extends ColorScale {
  /** Labels at the max and the min end. */
  text: [string, string];
  textStyle?: { color?: string; fontSize?: number; fontFamily?: string };
  /** Upright at `right` px from the right edge, centred vertically; or lying `bottom` px above the bottom edge, centred. */
  orient?: 'vertical' | 'horizontal';
  right?: number;
  bottom?: number;
  /** Thickness and length of the bar, px. */
  itemWidth?: number;
  itemHeight?: number;
}

/** The id of the colour bar's series, by which the paper theme finds and re-lays it. */
export const COLOR_BAR_ID = 'color-bar';

function rgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}

const hex2 = (v: number): string => Math.round(v).toString(16).padStart(2, '0');

/** The colour of `v` on the scale; values outside [min, max] take the end colours. */
export function scaleColor(scale: ColorScale, v: number): string {
  const n = scale.stops.length;
  if (n === 1) return scale.stops[0];
  const span = scale.max - scale.min;
  const t = span > 0 && Number.isFinite(v) ? Math.min(1, Math.max(0, (v - scale.min) / span)) : 0;
  const pos = t * (n - 1);
  const i = Math.min(n - 2, Math.floor(pos));
  const f = pos - i;
  const a = rgb(scale.stops[i]);
  const b = rgb(scale.stops[i + 1]);
  return `#${hex2(a[0] + (b[0] - a[0]) * f)}${hex2(a[1] + (b[1] - a[1]) * f)}${hex2(a[2] + (b[2] - a[2]) * f)}`;
}

/** The series that draws the bar; `colorBar` carries its settings for the paper theme. */
export function colorBarSeries(bar: ColorBar): CustomSeriesOption & { colorBar: ColorBar } {
  const renderItem: CustomSeriesRenderItem = (_params, api) => {
    const W = api.getWidth();
    const H = api.getHeight();
    const thick = bar.itemWidth ?? 10;
    const len = bar.itemHeight ?? 120;
    const font = { fill: bar.textStyle?.color ?? '#6b7280', fontSize: bar.textStyle?.fontSize ?? 10, ...(bar.textStyle?.fontFamily ? { fontFamily: bar.textStyle.fontFamily } : {}) };
    const size = font.fontSize;
    // Laid out like ECharts' visual map: a 5 px padding round a box as wide as the longer label.
    const pad = 5;
    const textW = Math.max(...bar.text.map((t) => t.length)) * size * 0.6;
    const last = bar.stops.length - 1;
    const colorStops = bar.stops.map((color, i) => ({ offset: last > 0 ? i / last : 0, color }));
    if (bar.orient === 'horizontal') {
      const x = (W - len) / 2;
      const y = H - (bar.bottom ?? 4) - pad - Math.max(thick, size * 1.2) / 2 - thick / 2;
      return {
        type: 'group',
        children: [
          { type: 'rect', shape: { x, y, width: len, height: thick }, style: { fill: { type: 'linear', x: 0, y: 0, x2: 1, y2: 0, colorStops, global: false } } },
          { type: 'text', style: { ...font, text: bar.text[1], x: x - 4, y: y + thick / 2, align: 'right', verticalAlign: 'middle' } },
          { type: 'text', style: { ...font, text: bar.text[0], x: x + len + 4, y: y + thick / 2, align: 'left', verticalAlign: 'middle' } },
        ],
      };
    }
    const cx = W - (bar.right ?? 8) - pad - Math.max(thick, textW) / 2;
    const x = cx - thick / 2;
    const y = (H - len) / 2;
    // Upright: the max at the top.
    return {
      type: 'group',
      children: [
        { type: 'rect', shape: { x, y, width: thick, height: len }, style: { fill: { type: 'linear', x: 0, y: 1, x2: 0, y2: 0, colorStops, global: false } } },
        { type: 'text', style: { ...font, text: bar.text[0], x: cx, y: y - 4, align: 'center', verticalAlign: 'bottom' } },
        { type: 'text', style: { ...font, text: bar.text[1], x: cx, y: y + len + 4, align: 'center', verticalAlign: 'top' } },
      ],
    };
  };
  return { type: 'custom', id: COLOR_BAR_ID, coordinateSystem: 'none', silent: true, tooltip: { show: false }, z: 5, data: [0], renderItem, colorBar: bar };
}
