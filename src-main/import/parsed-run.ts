/**
 * What every importer produces: runs with their metric series held as parallel arrays, written to the store
 * only after the whole input has been read and checked (all-or-nothing).
 */
import type { JsonObject, RunStatus } from '../api/contract';

export type ImportFormat = 'der-json' | 'csv' | 'jsonl' | 'tensorboard' | 'mlflow';

export class SeriesBuffer {
  readonly steps: number[] = [];
  readonly values: Array<number | null> = [];
  readonly walls: number[] = [];

  push(step: number, value: number | null, wall: number): void {
    this.steps.push(step);
    this.values.push(value);
    this.walls.push(wall);
  }

  get length(): number {
    return this.steps.length;
  }
}

export interface ParsedRun {
  /** A run id the source carries (MLflow's run id); the import checks it is free. Otherwise a new id is made. */
  id?: string;
  name: string;
  format: ImportFormat;
  /** Where it came from, as the user named it (a path, or a file name for app uploads). */
  origin: string;
  config: JsonObject;
  tags: string[];
  status: Exclude<RunStatus, 'queued' | 'running'>;
  createdAt: number | null;
  startedAt: number | null;
  endedAt: number | null;
  series: Map<string, SeriesBuffer>;
}

export function newParsedRun(name: string, format: ImportFormat, origin: string): ParsedRun {
  return { name, format, origin, config: {}, tags: [], status: 'done', createdAt: null, startedAt: null, endedAt: null, series: new Map() };
}

export function seriesOf(run: ParsedRun, key: string): SeriesBuffer {
  let s = run.series.get(key);
  if (!s) run.series.set(key, (s = new SeriesBuffer()));
  return s;
}

/** An input the importer refuses; the message names the file and the line or record. Nothing was written. */
export class ImportError extends Error {
  override name = 'ImportError';
  constructor(
    message: string,
    readonly code: 'invalid_input' | 'conflict' = 'invalid_input',
  ) {
    super(message);
  }
}

export type ImportProgress = (fraction: number, message: string) => void;

/** A number in a text log: "nan", "inf" and friends are kept as missing values (the store keeps only finite ones). */
export function parseNumberCell(text: string): number | null | 'empty' | 'bad' {
  const t = text.trim();
  if (t === '') return 'empty';
  const n = Number(t);
  if (Number.isFinite(n)) return n;
  if (/^[+-]?(nan|inf|infinity)$/i.test(t)) return null;
  return 'bad';
}
