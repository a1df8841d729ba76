/**
 * The figures mark reference lines with ECharts' `markLine` (a 1× line, epochs, reference entropies). The
 * renderer draws them without the MarkLine component (18 KB of its bundle): each series' straight marks become
 * one custom series on the same axes that draws the lines across the plot and their labels. Main renders the
 * options with full ECharts, so the figures themselves keep `markLine`.
 */
import type { CustomSeriesOption, CustomSeriesRenderItem, EChartsOption } from 'echarts';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

interface Mark {
  /** A horizontal line at this y, or a vertical one at this x. */
  y: number | null;
  x: number | null;
  name: string;
}

interface MarkStyle {
  color: string;
  width: number;
  dash: number[] | null;
  label: { show: boolean; text: (m: Mark) => string; position: string; color: string; fontSize: number; fontFamily?: string };
}

function dashOf(type: unknown, width: number): number[] | null {
  if (Array.isArray(type)) return type.filter((v): v is number => typeof v === 'number');
  if (type === 'dashed') return [4 * width, 4 * width];
  if (type === 'dotted') return [width, 2 * width];
  return null;
}

function styleOf(markLine: Json, seriesColor: unknown, textStyle: Json): MarkStyle {
  const line = isObj(markLine.lineStyle) ? markLine.lineStyle : {};
  const label = isObj(markLine.label) ? markLine.label : {};
  const width = num(line.width) ?? 1;
  const formatter = label.formatter;
  return {
    color: typeof line.color === 'string' ? line.color : typeof seriesColor === 'string' ? seriesColor : '#6b7280',
    width,
    // ECharts draws a mark line dashed unless told otherwise.
    dash: dashOf(line.type ?? 'dashed', width),
    label: {
      show: label.show !== false,
      text: (m) => (typeof formatter === 'string' ? formatter.replace(/\{b\}/g, m.name).replace(/\{c\}/g, String(m.y ?? m.x)) : m.name || String(m.y ?? m.x)),
      position: typeof label.position === 'string' ? label.position : 'end',
      color: typeof label.color === 'string' ? label.color : '#6b7280',
      fontSize: num(label.fontSize) ?? num(textStyle.fontSize) ?? 12,
      fontFamily: typeof label.fontFamily === 'string' ? label.fontFamily : typeof textStyle.fontFamily === 'string' ? textStyle.fontFamily : undefined,
    },
  };
}

function marksOf(markLine: Json): Mark[] {
  const data = Array.isArray(markLine.data) ? markLine.data : [];
  return data.flatMap((d): Mark[] => {
    if (!isObj(d)) return [];
    const y = num(d.yAxis);
    const x = num(d.xAxis);
    if (y === null && x === null) return [];
    return [{ y, x: y === null ? x : null, name: typeof d.name === 'string' ? d.name : '' }];
  });
}

function markSeries(marks: Mark[], style: MarkStyle, axes: { xAxisIndex: number; yAxisIndex: number }, z: number): CustomSeriesOption {
  const renderItem: CustomSeriesRenderItem = (params, api) => {
    const box = params.coordSys as unknown as { x: number; y: number; width: number; height: number };
    const children: NonNullable<ReturnType<CustomSeriesRenderItem>>[] = [];
    const font = { fill: style.label.color, fontSize: style.label.fontSize, ...(style.label.fontFamily ? { fontFamily: style.label.fontFamily } : {}) };
    for (const m of marks) {
      const horizontal = m.y !== null;
      const at = horizontal ? api.coord([0, m.y as number])[1] : api.coord([m.x as number, 0])[0];
      if (!Number.isFinite(at)) continue;
      // Like a mark line, one outside the axis range is not drawn.
      if (horizontal ? at < box.y - 0.5 || at > box.y + box.height + 0.5 : at < box.x - 0.5 || at > box.x + box.width + 0.5) continue;
      const shape = horizontal ? { x1: box.x, y1: at, x2: box.x + box.width, y2: at } : { x1: at, y1: box.y + box.height, x2: at, y2: box.y };
      children.push({ type: 'line', shape, style: { stroke: style.color, lineWidth: style.width, lineDash: style.dash ?? undefined } });
      if (!style.label.show) continue;
      const text = style.label.text(m);
      if (!text) continue;
      const inside = style.label.position.startsWith('insideEnd');
      if (inside && !horizontal) {
        // Along the line, reading upwards, ending at its top, on its left (ECharts' insideEndTop).
        children.push({ type: 'text', x: at - 1, y: shape.y2 + 2, rotation: Math.PI / 2, style: { ...font, text, x: 0, y: 0, align: 'right', verticalAlign: 'bottom' } });
        continue;
      }
      const pos = horizontal
        ? inside
          ? { x: shape.x2 - 2, y: at - 2, align: 'right' as const, verticalAlign: 'bottom' as const }
          : { x: shape.x2 + 5, y: at, align: 'left' as const, verticalAlign: 'middle' as const }
        : { x: at, y: shape.y2 - 5, align: 'center' as const, verticalAlign: 'bottom' as const };
      children.push({ type: 'text', style: { ...font, text, ...pos } });
    }
    return { type: 'group', children };
  };
  // One item whose values are not numbers: it draws the marks and leaves the axes' extents alone.
  return { type: 'custom', ...axes, silent: true, z, tooltip: { show: false }, data: [[NaN, NaN]], renderItem };
}

/** The option with every series' `markLine` drawn by custom series instead (the option is not changed). */
export function inlineMarkLines(option: EChartsOption): EChartsOption {
  const series = Array.isArray(option.series) ? option.series : option.series ? [option.series] : [];
  if (!series.some((s) => isObj(s) && isObj(s.markLine))) return option;
  const textStyle = isObj(option.textStyle) ? option.textStyle : {};
  const palette = Array.isArray(option.color) ? option.color : [];
  const out: unknown[] = [];
  const added: CustomSeriesOption[] = [];
  series.forEach((s, i) => {
    if (!isObj(s) || !isObj(s.markLine)) {
      out.push(s);
      return;
    }
    const { markLine, ...rest } = s;
    out.push(rest);
    const marks = marksOf(markLine as Json);
    if (!marks.length) return;
    const itemStyle = isObj(rest.itemStyle) ? rest.itemStyle : {};
    const lineStyle = isObj(rest.lineStyle) ? rest.lineStyle : {};
    const seriesColor = lineStyle.color ?? itemStyle.color ?? palette[i % Math.max(1, palette.length)];
    const axes = { xAxisIndex: num(rest.xAxisIndex) ?? 0, yAxisIndex: num(rest.yAxisIndex) ?? 0 };
    added.push(markSeries(marks, styleOf(markLine as Json, seriesColor, textStyle), axes, (num(rest.z) ?? 2) + 1));
  });
  return { ...option, series: [...out, ...added] as EChartsOption['series'] };
}
