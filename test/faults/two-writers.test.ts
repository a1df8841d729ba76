import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../src-main/store/run-store';
import { startDer } from '../integration/cli-process';
import { figure, fmt, quantile, scale } from './figures';

describe('fault: two writing processes and a reader every 50 ms on one database', () => {
  it('stores every row of both runs, with no error, while the reader keeps reading', async () => {
    const seconds = scale(6, 60);
    const steps = seconds * 250;
    const dir = mkdtempSync(join(tmpdir(), 'der-fault-2w-'));
    const db = join(dir, 'runs.db');
    RunStore.open(db).close();
    const latencies: number[] = [];
    let readerErrors = 0;
    try {
      const writers = [0, 1].map(() => startDer(db, ['run', 'selftest', '--set', `steps=${steps}`, '--set', 'delayMs=2', '--json']));
      let running = true;
      const exited = Promise.all(writers.map((w) => w.exited)).finally(() => (running = false));
      const reader = new Database(db, { readonly: true });
      reader.pragma('busy_timeout = 5000');
      const list = reader.prepare('SELECT id, status FROM runs ORDER BY created_at DESC LIMIT 50');
      const rows = reader.prepare('SELECT s.key, count(m.step) AS n FROM series s JOIN metrics m ON m.series_id = s.id GROUP BY s.id');
      while (running) {
        const t0 = performance.now();
        try {
          list.all();
          rows.all();
        } catch {
          readerErrors++;
        }
        latencies.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 50));
      }
      reader.close();
      const codes = await exited;
      const results = writers.map((w) => {
        try {
          return JSON.parse(w.stdout()) as { id: string; status: string };
        } catch {
          return { id: '', status: `no result (${w.stderr().trim().split('\n').at(-1)})` };
        }
      });
      const store = RunStore.open(db);
      const stored = results.map((r) => store.metrics.listSeries(r.id).reduce((a, s) => a + s.count, 0));
      const integrity = store.integrityCheck();
      store.close();
      const writerErrors = codes.filter((c) => c.code !== 0).length + writers.filter((w) => /locked|SQLITE_BUSY/i.test(w.stderr())).length;
      const lost = stored.reduce((a, n) => a + (3 * steps - n), 0);
      figure(
        `two writers + a 50 ms reader, ${steps} steps each`,
        `${writerErrors + readerErrors} errors, ${lost} lost rows of ${6 * steps}, runs ${results.map((r) => r.status).join('/')}, ${latencies.length} reads, reader p50 ${fmt(quantile(latencies, 0.5), 1)} ms, p99 ${fmt(quantile(latencies, 0.99), 1)} ms, integrity ${integrity}`,
      );
      expect(writerErrors + readerErrors).toBe(0);
      expect(lost).toBe(0);
      expect(results.map((r) => r.status)).toEqual(['done', 'done']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
