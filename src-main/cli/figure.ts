/**
 * `der figure`: the same ECharts options the app draws, rendered headless to SVG with ECharts' server-side
 * renderer, from the run's data in the database. (PNG needs a canvas, which Node lacks: the app's Save figure
 * gives PNG at 2×; from the CLI convert the SVG, e.g. with rsvg-convert or a browser.)
 */
import { writeFileSync } from 'node:fs';
import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';
import { ApiError } from '../api/contract';
import { metricLineOption } from '../figures/metric-line';
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

export async function metricFigure(wb: Workbench, runId: string, keys: string[], opts: { out: string; width?: number; height?: number; logY?: boolean; maxPoints?: number }): Promise<string> {
  const detail = await wb.service.getRun(runId);
  const wanted = keys.length > 0 ? keys : detail.series.map((s) => s.key);
  const missing = wanted.filter((k) => !detail.series.some((s) => s.key === k));
  if (missing.length) throw new ApiError('not_found', `run ${runId} has no metric ${missing.join(', ')} (it has: ${detail.series.map((s) => s.key).join(', ') || 'none'})`);
  const series = await wb.service.getMetrics(runId, wanted, { maxPoints: opts.maxPoints ?? 2000 });
  const svg = renderSvg(metricLineOption(series, { title: `${detail.name}: ${wanted.join(', ')}`, logY: opts.logY }), opts.width, opts.height);
  writeFileSync(opts.out, svg);
  return opts.out;
}
