/** Reads a point file for the command-line tools: CSV, JSON or QuickDraw .ndjson, chosen by extension. */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { generatePoints, isDatasetName, parseCsvPoints, parseJsonPoints, parseQuickDrawNdjson, preparePoints } from '../geometry/points';

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
    const text = readFileSync(opts.file, 'utf8');
    const ext = extname(opts.file).toLowerCase();
    const loaded = ext === '.json' ? parseJsonPoints(text, { dims: 2 }) : ext === '.ndjson' ? parseQuickDrawNdjson(text) : parseCsvPoints(text, { dims: 2 });
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
