/**
 * `der figure`: the figures the app draws, rendered headless from the run's data in the database, as SVG,
 * PDF or PNG, in the screen or the paper theme, at a column width and font size; `--list` names a run's
 * figures and `--all DIR` writes every one of them.
 */
import { join } from 'node:path';
import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';
import { ApiError } from '../api/contract';
import { metricLineOption } from '../figures/metric-line';
import { parseFontSize, parseLength } from '../figures/paper-theme';
import { FIGURE_FORMATS, exportFigure, type FigureExportOptions, type FigureFormat } from '../figure-export/render';
import { figureFileName, findRunFigure, runFigures } from '../figure-export/run-figures';
import { writeFileAtomic } from '../figure-export/write-atomic';
import type { Workbench } from '../workbench';

export function renderSvg(option: EChartsOption, width = 800, height = 450): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ ...option, animation: false, backgroundColor: '#ffffff' });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

export interface FigureCommandOptions {
  out?: string;
  theme?: string;
  /** A length (3.25in, 8.5cm, 240pt) or, as before, a number of pixels. */
  width?: string;
  height?: string;
  fontSize?: string;
  format?: string;
  scale?: string;
  noTitle?: boolean;
  logY?: boolean;
}

/** A width or height: a plain number is pixels (the screen sizes of the old form), else a length. */
function lengthPt(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (/^\s*\d+(\.\d+)?\s*$/.test(text)) return parseLength(`${text}px`);
  return parseLength(text);
}

function asFormat(text: string | undefined, out: string | undefined): FigureFormat {
  const f = (text ?? out?.split('.').pop() ?? 'svg').toLowerCase();
  if (!(FIGURE_FORMATS as readonly string[]).includes(f)) throw new ApiError('invalid_input', `--format must be one of ${FIGURE_FORMATS.join(', ')} (got "${f}")`);
  return f as FigureFormat;
}

/** Export settings from the flags; the paper theme defaults to one column (3.25 in) at 8 pt. */
export function exportSettings(o: FigureCommandOptions): FigureExportOptions {
  const theme = o.theme ?? 'paper';
  if (theme !== 'paper' && theme !== 'screen') throw new ApiError('invalid_input', `--theme must be paper or screen (got "${theme}")`);
  const widthPt = lengthPt(o.width, theme === 'paper' ? 234 : 600);
  const heightPt = lengthPt(o.height, Math.round(widthPt * (theme === 'paper' ? 0.75 : 0.5625)));
  const scale = o.scale === undefined ? 2 : Number(o.scale);
  if (![1, 2, 3].includes(scale)) throw new ApiError('invalid_input', `--scale must be 1, 2 or 3 (got "${o.scale}")`);
  return { theme, widthPt, heightPt, fontPt: o.fontSize ? parseFontSize(o.fontSize) : 8, title: !o.noTitle, scale };
}

/** The old form: the given metrics (all when none) of one run in one chart. */
export async function metricFigure(wb: Workbench, runId: string, keys: string[], o: FigureCommandOptions): Promise<string> {
  if (!o.out) throw new ApiError('invalid_input', 'der figure needs --out FILE');
  const detail = await wb.service.getRun(runId);
  const wanted = keys.length > 0 ? keys : detail.series.map((s) => s.key);
  const missing = wanted.filter((k) => !detail.series.some((s) => s.key === k));
  if (missing.length) throw new ApiError('not_found', `run ${runId} has no metric ${missing.join(', ')} (it has: ${detail.series.map((s) => s.key).join(', ') || 'none'})`);
  const series = await wb.service.getMetrics(runId, wanted, { maxPoints: 2000 });
  const option = metricLineOption(series, { title: `${detail.name}: ${wanted.join(', ')}`, logY: o.logY, yName: wanted.length === 1 ? wanted[0] : 'value' });
  const settings = exportSettings({ theme: 'screen', ...o });
  writeFileAtomic(o.out, await exportFigure(option, asFormat(o.format, o.out), settings));
  return o.out;
}

/** Names and titles of the figures of these runs, one per line. */
export async function listFigures(wb: Workbench, runIds: string[]): Promise<string[]> {
  return (await runFigures(wb.service, runIds)).map((f) => `${f.name.padEnd(36)} ${f.title}`);
}

/** One named figure of these runs to a file. */
export async function namedFigure(wb: Workbench, runIds: string[], name: string, o: FigureCommandOptions): Promise<string> {
  if (!o.out) throw new ApiError('invalid_input', 'der figure needs --out FILE (or --all DIR)');
  const fig = await findRunFigure(wb.service, runIds, name);
  const option = await fig.build();
  writeFileAtomic(o.out, await exportFigure(option, asFormat(o.format, o.out), exportSettings(o)));
  return o.out;
}

/** Every figure of these runs into a folder, one file per figure and format; returns the paths. */
export async function allFigures(wb: Workbench, runIds: string[], dir: string, o: FigureCommandOptions, formats: FigureFormat[] = o.format ? [asFormat(o.format, undefined)] : ['svg', 'pdf']): Promise<string[]> {
  const settings = exportSettings(o);
  const written: string[] = [];
  for (const fig of await runFigures(wb.service, runIds)) {
    const option = await fig.build();
    for (const format of formats) {
      const path = join(dir, `${figureFileName(fig.name)}.${format}`);
      writeFileAtomic(path, await exportFigure(option, format, settings));
      written.push(path);
    }
  }
  return written;
}
