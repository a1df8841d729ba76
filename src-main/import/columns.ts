/**
 * Column roles shared by the CSV and JSONL importers. Long logs have one metric value per row
 * (`run,key,step,value`); wide logs have one row per step and one column per metric (`step,loss,acc`).
 */
import { ImportError, newParsedRun, parseNumberCell, seriesOf, type ImportFormat, type ParsedRun, type SeriesBuffer } from './parsed-run';

const ROLE_NAMES = {
  run: ['run', 'run_name', 'run_id', 'runid'],
  key: ['key', 'metric', 'tag', 'name'],
  step: ['step', 'global_step', 'iteration', 'iter', 'epoch'],
  value: ['value'],
  wall: ['wall_time', 'walltime', 'timestamp', 'time', 'wall time'],
} as const;
export type Role = keyof typeof ROLE_NAMES;

const ROLE_OF = new Map<string, Role>((Object.entries(ROLE_NAMES) as Array<[Role, readonly string[]]>).flatMap(([role, names]) => names.map((n) => [n, role] as const)));

export function roleOf(column: string): Role | null {
  return ROLE_OF.get(column.trim().toLowerCase()) ?? null;
}

/** Seconds (TensorBoard, MLflow exports) or milliseconds since the epoch → milliseconds. */
export function wallMs(v: number): number {
  return v < 1e11 ? v * 1000 : v;
}

/** Collects rows of one file into runs, one per distinct `run` value (or one named after the file). */
export class RowCollector {
  private readonly runs = new Map<string, ParsedRun>();
  private readonly implicitStep = new Map<string, number>();
  // The series of the previous row: long logs repeat one run and key for many rows.
  private lastRun: string | null | undefined = undefined;
  private lastKey = '';
  private lastSeries: SeriesBuffer | null = null;

  constructor(
    private readonly format: ImportFormat,
    private readonly origin: string,
    private readonly defaultName: string,
  ) {}

  private run(name: string | null): ParsedRun {
    const n = name ?? this.defaultName;
    let r = this.runs.get(n);
    if (!r) {
      this.runs.set(n, (r = newParsedRun(n, this.format, this.origin)));
      r.config = { importedFrom: { format: this.format, file: this.origin } };
    }
    return r;
  }

  /** The step of a row that has none: its index among the rows of its run. */
  nextImplicitStep(run: string | null): number {
    const k = run ?? this.defaultName;
    const s = this.implicitStep.get(k) ?? 0;
    this.implicitStep.set(k, s + 1);
    return s;
  }

  add(run: string | null, key: string, step: number, value: number | null, wall: number): void {
    if (this.lastSeries === null || run !== this.lastRun || key !== this.lastKey) {
      this.lastSeries = seriesOf(this.run(run), key);
      this.lastRun = run;
      this.lastKey = key;
    }
    this.lastSeries.push(step, value, wall);
  }

  result(where: string): ParsedRun[] {
    const runs = [...this.runs.values()].filter((r) => r.series.size > 0);
    if (runs.length === 0) throw new ImportError(`${where}: no metric values found`);
    return runs;
  }
}

/** `origin` and `line` name the place in an error; no closure is built per row. */
export function stepOf(text: string, origin: string, line: number): number {
  const n = parseNumberCell(text);
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new ImportError(`${origin}: line ${line}: step "${text}" is not an integer`);
  return n;
}

export function valueOf(text: string, origin: string, line: number): number | null | 'empty' {
  const v = parseNumberCell(text);
  if (v === 'bad') throw new ImportError(`${origin}: line ${line}: "${text.length > 40 ? text.slice(0, 40) + '…' : text}" is not a number`);
  return v;
}
