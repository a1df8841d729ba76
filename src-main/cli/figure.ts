/**
 * `der figure`: the figures the app draws, rendered headless from the run's data in the database, as SVG,
 * PDF or PNG, in the screen or the paper theme, at a column width and font size; `--list` names a run's
 * figures and `--all DIR` writes every one of them.
 */
import { join } from 'node:path';
import type { EChartsOption } from 'echarts';
import { ApiError } from '../api/contract';
import { metricLineOption } from '../figures/metric-line';
import { echartsSsr, exportFigure, type FigureFormat } from '../figure-export/render';
import { asFormat, exportSettings, type FigureCommandOptions } from '../figure-export/settings';

export type { FigureCommandOptions };
import { exportAllFigures } from '../figure-export/export-all';
import { findRunFigure, runFigures } from '../figure-export/run-figures';
import { writeFileAtomic } from '../figure-export/write-atomic';
import type { Workbench } from '../workbench';

export function renderSvg(option: EChartsOption, width = 800, height = 450): string {
  const chart = echartsSsr().init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ ...option, animation: false, backgroundColor: '#ffffff' });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
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
  const settings = exportSettings({ ...o, theme: o.theme ?? 'screen' });
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
  const files = await exportAllFigures(wb.service, runIds, exportSettings(o), formats);
  return files.map((f) => {
    const path = join(dir, f.name);
    writeFileAtomic(path, f.bytes);
    return path;
  });
}
