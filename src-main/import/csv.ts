/** CSV metric logs, long (`run,key,step,value[,wall_time]`) or wide (`step,loss,acc,…`), parsed as a stream. */
import { createReadStream, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { lazyPackage } from '../lazy-package';
import { RowCollector, roleOf, stepOf, valueOf, wallMs, type Role } from './columns';
import { ImportError, type ImportProgress, type ParsedRun } from './parsed-run';

const papaparse = lazyPackage<typeof import('papaparse')>('papaparse');

const isBlank = (cells: string[]): boolean => {
  const first = cells[0];
  if (first.length > 0 && first.charCodeAt(0) > 32) return false;
  return cells.every((c) => c.trim() === '');
};

export async function importCsv(path: string, origin: string, onProgress?: ImportProgress): Promise<ParsedRun[]> {
  const size = Math.max(1, statSync(path).size);
  const name = basename(origin, extname(origin));
  const collector = new RowCollector('csv', origin, name);
  let header: string[] | null = null;
  let roles: Array<Role | null> = [];
  let long = false;
  let col: Partial<Record<Role, number>> = {};
  let single = false;
  let line = 1;
  let failure: Error | null = null;
  const now = Date.now();
  let lastReport = 0;

  // In a wide log every column but run, step and wall time is a metric (a lone "Value" column included).
  const isMetric = (i: number): boolean => roles[i] === null || roles[i] === 'value';
  const handleRow = (cells: string[]): void => {
    if (!header) {
      header = cells.map((c) => c.trim());
      roles = header.map(roleOf);
      col = {};
      roles.forEach((r, i) => {
        if (r && col[r] === undefined) col[r] = i;
      });
      long = col.key !== undefined && col.value !== undefined;
      if (long && col.step === undefined) throw new ImportError(`${origin}: line ${line}: a long log (key, value columns) needs a step column`);
      if (!long && !header.some((h, i) => isMetric(i) && h !== '')) throw new ImportError(`${origin}: line ${line}: no metric columns in the header (${header.join(', ')})`);
      single = header.filter((_, i) => isMetric(i)).length === 1;
      return;
    }
    if (cells.length !== header.length) throw new ImportError(`${origin}: line ${line}: ${cells.length} fields, the header has ${header.length}`);
    const run = col.run !== undefined ? cells[col.run].trim() || null : null;
    const wallText = col.wall !== undefined ? cells[col.wall] : '';
    const wallNum = wallText === '' ? null : valueOf(wallText, origin, line);
    const wall = typeof wallNum === 'number' ? wallMs(wallNum) : now;
    if (long) {
      const keyCell = cells[col.key!];
      // Trimming allocates; most keys have no surrounding white space.
      const key = keyCell.length > 0 && keyCell.charCodeAt(0) > 32 && keyCell.charCodeAt(keyCell.length - 1) > 32 ? keyCell : keyCell.trim();
      if (!key) throw new ImportError(`${origin}: line ${line}: empty metric key`);
      const v = valueOf(cells[col.value!], origin, line);
      if (v === 'empty') throw new ImportError(`${origin}: line ${line}: no value`);
      collector.add(run, key, stepOf(cells[col.step!], origin, line), v, wall);
      return;
    }
    const step = col.step !== undefined ? stepOf(cells[col.step], origin, line) : collector.nextImplicitStep(run);
    for (let i = 0; i < header.length; i++) {
      if (!isMetric(i) || header[i] === '') continue;
      const v = valueOf(cells[i], origin, line);
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
      // Rows of white space only are skipped in handleRow: papaparse's 'greedy' joins every row to test it.
      skipEmptyLines: true,
      // Rows come a chunk at a time: no result object per row.
      chunk: (results, parser) => {
        if (failure) return;
        try {
          const firstError = results.errors.reduce((m, e) => Math.min(m, e.row ?? 0), Infinity);
          const rows = results.data;
          for (let r = 0; r < rows.length; r++) {
            if (r === firstError) throw new ImportError(`${origin}: line ${line}: ${results.errors.find((e) => (e.row ?? 0) === r)?.message}`);
            if (!isBlank(rows[r])) handleRow(rows[r]);
            line++;
          }
          if (firstError !== Infinity && firstError >= rows.length) throw new ImportError(`${origin}: line ${line}: ${results.errors[0].message}`);
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
