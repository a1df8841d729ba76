import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { projectRoot } from '../../src-main/paths';
import { cliEnv, databaseWithOrphan } from '../integration/cli-process';
import { tempWorkbench } from '../integration/helpers';
import { figure, fmt } from './figures';

describe('fault: a full disk', () => {
  it('at start-up (der list under ulimit -f): lists read-only and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'der-fault-full-'));
    try {
      const path = databaseWithOrphan(dir, 'runs.db', 'orphan');
      const child = spawn('bash', ['-c', 'ulimit -f 48; exec "$0" --import tsx src-main/cli/der.ts list --json', process.execPath], { cwd: projectRoot(), env: cliEnv(path), stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.stderr.on('data', (b: Buffer) => (err += b.toString()));
      const code = await new Promise<number | null>((r) => child.on('exit', r));
      const listed = code === 0 ? (JSON.parse(out) as unknown[]).length : 0;
      figure('full disk at start-up', `der list exit ${code}, ${listed} run listed, says read-only: ${/read-only/.test(err) ? 'yes' : 'no'}`);
      expect(code).toBe(0);
      expect(listed).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('mid-run: the run ends failed with the reason, what was stored stays, the database is sound', async () => {
    const wb = tempWorkbench();
    try {
      const run = await wb.service.startRun('selftest', { steps: 200_000, delayMs: 0 });
      const pages = wb.store.db.pragma('page_count', { simple: true }) as number;
      wb.store.db.pragma(`max_page_count = ${pages + 40}`);
      const t0 = performance.now();
      const ended = await wb.queue.waitFor(run.id);
      const kept = wb.store.metrics.listSeries(run.id).find((s) => s.key === 'loss')?.count ?? 0;
      const integrity = wb.store.integrityCheck();
      figure('full disk mid-run', `run ${ended.status} in ${fmt((performance.now() - t0) / 1000)} s ("${ended.error?.slice(0, 60)}"), ${kept} steps kept, integrity ${integrity}`);
      expect(ended.status).toBe('failed');
      expect(integrity).toBe('ok');
    } finally {
      await wb.dispose();
    }
  });

  it("at the run's end: the end is reported without hanging", async () => {
    const wb = tempWorkbench();
    try {
      vi.spyOn(wb.store.runs, 'finish').mockImplementation(() => {
        throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      });
      const run = await wb.service.startRun('selftest', { steps: 50, delayMs: 0 });
      let exitedAt = 0;
      wb.service.onEvent((e) => {
        if (e.type === 'runChanged' && e.run.id === run.id && e.run.status !== 'running' && e.run.status !== 'queued') exitedAt ||= performance.now();
      });
      const ended = await Promise.race([wb.queue.waitFor(run.id), new Promise<null>((r) => setTimeout(() => r(null), 60_000))]);
      const lag = performance.now() - exitedAt;
      figure("full disk at the run's end", ended ? `waiters told "${ended.status}" ${fmt(lag, 0)} ms after the end event, store row left ${wb.store.runs.get(run.id)?.status} (crashed at the next start)` : 'HUNG');
      expect(ended?.status).toBe('done');
      vi.restoreAllMocks();
    } finally {
      vi.restoreAllMocks();
      await wb.dispose();
    }
  });
});
