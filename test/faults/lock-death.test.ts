import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../src-main/store/run-store';
import { startDer, waitUntil, workersOf } from '../integration/cli-process';
import { holdWriteLock } from '../integration/lock-holder';
import { figure, scale } from './figures';

describe('fault: the write lock held by another process across a worker death', () => {
  it('the CLI survives, records the run crashed and exits 1', async () => {
    const n = scale(1, 5);
    const dir = mkdtempSync(join(tmpdir(), 'der-fault-lock-'));
    const db = join(dir, 'runs.db');
    let ok = 0;
    const outcomes: string[] = [];
    try {
      for (let i = 0; i < n; i++) {
        const der = startDer(db, ['run', 'selftest', '--set', 'steps=10000000', '--set', 'delayMs=1', '--json']);
        let worker = 0;
        await waitUntil(() => ((worker = workersOf(der.child.pid!)[0] ?? 0), worker > 0), 60_000, 100);
        await waitUntil(() => {
          const d = new Database(db, { readonly: true });
          try {
            return (d.prepare("SELECT count(*) AS n FROM series s JOIN runs r ON r.id = s.run_id WHERE r.status = 'running' AND s.count > 50").get() as { n: number }).n > 0;
          } finally {
            d.close();
          }
        }, 60_000, 100);
        await holdWriteLock(db, { holdMs: 500, killPid: worker, killAfterMs: 200 });
        const exit = await Promise.race([der.exited, new Promise<null>((r) => setTimeout(() => r(null), 60_000))]);
        const store = RunStore.open(db);
        const run = store.runs.list({ limit: 1 })[0];
        store.close();
        const epipe = /EPIPE/.test(der.stderr());
        outcomes.push(`${exit ? `exit ${exit.code}` : 'hung'} ${run.status}${epipe ? ' EPIPE' : ''}`);
        if (exit?.code === 1 && run.status === 'crashed' && !epipe) ok++;
        if (!exit) der.child.kill('SIGKILL');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    figure(`write lock held across a worker death × ${n}`, `CLI exit 1 with the run crashed ${ok}/${n} (${outcomes.join(', ')})`);
    expect(ok).toBe(n);
  });
});
