/**
 * What every importer produces: runs with their metric series held as parallel arrays, written to the store
 * only after the whole input has been read and checked (all-or-nothing).
 */
import type { JsonObject, RunStatus } from '../api/contract';

export type ImportFormat = 'der-json' | 'csv' | 'jsonl' | 'tensorboard' | 'mlflow';

/** One series of an import as growable typed columns (a million rows cost 24 MB, not a million objects). */
export class SeriesBuffer {
  private s = new Float64Array(1024);
  private v = new Float64Array(1024);
  private w = new Float64Array(1024);
  private n = 0;

  /** A missing (non-finite) value is kept as NaN. */
  push(step: number, value: number | null, wall: number): void {
    if (this.n === this.s.length) this.grow();
    this.s[this.n] = step;
    this.v[this.n] = value === null ? NaN : value;
    this.w[this.n] = wall;
    this.n++;
  }

  private grow(): void {
    const more = (a: Float64Array) => {
      const b = new Float64Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.s = more(this.s);
    this.v = more(this.v);
    this.w = more(this.w);
  }

  get steps(): Float64Array {
    return this.s.subarray(0, this.n);
  }

  /** NaN where the value was missing or not finite. */
  get values(): Float64Array {
    return this.v.subarray(0, this.n);
  }

  get walls(): Float64Array {
    return this.w.subarray(0, this.n);
  }

  get length(): number {
    return this.n;
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
  // Number() ignores surrounding white space itself; only a blank cell also reads as 0.
  const fast = Number(text);
  if (Number.isFinite(fast) && (fast !== 0 || text.trim() !== '')) return fast;
  const t = text.trim();
  if (t === '') return 'empty';
  if (/^[+-]?(nan|inf|infinity)$/i.test(t)) return null;
  return 'bad';
}
