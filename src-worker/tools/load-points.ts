/**
 * Reads a point file for the command-line tools, chosen by extension: .json, QuickDraw .ndjson, binary .f64
 * (float64 x, y pairs) or .npy, and anything else as CSV / whitespace-separated text (qhull rbox output too).
 */
import { readFileSync, statSync } from 'node:fs';
import { parseF64Points, parseNpyPoints } from '../geometry/binary-points';
import { parsePointsText } from '../geometry/csv-points';
import { extname } from 'node:path';
import { generatePoints, isDatasetName, parseJsonPoints, parseQuickDrawNdjson, preparePoints } from '../geometry/points';

export interface ToolPoints {
  /** Flat [x0, y0, x1, y1, …]; index k is data row k of the file (header and comments not counted). */
  points: Float64Array;
  source: string;
  /** With --normalize (dedupe): rowOf[k] = input row of point k. */
  rowOf: Uint32Array | null;
}

export function loadToolPoints(opts: { file?: string; dataset?: string; n?: number; seed?: number; normalize?: boolean }): ToolPoints {
  let points: Float64Array;
  let source: string;
  if (opts.file) {
    let isFile: boolean;
    try {
      isFile = statSync(opts.file).isFile();
    } catch (err) {
      throw new ToolUsageError(`cannot read ${opts.file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    }
    if (!isFile) throw new ToolUsageError(`${opts.file} is a directory or special file, not a points file`);
    const bytes = readFileSync(opts.file);
    const ext = extname(opts.file).toLowerCase();
    const text = (): string => bytes.toString('utf8');
    const loaded =
      ext === '.json' ? parseJsonPoints(text(), { dims: 2 })
      : ext === '.ndjson' ? parseQuickDrawNdjson(text())
      : ext === '.f64' ? parseF64Points(bytes, 2)
      : ext === '.npy' ? parseNpyPoints(bytes, 2)
      : parsePointsText(bytes, { dims: 2 });
    points = loaded.points;
    source = opts.file;
  } else if (opts.dataset) {
    if (!isDatasetName(opts.dataset)) throw new ToolUsageError(`unknown dataset "${opts.dataset}"`);
    if (!Number.isInteger(opts.n) || (opts.n ?? 0) < 1) throw new ToolUsageError('--dataset needs --n N (a positive integer)');
    points = generatePoints(opts.dataset, opts.n!, opts.seed ?? 42);
    source = `${opts.dataset} n=${opts.n} seed=${opts.seed ?? 42}`;
  } else throw new ToolUsageError('give a points file or --dataset NAME --n N');
  if (!opts.normalize) return { points, source, rowOf: null };
  const prepared = preparePoints(points, 2);
  return { points: prepared.points, source, rowOf: prepared.kept };
}

export class ToolUsageError extends Error {
  override name = 'ToolUsageError';
}
