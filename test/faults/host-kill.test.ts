import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkbench } from '../../src-main/workbench';
import { processRunning, startDer, waitUntil, workersOf } from '../integration/cli-process';
import { figure, fmt, scale, seriesSound } from './figures';

describe('fault: SIGKILL of the host (the CLI) at random moments', () => {
  it('leaves no orphan worker after 3 s, and the run is crashed at the next start with no half-stored step', async () => {
    const n = scale(2, 10);
    const dir = mkdtempSync(join(tmpdir(), 'der-fault-host-'));
    const db = join(dir, 'runs.db');
    let noOrphan = 0;
    let crashedAtRestart = 0;
    let sound = 0;
    const gone: number[] = [];
    try {
      for (let i = 0; i < n; i++) {
        const der = startDer(db, ['run', 'selftest', '--set', 'steps=10000000', '--set', 'delayMs=0']);
        let worker = 0;
        await waitUntil(() => ((worker = workersOf(der.child.pid!)[0] ?? 0), worker > 0), 60_000, 100);
        await waitUntil(() => {
          const d = new Database(db, { readonly: true, fileMustExist: true });
          try {
            return (d.prepare("SELECT count(*) AS n FROM series s JOIN runs r ON r.id = s.run_id WHERE r.status = 'running' AND s.count > 0").get() as { n: number }).n > 0;
          } finally {
            d.close();
          }
        }, 60_000, 100);
        await new Promise((r) => setTimeout(r, Math.random() * 1500));
        der.child.kill('SIGKILL');
        const ms = await waitUntil(() => !processRunning(worker), 3000);
        if (ms >= 0) (noOrphan++, gone.push(ms / 1000));
        await der.exited;
        const wb = openWorkbench({ dbPath: db });
        try {
          const run = wb.store.runs.list({ limit: 1 })[0];
          if (run.status === 'crashed') crashedAtRestart++;
          if (seriesSound(wb.store.metrics.listSeries(run.id), ['accuracy', 'loss', 'lr'])) sound++;
        } finally {
          await wb.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    figure(`SIGKILL host × ${n}`, `no orphan after 3 s ${noOrphan}/${n} (worker gone within max ${fmt(Math.max(...gone), 2)} s), run crashed at restart ${crashedAtRestart}/${n}, no half-stored step ${sound}/${n}`);
    expect(noOrphan).toBe(n);
    expect(crashedAtRestart).toBe(n);
    expect(sound).toBe(n);
  });
});
