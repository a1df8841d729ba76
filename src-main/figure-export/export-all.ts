/** Every figure of some runs as file bytes, one file per figure and format (the CLI's --all, the app's Export all figures). */
import { exportFigure, type FigureExportOptions, type FigureFormat } from './render';
import { figureFileName, runFigures, type FigureApi } from './run-figures';

export async function exportAllFigures(api: FigureApi, runIds: readonly string[], settings: FigureExportOptions, formats: readonly FigureFormat[]): Promise<Array<{ name: string; bytes: Buffer }>> {
  const out: Array<{ name: string; bytes: Buffer }> = [];
  for (const fig of await runFigures(api, runIds)) {
    const option = await fig.build();
    for (const format of formats) out.push({ name: `${figureFileName(fig.name)}.${format}`, bytes: await exportFigure(option, format, settings) });
  }
  return out;
}
