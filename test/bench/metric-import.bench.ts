/**
 * Import of 10⁶ metric rows: CSV (long), JSONL (long) and a TensorBoard event file through `importPaths`
 * (read, check, one transaction), split into reading and writing, against a raw batched INSERT of the same
 * rows into the same table layout, measured right after each import in the same run.
 */
import Database from 'better-sqlite3';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readImportSource } from '../../src-main/import/import-runs';
import { openWorkbench } from '../../src-main/workbench';
import { encodeEvent, frameRecords } from '../fixtures/tfevents-writer';
import type { BenchResult } from './types';

const ROWS = 1_000_000;
const BATCH = 256;

async function writeLines(path: string, header: string, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(path);
  out.write(header);
  let chunk: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    chunk.push(line(i));
    if (chunk.length === 50_000) {
      if (!out.write(chunk.join(''))) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk = [];
    }
  }
  out.write(chunk.join(''));
  await new Promise<void>((r, j) => out.end((err?: Error | null) => (err ? j(err) : r())));
}

async function writeEvents(path: string): Promise<void> {
  const out = createWriteStream(path);
  for (let a = 0; a < ROWS; a += 50_000) {
    const payloads: Uint8Array[] = [];
    for (let i = a; i < a + 50_000; i++) payloads.push(encodeEvent(1_700_000_000 + i / 100, i, [{ tag: 'loss', simple: Math.sin(i / 1000) }]));
    if (!out.write(frameRecords(payloads))) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}

/** The peer: the same rows into the store's metrics layout, multi-row INSERTs in one transaction, nothing else. */
function rawInsert(path: string): number {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE metrics (series_id INTEGER NOT NULL, step INTEGER NOT NULL, value REAL, wall_time REAL NOT NULL,
    PRIMARY KEY (series_id, step)) STRICT, WITHOUT ROWID`);
  const st = db.prepare(`INSERT INTO metrics VALUES ${Array.from({ length: BATCH }, () => '(?, ?, ?, ?)').join(', ')}`);
  const params: number[] = new Array<number>(4 * BATCH);
  const t0 = performance.now();
  db.transaction(() => {
    for (let k = 0; k < ROWS; k += BATCH) {
      for (let j = 0; j < BATCH; j++) {
        params[4 * j] = 1;
        params[4 * j + 1] = k + j;
        params[4 * j + 2] = Math.sin((k + j) / 1000);
        params[4 * j + 3] = 1_700_000_000_000 + k + j;
      }
      st.run(params);
    }
  })();
  const ms = performance.now() - t0;
  db.close();
  return ms;
}

export default async function (): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'der-bench-import-'));
  const rows: BenchResult['rows'] = [];
  const notes: string[] = [];
  try {
    const csv = join(dir, 'metrics.csv');
    await writeLines(csv, 'run,key,step,value\n', (i) => `big,loss,${i},${Math.sin(i / 1000).toFixed(6)}\n`);
    const jsonl = join(dir, 'metrics.jsonl');
    await writeLines(jsonl, '', (i) => `{"run":"big","key":"loss","step":${i},"value":${Math.sin(i / 1000).toFixed(6)}}\n`);
    const events = join(dir, 'events.out.tfevents.1700000000.bench');
    await writeEvents(events);

    const wb = openWorkbench({ dbPath: join(dir, 'runs.db') });
    let peerN = 0;
    for (const [label, path] of [
      ['CSV (long)', csv],
      ['JSONL (long)', jsonl],
      ['TensorBoard events', events],
    ] as const) {
      const load = loadavg()[0];
      const r0 = performance.now();
      await readImportSource(path, path);
      const readMs = performance.now() - r0;
      const progress: number[] = [];
      const t0 = performance.now();
      const r = await wb.service.importPaths([{ path, origin: path }], (f) => progress.push(f));
      const ms = performance.now() - t0;
      const peerMs = rawInsert(join(dir, `peer-${peerN++}.db`));
      const count = wb.store.metrics.listSeries(r.imported[0])[0].count;
      rows.push({
        case: `import ${label}, 10^6 rows (${(statSync(path).size / 1e6).toFixed(0)} MB)`,
        ms,
        read_only_ms: readMs,
        rows_per_s: Math.round(count / (ms / 1000)),
        load_1min: Number(load.toFixed(1)),
        peer: `raw INSERT of the rows, ${BATCH} per statement`,
        peer_ms: peerMs,
        ratio_vs_peer: ms / peerMs,
      });
      notes.push(`${label}: ${count} rows stored, ${progress.length} progress reports`);
    }
    await wb.close();
    return { name: 'metric-import', rows, notes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
