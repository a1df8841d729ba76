import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../src-main/api/contract';
import { ApiService } from '../../../../src-main/api/service';
import type { JobQueue } from '../../../../src-main/jobs/job-queue';
import { RunStore } from '../../../../src-main/store/run-store';

function service(): { svc: ApiService; enqueued: string[]; store: RunStore } {
  const store = RunStore.open(':memory:');
  const enqueued: string[] = [];
  const queue = { enqueue: (id: string) => enqueued.push(id), publish: () => {}, isActive: () => false, onEvent: () => () => {} } as unknown as JobQueue;
  return { svc: new ApiService(store, queue), enqueued, store };
}

async function rejects(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error('expected a rejection');
}

describe('ApiService', () => {
  it('validates arguments at the boundary and names the bad field', async () => {
    const { svc, enqueued } = service();
    const e = await rejects(svc.invoke('startRun', ['selftest', { steps: -3 }]));
    expect(e.code).toBe('invalid_input');
    expect(e.issues?.[0].path).toBe('steps');
    expect((await rejects(svc.invoke('startRun', ['selftest']))).code).toBe('invalid_input');
    expect((await rejects(svc.invoke('getRun', []))).code).toBe('invalid_input');
    expect((await rejects(svc.invoke('listRuns', [{ status: 'exploded' }]))).code).toBe('invalid_input');
    expect((await rejects(svc.invoke('constructor', []))).code).toBe('not_found');
    expect((await rejects(svc.invoke('startRun', ['no-such-kind', {}]))).code).toBe('not_found');
    expect(enqueued).toEqual([]);
  });

  it('getRun brings every series as getMetrics gives it when asked, in one answer', async () => {
    const { svc, store } = service();
    const run = await svc.startRun('selftest', {});
    const steps = Float64Array.from({ length: 5000 }, (_, i) => i * 3);
    store.transaction(() => {
      store.metrics.appendSeries(run.id, 'loss', steps, Float64Array.from(steps, (s) => Math.sin(s)), steps);
      store.metrics.appendSeries(run.id, 'acc', steps.subarray(0, 10), Float64Array.from({ length: 10 }, (_, i) => i / 10), steps);
    });
    const plain = await svc.getRun(run.id);
    expect(plain.metrics).toBeUndefined();
    const detail = (await svc.invoke('getRun', [run.id, { metrics: { maxPoints: 500 } }])) as Awaited<ReturnType<ApiService['getRun']>>;
    expect(detail.series.map((s) => s.key)).toEqual(['acc', 'loss']);
    expect(detail.metrics).toEqual(await svc.getMetrics(run.id, ['acc', 'loss'], { maxPoints: 500 }));
    expect(detail.metrics![1]).toMatchObject({ key: 'loss', downsampled: true });
    expect(detail.metrics![1].points.length).toBeLessThanOrEqual(500);
    // The whole series skips the probe of raw rows: its extremes still come from the buckets.
    expect(Math.max(...detail.metrics![1].points.map((p) => p.value ?? -Infinity))).toBe(Math.max(...Array.from(steps, (s) => Math.sin(s))));
    expect(detail.metrics![0]).toMatchObject({ key: 'acc', downsampled: false });
    expect(detail.metrics![0].points).toHaveLength(10);
    expect((await rejects(svc.invoke('getRun', [run.id, { metrics: { maxPoints: 2 } }]))).code).toBe('invalid_input');
    expect((await rejects(svc.invoke('getRun', [run.id, { metrics: {}, extra: 1 }]))).code).toBe('invalid_input');
  });

  it('stores the config with defaults filled and enqueues the run', async () => {
    const { svc, enqueued } = service();
    const run = (await svc.invoke('startRun', ['selftest', { steps: 5 }, 'named'])) as { id: string; config: Record<string, unknown>; name: string; status: string };
    expect(run).toMatchObject({ name: 'named', status: 'queued', config: { steps: 5, delayMs: 20, failAt: null, crashAt: null } });
    expect(enqueued).toEqual([run.id]);
  });

  it('lists experiments with JSON Schema, defaults and complete presets', async () => {
    const { svc } = service();
    const list = await svc.listExperiments();
    const st = list.find((e) => e.kind === 'selftest')!;
    expect(st.configSchema).toMatchObject({ type: 'object', properties: { steps: { type: 'integer' } } });
    expect(st.defaults).toMatchObject({ steps: 50 });
    expect(st.presets.Quick).toMatchObject({ steps: 20, delayMs: 5, failAt: null });
  });

  it('refuses to delete or cancel what cannot be, and import of malformed files imports nothing', async () => {
    const { svc, store } = service();
    const run = await svc.startRun('selftest', {});
    store.runs.finish(run.id, 'done');
    expect((await rejects(svc.cancelRun(run.id))).code).toBe('conflict');
    const exported = await svc.exportRun(run.id);
    const broken = JSON.stringify([exported, { format: 'der-run-v1', run: { id: 'x' } }]);
    expect((await rejects(svc.importRuns(broken))).code).toBe('invalid_input');
    expect((await rejects(svc.importRuns('not json'))).code).toBe('invalid_input');
    expect(store.runs.list().length).toBe(1);
    expect(await svc.deleteRun(run.id)).toEqual({ deleted: run.id });
    expect((await rejects(svc.getRun(run.id))).code).toBe('not_found');
  });

  it('asks the owning process to cancel a run it does not hold, and ends one whose owner is gone', async () => {
    const { svc, store } = service();
    const setOwner = (id: string, pid: number) => store.db.prepare("UPDATE runs SET host = json_set(host, '$.mainPid', ?) WHERE id = ?").run(pid, id);
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      const owned = await svc.startRun('selftest', {});
      setOwner(owned.id, other.pid!);
      expect(store.runs.cancelRequested([owned.id])).toEqual([]);
      const after = await svc.cancelRun(owned.id);
      // Still the owner's to end; the request waits in the store for the owner's queue.
      expect(after.status).toBe('queued');
      expect(store.runs.cancelRequested([owned.id])).toEqual([owned.id]);
    } finally {
      other.kill();
    }
    const dead = spawnSync(process.execPath, ['-e', 'process.pid'], { stdio: 'pipe' });
    const orphan = await svc.startRun('selftest', {});
    setOwner(orphan.id, dead.pid!);
    const ended = await svc.cancelRun(orphan.id);
    expect(ended.status).toBe('crashed');
    expect(ended.error).toMatch(/process that ran it ended/);
  });
});
