/** CSV metric logs, long (`run,key,step,value[,wall_time]`) or wide (`step,loss,acc,…`), parsed as a stream. */
import { createReadStream, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { lazyPackage } from '../lazy-package';
import { RowCollector, roleOf, stepOf, valueOf, wallMs, type Role } from './columns';
import { ImportError, type ImportProgress, type ParsedRun } from './parsed-run';

const papaparse = lazyPackage<typeof import('papaparse')>('papaparse');

export async function importCsv(path: string, origin: string, onProgress?: ImportProgress): Promise<ParsedRun[]> {
  const size = Math.max(1, statSync(path).size);
  const name = basename(origin, extname(origin));
  const collector = new RowCollector('csv', origin, name);
  let header: string[] | null = null;
  let roles: Array<Role | null> = [];
  let long = false;
  let col: Partial<Record<Role, number>> = {};
  let line = 1;
  let failure: Error | null = null;
  const now = Date.now();
  let lastReport = 0;

  // In a wide log every column but run, step and wall time is a metric (a lone "Value" column included).
  const isMetric = (i: number): boolean => roles[i] === null || roles[i] === 'value';
  const handleRow = (cells: string[]): void => {
    const where = (): string => `${origin}: line ${line}`;
    if (!header) {
      header = cells.map((c) => c.trim());
      roles = header.map(roleOf);
      col = {};
      roles.forEach((r, i) => {
        if (r && col[r] === undefined) col[r] = i;
      });
      long = col.key !== undefined && col.value !== undefined;
      if (long && col.step === undefined) throw new ImportError(`${where()}: a long log (key, value columns) needs a step column`);
      if (!long && !header.some((h, i) => isMetric(i) && h !== '')) throw new ImportError(`${where()}: no metric columns in the header (${header.join(', ')})`);
      return;
    }
    if (cells.length !== header.length) throw new ImportError(`${where()}: ${cells.length} fields, the header has ${header.length}`);
    const run = col.run !== undefined ? cells[col.run].trim() || null : null;
    const wallText = col.wall !== undefined ? cells[col.wall] : '';
    const wallNum = wallText.trim() === '' ? null : valueOf(wallText, where);
    const wall = typeof wallNum === 'number' ? wallMs(wallNum) : now;
    if (long) {
      const key = cells[col.key!].trim();
      if (!key) throw new ImportError(`${where()}: empty metric key`);
      const v = valueOf(cells[col.value!], where);
      if (v === 'empty') throw new ImportError(`${where()}: no value`);
      collector.add(run, key, stepOf(cells[col.step!], where), v, wall);
      return;
    }
    const step = col.step !== undefined ? stepOf(cells[col.step], where) : collector.nextImplicitStep(run);
    const single = header.filter((_, i) => isMetric(i)).length === 1;
    for (let i = 0; i < header.length; i++) {
      if (!isMetric(i) || header[i] === '') continue;
      const v = valueOf(cells[i], where);
      if (v === 'empty') continue;
      // TensorBoard's CSV download is `Wall time,Step,Value`: name the one series after the file.
      collector.add(run, single && header[i].toLowerCase() === 'value' ? name : header[i], step, v, wall);
    }
  };

  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(path, { encoding: 'utf8' });
    stream.on('error', (err) => reject(new ImportError(`${origin}: ${err.message}`)));
    papaparse().parse<string[]>(stream as unknown as File, {
      header: false,
      skipEmptyLines: 'greedy',
      step: (results, parser) => {
        if (failure) return;
        try {
          if (results.errors.length > 0) throw new ImportError(`${origin}: line ${line}: ${results.errors[0].message}`);
          handleRow(results.data);
          line++;
          const cursor = results.meta.cursor;
          if (onProgress && cursor - lastReport > size / 100) ((lastReport = cursor), onProgress(Math.min(1, cursor / size), `reading ${origin}`));
        } catch (err) {
          failure = err as Error;
          parser.abort();
        }
      },
      complete: () => (failure ? reject(failure) : resolve()),
      error: (err: Error) => reject(new ImportError(`${origin}: ${err.message}`)),
    });
  });
  if (!header) throw new ImportError(`${origin}: empty file`);
  return collector.result(origin);
}
