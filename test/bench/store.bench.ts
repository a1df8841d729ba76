/**
 * The run store: metric ingest through the recorder (worker messages of 2,000 rows, as the worker entry batches
 * them), against raw batched inserts into a plain metrics table in the same run; and getMetrics of a
 * 1,000,000-step metric at maxPoints 2000, against a full scan of the same rows.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunRecorder } from '../../src-main/jobs/recorder';
import { RunStore } from '../../src-main/store/run-store';
import type { BenchResult } from './types';

const STEPS = 1_000_000;
const BATCH = 2000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export default async function (): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'der-bench-'));
  try {
    const store = RunStore.open(join(dir, 'runs.db'));
    store.runs.create({ id: 'bench', kind: 'selftest', name: 'bench', config: {}, seed: 1 });
    const recorder = new RunRecorder(store, 'bench');
    let seq = 0;
    const t0 = performance.now();
    for (let a = 0; a < STEPS; a += BATCH) {
      const rows = new Array(BATCH);
      for (let i = 0; i < BATCH; i++) rows[i] = { key: 'loss', step: a + i, value: Math.sin((a + i) / 1000) + 0.001 * i };
      recorder.record({ type: 'metrics', seq: seq++, rows });
    }
    const ingestMs = performance.now() - t0;

    // Peer: raw batched inserts of the same rows into the simplest table, same machine, same run.
    const peer = new Database(join(dir, 'peer.db'));
    peer.pragma('journal_mode = WAL');
    peer.pragma('synchronous = NORMAL');
    peer.exec('CREATE TABLE m (run_id TEXT, key TEXT, step INTEGER, value REAL, wall REAL, PRIMARY KEY (run_id, key, step)) WITHOUT ROWID');
    const ins = peer.prepare('INSERT INTO m VALUES (?, ?, ?, ?, ?)');
    const p0 = performance.now();
    for (let a = 0; a < STEPS; a += BATCH) {
      peer.transaction(() => {
        for (let i = 0; i < BATCH; i++) ins.run('bench', 'loss', a + i, Math.sin((a + i) / 1000), 0);
      })();
    }
    const peerMs = performance.now() - p0;

    const queryTimes: number[] = [];
    let points = 0;
    for (let r = 0; r < 15; r++) {
      const q0 = performance.now();
      points = store.metrics.query('bench', 'loss', { maxPoints: 2000 }).points.length;
      queryTimes.push(performance.now() - q0);
    }
    const zoomTimes: number[] = [];
    let zoomPoints = 0;
    for (let r = 0; r < 15; r++) {
      const q0 = performance.now();
      zoomPoints = store.metrics.query('bench', 'loss', { maxPoints: 2000, fromStep: 123_456, toStep: 323_456 }).points.length;
      zoomTimes.push(performance.now() - q0);
    }
    const s0 = performance.now();
    const scanned = (store.db.prepare('SELECT count(*) AS n, min(value) AS lo, max(value) AS hi FROM metrics').get() as { n: number }).n;
    const scanMs = performance.now() - s0;
    store.close();
    peer.close();
    return {
      name: 'store',
      rows: [
        { case: 'ingest through recorder', rows: STEPS, ms: ingestMs, rows_per_s: Math.round(STEPS / (ingestMs / 1000)), peer: 'raw batched INSERT', peer_rows_per_s: Math.round(STEPS / (peerMs / 1000)), ratio_vs_peer: ingestMs / peerMs },
        { case: 'getMetrics 1e6 steps, maxPoints 2000 (median of 15)', rows: points, ms: median(queryTimes), peer: 'full scan of the rows', peer_ms: scanMs, ratio_vs_peer: median(queryTimes) / scanMs },
        { case: 'getMetrics 200k-step zoom, maxPoints 2000 (median of 15)', rows: zoomPoints, ms: median(zoomTimes), peer: '', peer_ms: null, ratio_vs_peer: null },
      ],
      notes: [`full scan read ${scanned} rows`],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
