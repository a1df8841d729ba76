import { afterEach, describe, expect, it } from 'vitest';
import type { Run } from '../../src-main/api/contract';
import { tempWorkbench, until, type TempWorkbench } from './helpers';

let wb: TempWorkbench | null = null;
afterEach(async () => {
  await wb?.dispose();
  wb = null;
});

/** The smallest attention-train that trains, evaluates and times a none and an entropy model. */
const TINY = {
  methods: ['none', 'entropy'], entropyLambdas: [0.03], patch: 8, trainSize: 32, valSize: 16, testSize: 16, epochs: 1, sparseEvalSize: 8,
  latencyRepeats: 1, latencyBatch: 4, probeRows: 10, calibrationSize: 8, pruneTargets: [], corruptionSize: 0, pgdSize: 0, gallerySize: 1,
};

const overlap = (a: Run, b: Run): boolean => a.startedAt! < b.endedAt! && b.startedAt! < a.endedAt!;

describe('a multi-seed attention-train run', () => {
  it('trains its seeds as child runs in parallel workers, then the parent holds the combined table over both seeds', async () => {
    wb = tempWorkbench({ concurrency: 2 });
    const parent = await wb.service.startRun('attention-train', { ...TINY, seeds: [1, 2] }, 'two seeds');
    const ended = await until(() => {
      const r = wb!.store.runs.get(parent.id);
      return r && r.status !== 'running' ? r : null;
    }, 170_000, 'the parent to end');
    expect(ended.error).toBeNull();
    expect(ended.status).toBe('done');
    const children = wb.store.runs.list({ parentId: parent.id, limit: 10 }).sort((a, b) => a.seed - b.seed);
    expect(children.map((c) => [c.status, (c.config as { seeds: number[] }).seeds])).toEqual([['done', [1]], ['done', [2]]]);
    // Each child ran in its own worker, side by side (their latency probes took turns in the exclusive slot).
    expect(overlap(children[0], children[1])).toBe(true);
    const summary = ended.summary as { table: Array<{ row: string; seeds: number; cells: Record<string, { mean: number; n: number }> }>; seedChildren: Array<{ seed: number; runId: string }> };
    expect(summary.table.map((r) => `${r.row}:${r.seeds}`)).toEqual(['none:2', 'entropy:2']);
    expect(summary.table[0].cells.accuracy.n).toBe(2);
    expect(summary.seedChildren.map((c) => c.runId).sort()).toEqual(children.map((c) => c.id).sort());
    const names = wb.store.artifacts.list(parent.id).map((a) => a.name);
    for (const seed of [1, 2]) for (const model of ['none', 'entropy']) expect(names).toContain(`eval/${model}/seed-${seed}.json`);
    expect(names).toContain('table.json');
    expect(wb.store.metrics.allRows(parent.id, 'entropy/seed-2/train/loss').length).toBeGreaterThan(0);
    // The Api reads the combined summary through the kind's result schema, as the Attention panel does.
    expect(((await wb.service.getRun(parent.id)).summary as { table: unknown[] }).table).toHaveLength(2);
  }, 180_000);
});
