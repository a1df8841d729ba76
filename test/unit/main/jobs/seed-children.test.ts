import { describe, expect, it } from 'vitest';
import { hostname } from 'node:os';
import type { ApiEvent, JsonObject } from '../../../../src-main/api/contract';
import { ApiService } from '../../../../src-main/api/service';
import type { JobQueue } from '../../../../src-main/jobs/job-queue';
import { splitsSeeds } from '../../../../src-main/jobs/seed-children';
import { RunStore } from '../../../../src-main/store/run-store';
import { evalOf } from '../../worker/experiments/attention-train/fake-eval';

function workbench() {
  const store = RunStore.open(':memory:');
  const enqueued: string[] = [];
  const cancelled: string[] = [];
  const listeners: Array<(e: ApiEvent) => void> = [];
  const events: ApiEvent[] = [];
  const queue = {
    enqueue: (id: string) => enqueued.push(id),
    cancel: (id: string) => cancelled.push(id),
    publish: (e: ApiEvent) => events.push(e),
    isActive: (id: string) => enqueued.includes(id),
    onEvent: (l: (e: ApiEvent) => void) => (listeners.push(l), () => {}),
  } as unknown as JobQueue;
  const svc = new ApiService(store, queue);
  /** A child ends as a worker would leave it: its artifacts and metrics stored, then the queue's runChanged. */
  const end = (id: string, status: 'done' | 'failed', seed: number): void => {
    if (status === 'done') {
      const evalJson = { ...evalOf('none', seed, seed / 10), model: 'none', lambda: 0 };
      store.artifacts.put(id, 'eval/none.json', 'application/json', new TextEncoder().encode(JSON.stringify(evalJson)), { kind: 'attention-eval' });
      store.artifacts.put(id, 'gallery/none.json', 'application/json', new TextEncoder().encode(JSON.stringify({ model: 'none', seed })), { kind: 'attention-gallery' });
      store.artifacts.put(id, 'table.json', 'application/json', new TextEncoder().encode('{}'), {});
      store.metrics.append(id, [{ key: 'none/train/loss', step: 0, value: seed }, { key: 'none/train/loss', step: 1, value: seed / 2 }]);
    }
    store.runs.finish(id, status, status === 'done'
      ? { summary: { kind: 'attention-train', models: [{ name: 'none' }], metricKeys: { prefixes: ['none'] }, artifacts: ['gallery/none.json', 'eval/none.json', 'table.json'] } as JsonObject }
      : { error: 'boom' });
    const run = store.runs.get(id)!;
    for (const l of listeners) l({ type: 'runChanged', run });
  };
  return { store, svc, enqueued, cancelled, events, end };
}

const SMALL = { seeds: [7, 9], methods: ['none'], entropyLambdas: [0.01] };

describe('multi-seed runs as one child run per seed', () => {
  it('only kinds with a seed combiner and more than one distinct seed split', () => {
    expect(splitsSeeds('attention-train', { seeds: [1, 2] })).toBe(true);
    expect(splitsSeeds('attention-train', { seeds: [1, 1] })).toBe(false);
    expect(splitsSeeds('attention-train', { seeds: [1] })).toBe(false);
    expect(splitsSeeds('geometry-timing', { seeds: [1, 2] })).toBe(false);
  });

  it('queues one child per seed beside each other; the last one to end makes the parent done with the combined table, artifacts and metrics under seed names', async () => {
    const { store, svc, enqueued, end } = workbench();
    const parent = await svc.startRun('attention-train', SMALL, 'two seeds');
    expect(parent.status).toBe('running');
    expect(parent.host?.hostname).toBe(hostname());
    expect(enqueued).toHaveLength(2);
    const children = enqueued.map((id) => store.runs.get(id)!);
    expect(children.map((c) => [c.parentId, (c.config as { seeds: number[] }).seeds, c.name])).toEqual([
      [parent.id, [7], 'two seeds · seed=7'],
      [parent.id, [9], 'two seeds · seed=9'],
    ]);
    expect(JSON.stringify(children[0].config)).toBe(JSON.stringify({ ...parent.config, seeds: [7] }));
    end(enqueued[1], 'done', 9);
    expect(store.runs.get(parent.id)!.status).toBe('running');
    end(enqueued[0], 'done', 7);
    const done = store.runs.get(parent.id)!;
    expect(done.error).toBeNull();
    expect(done.status).toBe('done');
    const names = store.artifacts.list(parent.id).map((a) => a.name).sort();
    expect(names).toEqual(['eval/none/seed-7.json', 'eval/none/seed-9.json', 'gallery/none/seed-7.json', 'gallery/none/seed-9.json', 'seed-children.json', 'table.json']);
    expect(store.metrics.allRows(parent.id, 'none/seed-9/train/loss').map((r) => r[1])).toEqual([9, 4.5]);
    const summary = done.summary as { table: Array<{ row: string; seeds: number }>; seedChildren: unknown[]; metricKeys: { prefixes: string[] } };
    expect(summary.table.map((r) => `${r.row}:${r.seeds}`)).toEqual(['none:2']);
    // Top-1 of seeds 7 and 9 (70% and 90%): the mean over the two children.
    expect((summary.table[0] as unknown as { cells: { accuracy: { mean: number } } }).cells.accuracy.mean).toBeCloseTo(80, 10);
    expect(summary.metricKeys.prefixes).toEqual(['none/seed-7', 'none/seed-9']);
    expect(summary.seedChildren).toEqual([{ seed: 7, runId: enqueued[0] }, { seed: 9, runId: enqueued[1] }]);
  });

  it('a single seed runs as before; a parent whose children all failed fails naming them; cancelling the parent cancels its children', async () => {
    const { store, svc, enqueued, cancelled, end } = workbench();
    const single = await svc.startRun('attention-train', { ...SMALL, seeds: [7] });
    expect(single.status).toBe('queued');
    expect(enqueued).toEqual([single.id]);
    const failing = await svc.startRun('attention-train', SMALL);
    const [a, b] = enqueued.slice(1);
    end(a, 'failed', 7);
    end(b, 'failed', 9);
    const failed = store.runs.get(failing.id)!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/seed 7: failed, seed 9: failed/);
    const third = await svc.startRun('attention-train', SMALL);
    const [c, d] = enqueued.slice(3);
    await svc.cancelRun(third.id);
    expect(cancelled.sort()).toEqual([c, d].sort());
    end(c, 'failed', 7);
    end(d, 'done', 9);
    expect(store.runs.get(third.id)!.status).toBe('cancelled');
  });
});
