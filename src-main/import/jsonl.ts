/**
 * JSON Lines metric logs, read line by line: long (`{"run","key","step","value"}`) or wide
 * (`{"step": 3, "loss": 0.2, "acc": 0.9}`); a `run` field splits the file into runs.
 */
import { createReadStream, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { createInterface } from 'node:readline';
import { RowCollector, roleOf, wallMs } from './columns';
import { ImportError, type ImportProgress, type ParsedRun } from './parsed-run';

function numberField(v: unknown, what: string, where: () => string): number | null {
  if (v === null) return null;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^[+-]?(nan|inf|infinity)$/i.test(v.trim())) return null;
  throw new ImportError(`${where()}: ${what} ${JSON.stringify(v)?.slice(0, 40)} is not a number`);
}

export async function importJsonl(path: string, origin: string, onProgress?: ImportProgress): Promise<ParsedRun[]> {
  const size = Math.max(1, statSync(path).size);
  const name = basename(origin, extname(origin));
  const collector = new RowCollector('jsonl', origin, name);
  const now = Date.now();
  const stream = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  let lastReport = 0;
  try {
    for await (const text of lines) {
      line++;
      if (text.trim() === '') continue;
      const where = (): string => `${origin}: line ${line}`;
      let obj: unknown;
      try {
        obj = JSON.parse(text);
      } catch (err) {
        throw new ImportError(`${where()}: not JSON (${(err as Error).message})`);
      }
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new ImportError(`${where()}: not a JSON object`);
      const fields = Object.entries(obj as Record<string, unknown>);
      const get = (role: string): unknown => fields.find(([k]) => roleOf(k) === role)?.[1];
      const runField = get('run');
      const run = runField === undefined || runField === null ? null : String(runField);
      const wallField = get('wall');
      const wall = typeof wallField === 'number' && Number.isFinite(wallField) ? wallMs(wallField) : now;
      const stepField = get('step');
      const keyField = get('key');
      const valueField = get('value');
      if (keyField !== undefined && valueField !== undefined) {
        if (typeof keyField !== 'string' || keyField.trim() === '') throw new ImportError(`${where()}: the metric key must be a non-empty string`);
        const step = numberField(stepField, 'step', where);
        if (step === null || !Number.isInteger(step)) throw new ImportError(`${where()}: step ${JSON.stringify(stepField)} is not an integer`);
        collector.add(run, keyField, step, numberField(valueField, 'value', where), wall);
      } else {
        let step: number;
        if (stepField === undefined) step = collector.nextImplicitStep(run);
        else {
          const s = numberField(stepField, 'step', where);
          if (s === null || !Number.isInteger(s)) throw new ImportError(`${where()}: step ${JSON.stringify(stepField)} is not an integer`);
          step = s;
        }
        for (const [k, v] of fields) {
          if (roleOf(k) !== null && roleOf(k) !== 'value') continue;
          // Wide records may carry strings (a phase name): only numbers are metrics.
          if (typeof v === 'number' || v === null) collector.add(run, k, step, numberField(v, k, where), wall);
        }
      }
      if (onProgress && stream.bytesRead - lastReport > size / 100) ((lastReport = stream.bytesRead), onProgress(Math.min(1, stream.bytesRead / size), `reading ${origin}`));
    }
  } finally {
    lines.close();
    stream.destroy();
  }
  return collector.result(origin);
}
