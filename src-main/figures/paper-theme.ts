/**
 * The paper theme: any figure's option restyled for print at a column width. One SVG user unit is one point
 * (1/72 in), so a font size here is a point size on the page.
 *
 * - Okabe–Ito palette (safe under the common colour-vision deficiencies), mapped index for index from the
 *   screen palette, so a builder's explicit colours change with it;
 * - each named line a dash pattern and a marker of its own, so series differ in greyscale too;
 * - one font and size everywhere; titles wrap to the width; subtitles (screen notes) are left to the caption;
 * - legends never page: plain, below the plot, wrapped, with room reserved for their rows;
 * - axis labels that would overlap are hidden rather than drawn over each other.
 */
import type { EChartsOption } from 'echarts';
import { COLOR_BAR_ID, colorBarSeries, type ColorBar } from './color-bar';
import { PALETTE } from './theme';

export const OKABE_ITO = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'] as const;
const DASHES: ReadonlyArray<'solid' | 'dashed' | 'dotted' | number[]> = ['solid', 'dashed', 'dotted', [6, 2, 1, 2], [1, 2], [8, 3]];
const SYMBOLS = ['circle', 'rect', 'triangle', 'diamond', 'emptyCircle', 'emptyRect', 'emptyTriangle', 'emptyDiamond'] as const;

export const PAPER_FONT_FAMILY = 'DejaVu Serif';

export interface PaperThemeOptions {
  widthPt: number;
  heightPt: number;
  /** Body text size in points; titles are one point larger, tick labels one smaller. */
  fontPt?: number;
  fontFamily?: string;
  /** Keep the figure's title (wrapped to the width); off when the caption carries it. */
  title?: boolean;
}

/** Column widths of a two-column paper. */
export const WIDTH_PRESETS = { single: '3.25in', double: '6.75in' } as const;

const UNIT_PT: Record<string, number> = { in: 72, cm: 72 / 2.54, mm: 72 / 25.4, pt: 1, px: 0.75 };

/** A length such as '3.25in', '8.5cm', '240pt' or '320px', in points; throws with the accepted forms otherwise. */
export function parseLength(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(in|cm|mm|pt|px)\s*$/.exec(text);
  const v = m ? Number(m[1]) * UNIT_PT[m[2]] : NaN;
  if (!Number.isFinite(v) || v < 36 || v > 2000) throw new Error(`not a figure length: "${text}" (give e.g. 3.25in, 6.75in, 8.5cm, 240pt; between 0.5in and 27in)`);
  return v;
}

/** A font size such as '8pt' or '8', in points. */
export function parseFontSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(pt)?\s*$/.exec(text);
  const v = m ? Number(m[1]) : NaN;
  if (!Number.isFinite(v) || v < 4 || v > 36) throw new Error(`not a font size: "${text}" (give e.g. 8pt, between 4pt and 36pt)`);
  return v;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const paletteIndex = new Map<string, number>(PALETTE.map((c, i) => [c.toLowerCase(), i]));

/** A copy of the option tree with palette colours remapped; functions, typed arrays and number arrays shared. */
function restyle(v: unknown, font: { family: string; pt: number }, key = ''): unknown {
  if (typeof v === 'string') {
    const i = paletteIndex.get(v.toLowerCase());
    if (i !== undefined) return OKABE_ITO[i % OKABE_ITO.length];
    if (key === 'fontFamily') return font.family;
    return v;
  }
  if (Array.isArray(v)) {
    if (v.length > 0 && typeof v[0] === 'number') return v;
    return v.map((x) => restyle(x, font));
  }
  if (!isObj(v)) return v;
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) out[k] = restyle(x, font, k);
  if (typeof out.fontSize === 'number') {
    const s = out.fontSize;
    const size = s >= 13 ? font.pt + 1 : s <= 10 ? Math.max(5, font.pt - 1) : font.pt;
    out.fontSize = size;
    if (typeof out.lineHeight === 'number') out.lineHeight = Math.round(size * 1.25 * 10) / 10;
  }
  return out;
}

/** Rough width of a string in the theme's font (DejaVu Serif averages about 0.56 em per character). */
export function textWidthPt(text: string, pt: number): number {
  return text.length * pt * 0.56;
}

/** Rows a plain horizontal legend of these names takes at this width (ECharts wraps item by item). */
export function legendRows(names: readonly string[], widthPt: number, pt: number, itemWidth = 18, itemGap = 8): number {
  if (names.length === 0) return 0;
  let rows = 1;
  let x = 0;
  for (const name of names) {
    const w = itemWidth + 4 + textWidthPt(name, pt) + itemGap;
    if (x > 0 && x + w > widthPt) {
      rows++;
      x = 0;
    }
    x += w;
  }
  return rows;
}

/** Lines a wrapped title of this text takes at this width. */
function titleLines(text: string, widthPt: number, pt: number): number {
  return text.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(textWidthPt(line, pt) / widthPt)), 0);
}

function seriesNames(option: Json, legend: Json): string[] {
  if (Array.isArray(legend.data)) return legend.data.map((d) => (isObj(d) ? String(d.name ?? '') : String(d))).filter((s) => s.length > 0);
  const names = asList(option.series).map((s) => (isObj(s) && s.name !== undefined ? String(s.name) : '')).filter((s) => s.length > 0);
  return [...new Set(names)];
}

export function paperTheme(option: EChartsOption, opts: PaperThemeOptions): EChartsOption {
  const pt = opts.fontPt ?? 8;
  const family = opts.fontFamily ?? PAPER_FONT_FAMILY;
  const W = opts.widthPt;
  const H = opts.heightPt;
  const o = restyle(option, { family, pt }) as Json;
  o.animation = false;
  o.backgroundColor = '#ffffff';
  o.color = [...OKABE_ITO];
  o.textStyle = { ...(isObj(o.textStyle) ? o.textStyle : {}), fontFamily: family, fontSize: pt, color: '#000000' };
  delete o.toolbox;
  delete o.dataZoom;

  const margin = 4;
  let top = margin;
  const titles = asList(o.title).filter(isObj);
  if (opts.title === false || titles.length === 0) delete o.title;
  else {
    o.title = titles.map((t, i) => {
      if (i > 0) return t;
      const text = String(t.text ?? '');
      const lines = text ? titleLines(text, W - 2 * margin, pt + 1) : 0;
      top += lines * Math.round((pt + 1) * 1.25) + 4;
      const style = isObj(t.textStyle) ? t.textStyle : {};
      return { ...t, subtext: undefined, left: margin, top: margin, textStyle: { ...style, fontSize: pt + 1, lineHeight: Math.round((pt + 1) * 1.25), width: W - 2 * margin, overflow: 'break', fontWeight: 'bold', color: '#000000' } };
    });
  }

  let bottom = margin;
  const legends = asList(o.legend).filter(isObj);
  if (legends.length > 0) {
    const legend = legends[0];
    const names = seriesNames(o, legend);
    const rows = legend.show === false ? 0 : legendRows(names, W - 2 * margin, pt);
    const rowH = Math.round(pt * 1.25) + 4;
    o.legend = { ...legend, type: 'plain', top: undefined, left: 'center', right: undefined, bottom: margin, orient: 'horizontal', width: W - 2 * margin, itemWidth: 18, itemHeight: 8, itemGap: 8, textStyle: { ...(isObj(legend.textStyle) ? legend.textStyle : {}), fontSize: pt, color: '#000000', width: undefined, overflow: undefined } };
    bottom += rows * rowH;
  }

  // A colour bar goes under the plot, lying down, instead of over its right edge.
  const barAt = asList(o.series).findIndex((s) => isObj(s) && s.id === COLOR_BAR_ID && isObj(s.colorBar));
  if (barAt >= 0) {
    const series = asList(o.series);
    // The original settings: the palette mapping above must not recolour the bar away from the items' colours.
    const bar = (asList(option.series)[barAt] as { colorBar: ColorBar }).colorBar;
    // 8 pt of slack above the legend, as ECharts' visual map kept: a wrapped legend can be taller than its estimate.
    series[barAt] = colorBarSeries({ ...bar, orient: 'horizontal', bottom: bottom + 8, itemWidth: 8, itemHeight: Math.round(W * 0.35), textStyle: { fontSize: Math.max(5, pt - 1), color: '#000000', fontFamily: family } });
    o.series = series;
    bottom += Math.round(pt * 1.25) + 18;
  }

  let lineIndex = 0;
  let symbolIndex = 0;
  o.series = asList(o.series).map((s) => {
    if (!isObj(s)) return s;
    const named = s.name !== undefined && String(s.name) !== '';
    if (s.type === 'line' && named) {
      const j = lineIndex++;
      const lineStyle = isObj(s.lineStyle) ? s.lineStyle : {};
      // About eight markers per line, staggered between lines so they do not sit on each other.
      const n = Array.isArray(s.data) ? s.data.length : 0;
      const stride = Math.max(1, Math.ceil(n / 8));
      const offset = Math.floor((j * stride) / 3) % stride;
      const symbol = SYMBOLS[j % SYMBOLS.length];
      // The shape is the series' own (the line's legend icon draws it beside the dash; a symbol callback would
      // leave the icon ECharts' default circle); the points between markers say 'none' themselves.
      const hide = (d: unknown, i: number): unknown => ((i + offset) % stride === 0 || d === null || d === undefined || d === '-' ? d : isObj(d) ? { ...d, symbol: 'none' } : { value: d, symbol: 'none' });
      const own = s.symbol === undefined ? { symbol, legendIcon: symbol, showSymbol: true, showAllSymbol: true, symbolSize: 4, data: Array.isArray(s.data) ? s.data.map(hide) : s.data } : {};
      return { ...s, ...own, lineStyle: { ...lineStyle, width: Math.min(Number(lineStyle.width ?? 1.25), 1.25), type: lineStyle.type !== undefined && lineStyle.type !== 'solid' ? lineStyle.type : DASHES[j % DASHES.length] } };
    }
    if (s.type === 'scatter' && named && s.symbol === undefined) return { ...s, symbol: SYMBOLS[symbolIndex++ % SYMBOLS.length], symbolSize: Math.min(Number(typeof s.symbolSize === 'number' ? s.symbolSize : 5), 5) };
    return s;
  });
  const bars = (o.series as unknown[]).filter((s) => isObj(s) && s.type === 'bar').length;
  if (bars > 1) o.aria = { enabled: true, decal: { show: true } };

  const axisFix = (axis: unknown, which: 'x' | 'y'): unknown => {
    if (!isObj(axis)) return axis;
    const label = isObj(axis.axisLabel) ? axis.axisLabel : {};
    const gap = typeof axis.nameGap === 'number' ? Math.max(pt + 6, Math.round((axis.nameGap * pt) / 11)) : undefined;
    // A value axis without a name is a plane coordinate (point sets, hulls): it is called what it is.
    const name = axis.name ?? (axis.type === 'value' || axis.type === undefined ? which : undefined);
    // A y name along the axis needs a gap that depends on the tick labels' width, which is not known here;
    // at a column's width it is put above the axis instead, like the others.
    const endName = which === 'y' && axis.type !== 'category';
    return { ...axis, name, nameLocation: endName ? 'end' : (axis.nameLocation ?? (which === 'x' ? 'middle' : undefined)), nameRotate: endName ? 0 : axis.nameRotate, nameGap: endName ? 6 : (gap ?? pt + 8), nameTextStyle: { ...(isObj(axis.nameTextStyle) ? axis.nameTextStyle : {}), fontSize: pt, color: '#000000', ...(endName ? { align: axis.position === 'right' ? 'right' : 'left' } : {}) }, axisLabel: { ...label, hideOverlap: true, fontSize: Math.max(5, pt - 1), color: '#000000' }, axisLine: { ...(isObj(axis.axisLine) ? axis.axisLine : {}), lineStyle: { color: '#000000', width: 0.75 } }, axisTick: { ...(isObj(axis.axisTick) ? axis.axisTick : {}), lineStyle: { color: '#000000', width: 0.75 } } };
  };
  if (o.xAxis !== undefined) o.xAxis = Array.isArray(o.xAxis) ? o.xAxis.map((a) => axisFix(a, 'x')) : axisFix(o.xAxis, 'x');
  if (o.yAxis !== undefined) o.yAxis = Array.isArray(o.yAxis) ? o.yAxis.map((a) => axisFix(a, 'y')) : axisFix(o.yAxis, 'y');

  // A y-axis name at the end of its axis sits above the plot: room for it under the title.
  const yEndNamed = asList(o.yAxis).some((a) => isObj(a) && a.name);
  if (yEndNamed) top += Math.round(pt * 1.25) + 4;
  const xNameRoom = pt + 10;
  const grids = asList(o.grid).filter(isObj);
  const fit = (g: Json): Json => {
    const out: Json = { ...g, top: top + 4, bottom: bottom + xNameRoom, left: margin, right: margin + Math.round(2.5 * pt), outerBoundsMode: 'same', outerBoundsContain: 'all', containLabel: true };
    if (typeof g.width === 'number' && typeof g.height === 'number') {
      // A square plot (equal axis scales) stays square, shrunk to the room left.
      const side = Math.min(g.width, g.height, W - 2 * margin - 3 * pt - 24, H - top - bottom - xNameRoom - pt * 2);
      const k = side / Math.max(g.width, g.height);
      Object.assign(out, { width: g.width * k, height: g.height * k, left: 'center', right: undefined, bottom: undefined, top: top + 4 });
    }
    return out;
  };
  if (grids.length === 1 || grids.length === 0) o.grid = fit(grids[0] ?? {});
  return o as EChartsOption;
}
