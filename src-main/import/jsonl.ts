/**
 * JSON Lines metric logs, read line by line: long (`{"run","key","step","value"}`) or wide
 * (`{"step": 3, "loss": 0.2, "acc": 0.9}`); a `run` field splits the file into runs.
 */
import { createReadStream, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { RowCollector, roleOf, wallMs, type Role } from './columns';
import { ImportError, type ImportProgress, type ParsedRun } from './parsed-run';

function numberField(v: unknown, what: string, origin: string, line: number): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (v === null) return null;
  if (typeof v === 'string' && /^[+-]?(nan|inf|infinity)$/i.test(v.trim())) return null;
  throw new ImportError(`${origin}: line ${line}: ${what} ${JSON.stringify(v)?.slice(0, 40)} is not a number`);
}

function integerStep(v: unknown, origin: string, line: number): number {
  const s = numberField(v, 'step', origin, line);
  if (s === null || !Number.isInteger(s)) throw new ImportError(`${origin}: line ${line}: step ${JSON.stringify(v)} is not an integer`);
  return s;
}

/**
 * The objects of many lines in one JSON.parse (a call per line costs more than the parsing), with a 0 between
 * lines: a value that spanned lines would swallow a 0 (invalid inside an object, misplaced in an array), so a
 * result of exactly one object per line, each followed by its 0, is what line-by-line parsing gives. Anything
 * else returns null and the caller parses each line alone, so the error names the line.
 */
function parseRecords(texts: readonly string[]): unknown[] | null {
  let all: unknown;
  try {
    all = JSON.parse(`[${texts.join(',0,')}]`);
  } catch {
    return null;
  }
  if (!Array.isArray(all) || all.length !== 2 * texts.length - 1) return null;
  const out: unknown[] = new Array<unknown>(texts.length);
  for (let j = 0; j < texts.length; j++) {
    const o: unknown = all[2 * j];
    if (o === null || typeof o !== 'object' || Array.isArray(o) || (j > 0 && all[2 * j - 1] !== 0)) return null;
    out[j] = o;
  }
  return out;
}

/** Lines of a UTF-8 file, read in large chunks (a line's number is its index + 1). */
async function* linesOf(stream: AsyncIterable<string>): AsyncGenerator<string[]> {
  let rest = '';
  for await (const chunk of stream) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    yield lines;
  }
  yield [rest];
}

export async function importJsonl(path: string, origin: string, onProgress?: ImportProgress): Promise<ParsedRun[]> {
  const size = Math.max(1, statSync(path).size);
  const name = basename(origin, extname(origin));
  const collector = new RowCollector('jsonl', origin, name);
  const now = Date.now();
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  // Field names repeat on every line: their role is looked up once.
  const roles = new Map<string, Role | null>();
  const role = (k: string): Role | null => {
    let r = roles.get(k);
    if (r === undefined) roles.set(k, (r = roleOf(k)));
    return r;
  };
  let linesSeen = 0;
  let lastReport = 0;
  try {
    for await (const lines of linesOf(stream)) {
      const firstLine = linesSeen + 1;
      linesSeen += lines.length;
      const texts: string[] = [];
      const numbers: number[] = [];
      lines.forEach((raw, i) => {
        const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        if (text.trim() !== '') (texts.push(text), numbers.push(firstLine + i));
      });
      const objs = texts.length > 0 ? parseRecords(texts) : [];
      for (let j = 0; j < texts.length; j++) {
        const line = numbers[j];
        let obj: unknown;
        if (objs) obj = objs[j];
        else {
          try {
            obj = JSON.parse(texts[j]);
          } catch (err) {
            throw new ImportError(`${origin}: line ${line}: not JSON (${(err as Error).message})`);
          }
        }
        if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new ImportError(`${origin}: line ${line}: not a JSON object`);
        const rec = obj as Record<string, unknown>;
        // The first field of each role counts, as a column does in CSV.
        let runField: unknown;
        let wallField: unknown;
        let stepField: unknown;
        let keyField: unknown;
        let valueField: unknown;
        for (const k in rec) {
          switch (role(k)) {
            case 'run':
              if (runField === undefined) runField = rec[k];
              break;
            case 'wall':
              if (wallField === undefined) wallField = rec[k];
              break;
            case 'step':
              if (stepField === undefined) stepField = rec[k];
              break;
            case 'key':
              if (keyField === undefined) keyField = rec[k];
              break;
            case 'value':
              if (valueField === undefined) valueField = rec[k];
              break;
          }
        }
        const run = runField === undefined || runField === null ? null : String(runField);
        const wall = typeof wallField === 'number' && Number.isFinite(wallField) ? wallMs(wallField) : now;
        if (keyField !== undefined && valueField !== undefined) {
          if (typeof keyField !== 'string' || keyField.trim() === '') throw new ImportError(`${origin}: line ${line}: the metric key must be a non-empty string`);
          const step = integerStep(stepField, origin, line);
          collector.add(run, keyField, step, numberField(valueField, 'value', origin, line), wall);
        } else {
          const step = stepField === undefined ? collector.nextImplicitStep(run) : integerStep(stepField, origin, line);
          for (const k in rec) {
            const r = role(k);
            if (r !== null && r !== 'value') continue;
            const v = rec[k];
            // Wide records may carry strings (a phase name): only numbers are metrics.
            if (typeof v === 'number' || v === null) collector.add(run, k, step, numberField(v, k, origin, line), wall);
          }
        }
      }
      if (onProgress && stream.bytesRead - lastReport > size / 100) ((lastReport = stream.bytesRead), onProgress(Math.min(1, stream.bytesRead / size), `reading ${origin}`));
    }
  } finally {
    stream.destroy();
  }
  return collector.result(origin);
}
