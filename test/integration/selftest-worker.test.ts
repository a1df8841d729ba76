import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorkerHandle } from '../../src-main/jobs/worker-host';
import { SpyHost, tempWorkbench, until, type TempWorkbench } from './helpers';

let wb: TempWorkbench | null = null;
afterEach(async () => {
  await wb?.dispose();
  wb = null;
});

describe('selftest in a real worker process', () => {
  it('lands every metric row and the artifact, and ends done', async () => {
    wb = tempWorkbench();
    const run = await wb.service.startRun('selftest', { steps: 50, delayMs: 0 });
    const ended = await wb.queue.waitFor(run.id);
    expect(ended.status).toBe('done');
    expect(ended.summary).toMatchObject({ steps: 50 });
    expect(ended.backend).toMatchObject({ name: 'none' });
    expect(ended.host).toMatchObject({ cores: expect.any(Number), worker: 'child_process' });
    const detail = await wb.service.getRun(run.id);
    expect(detail.series.map((s) => [s.key, s.count])).toEqual([['accuracy', 50], ['loss', 50], ['lr', 50]]);
    expect(detail.artifacts.map((a) => a.name)).toEqual(['report.json']);
    const art = await wb.service.getArtifact(run.id, 'report.json');
    expect(JSON.parse(Buffer.from(art.base64, 'base64').toString())).toMatchObject({ steps: 50 });
  });

  it('failAt ends the run failed with the message and keeps the earlier rows', async () => {
    wb = tempWorkbench();
    const run = await wb.service.startRun('selftest', { steps: 30, delayMs: 0, failAt: 12 });
    const ended = await wb.queue.waitFor(run.id);
    expect(ended.status).toBe('failed');
    expect(ended.error).toBe('selftest failed on request at step 12');
    const loss = wb.store.metrics.listSeries(run.id).find((s) => s.key === 'loss')!;
    expect(loss.count).toBe(12);
  });

  it('cancel asks the worker, and the run ends cancelled', async () => {
    wb = tempWorkbench();
    const run = await wb.service.startRun('selftest', { steps: 100_000, delayMs: 5 });
    await until(() => wb!.store.runs.get(run.id)?.status === 'running' && wb!.store.metrics.listSeries(run.id).length > 0, 30_000, 'first metrics');
    await wb.service.cancelRun(run.id);
    const ended = await wb.queue.waitFor(run.id);
    expect(ended.status).toBe('cancelled');
  });

  it('a worker that does not stop when asked is killed after the grace period', async () => {
    const host = new SpyHost();
    wb = tempWorkbench({ host, queue: { cancelGraceMs: 300 } });
    const run = await wb.service.startRun('selftest', { steps: 100_000, delayMs: 5 });
    await until(() => host.workers.length === 1 && wb!.store.metrics.listSeries(run.id).length > 0, 30_000, 'worker');
    // Swallow the cancel: the worker never hears it, so only the kill can end it.
    const w = host.workers[0];
    const send = w.send.bind(w);
    (w as { send: WorkerHandle['send'] }).send = (m) => (m.type === 'cancel' ? undefined : send(m));
    await wb.service.cancelRun(run.id);
    const ended = await wb.queue.waitFor(run.id);
    expect(ended.status).toBe('cancelled');
    expect(ended.exitInfo).toBe('signal SIGKILL');
  });

  it('crashAt (a hard exit) marks the run crashed with the exit code and keeps the rows', async () => {
    wb = tempWorkbench();
    const run = await wb.service.startRun('selftest', { steps: 50, delayMs: 1, crashAt: 20 });
    const ended = await wb.queue.waitFor(run.id);
    expect(ended.status).toBe('crashed');
    expect(ended.exitInfo).toBe('exit code 3');
    expect(wb.store.metrics.listSeries(run.id).find((s) => s.key === 'loss')!.count).toBe(20);
    expect(wb.store.integrityCheck()).toBe('ok');
  });

  it('an outside SIGKILL mid-run: crashed within 2 s, every acknowledged row kept, integrity ok', async () => {
    const host = new SpyHost();
    wb = tempWorkbench({ host });
    const run = await wb.service.startRun('selftest', { steps: 1_000_000, delayMs: 0 });
    await until(() => (wb!.store.metrics.listSeries(run.id).find((s) => s.key === 'loss')?.count ?? 0) > 5000, 60_000, 'rows');
    // Count what main acknowledged (every ack follows its commit), then kill without warning.
    const acked = wb.store.metrics.listSeries(run.id).find((s) => s.key === 'loss')!.count;
    const killedAt = Date.now();
    process.kill(host.workers[0].pid!, 'SIGKILL');
    const ended = await until(() => {
      const r = wb!.store.runs.get(run.id)!;
      return r.status !== 'running' ? r : null;
    }, 5000, 'crashed status');
    expect(Date.now() - killedAt).toBeLessThan(2000);
    expect(ended.status).toBe('crashed');
    expect(ended.exitInfo).toBe('signal SIGKILL');
    const kept = wb.store.metrics.listSeries(run.id).find((s) => s.key === 'loss')!.count;
    expect(kept).toBeGreaterThanOrEqual(acked);
    await wb.queue.waitFor(run.id);
    const check = new Database(wb.dbPath, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((check.prepare('SELECT count(*) AS n FROM metrics m JOIN series s ON s.id = m.series_id WHERE s.run_id = ? AND s.key = ?').get(run.id, 'loss') as { n: number }).n).toBe(kept);
    check.close();
  });

  it('timing kinds run alone; others run side by side up to the limit', async () => {
    wb = tempWorkbench({ queue: { maxConcurrent: 2 } });
    const a = await wb.service.startRun('selftest', { steps: 40, delayMs: 10 });
    const b = await wb.service.startRun('selftest', { steps: 40, delayMs: 10 });
    await until(() => wb!.store.runs.get(a.id)!.status === 'running' && wb!.store.runs.get(b.id)!.status === 'running', 30_000, 'both running');
    const timing = await wb.service.startRun('geometry-timing', { task: 'hull', datasets: ['uniform-square'], sizes: [200], algorithms: ['monotone'], preprocessors: ['raw'], seeds: [1], repeats: 5, warmup: 1 });
    const after = await wb.service.startRun('selftest', { steps: 5, delayMs: 0 });
    // Record every moment two runs overlap with the timing run.
    const overlaps: string[] = [];
    const off = wb.queue.onEvent(() => {
      const running = wb!.store.runs.list().filter((r) => r.status === 'running').map((r) => r.id);
      if (running.includes(timing.id) && running.length > 1) overlaps.push(running.join(','));
    });
    const ended = await Promise.all([a, b, timing, after].map((r) => wb!.queue.waitFor(r.id)));
    off();
    expect(ended.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done']);
    expect(overlaps).toEqual([]);
    const t = ended[2];
    expect(t.startedAt!).toBeGreaterThanOrEqual(Math.max(ended[0].endedAt!, ended[1].endedAt!));
    expect(ended[3].startedAt!).toBeGreaterThanOrEqual(t.endedAt!);
  });

  it('start-up marks runs left running by a dead process as crashed', async () => {
    wb = tempWorkbench();
    wb.store.runs.create({ id: 'orphan', kind: 'selftest', name: 'o', config: {}, seed: 1, host: { hostname: 'elsewhere', mainPid: 1 } });
    wb.store.runs.markRunning('orphan', { hostname: 'elsewhere', mainPid: 999_999 });
    const path = wb.dbPath;
    await wb.close();
    const { openWorkbench } = await import('../../src-main/workbench');
    const again = openWorkbench({ dbPath: path });
    expect(again.store.runs.get('orphan')!.status).toBe('crashed');
    await again.close();
    wb = { ...wb, dispose: async () => {} } as TempWorkbench;
  });
});
