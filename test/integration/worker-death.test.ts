import { afterEach, describe, expect, it } from 'vitest';
import { SpyHost, tempWorkbench, until, type TempWorkbench } from './helpers';
import { holdWriteLock } from './lock-holder';

let wb: TempWorkbench | null = null;
afterEach(async () => {
  await wb?.dispose();
  wb = null;
});

describe('a worker that dies while main waits for the write lock', () => {
  it('ends its run crashed; the answer to the dead worker does not take main down', async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const host = new SpyHost();
      wb = tempWorkbench({ host });
      const run = await wb.service.startRun('selftest', { steps: 1_000_000, delayMs: 1 });
      await until(() => (wb!.store.metrics.listSeries(run.id)[0]?.count ?? 0) > 20, 30_000, 'first metrics');
      // Main blocks on its next write while the lock is held; the worker dies during the wait, so the ack
      // for that write goes to a dead process.
      await holdWriteLock(wb.dbPath, { holdMs: 400, killPid: host.workers[0].pid, killAfterMs: 150 });
      const ended = await wb.queue.waitFor(run.id);
      expect(ended.status).toBe('crashed');
      expect(ended.error).toMatch(/SIGKILL/);
      expect(wb.store.integrityCheck()).toBe('ok');
      await wb.dispose();
      wb = null;
    }
  });
});
