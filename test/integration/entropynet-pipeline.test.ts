import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../src-main/api/contract';
import { tempWorkbench, until, type TempWorkbench } from './helpers';

const tiny = {
  n: 64,
  trainSets: 8,
  valSets: 2,
  epochs: 3,
  batchSize: 4,
  regStartEpoch: 1,
  checkpointEvery: 1,
  evalSizes: [500],
  evalSeeds: [1, 2],
  evalAlgorithms: ['monotone'],
  evalRepeats: 2,
  evalBudgetMs: 100,
};

let wb: TempWorkbench;
let trained: Run;
beforeAll(async () => {
  wb = tempWorkbench();
  trained = await wb.queue.waitFor((await wb.service.startRun('entropynet-train', tiny)).id);
}, 300_000);
afterAll(async () => {
  await wb.dispose();
});

describe('EntropyNet end to end through main', () => {
  it('trains in a worker, stores checkpoints, the model and the measured pipeline with claims and break-even inputs', async () => {
    expect(trained.status, trained.error ?? '').toBe('done');
    const detail = await wb.service.getRun(trained.id);
    const names = detail.artifacts.map((a) => a.name);
    expect(names).toEqual(expect.arrayContaining(['model.bin', 'checkpoint-last.bin', 'checkpoint-best.bin', 'before-after.json']));
    expect(detail.series.find((s) => s.key === 'train/loss')?.count).toBe(3);
    expect(trained.backend).toMatchObject({ name: expect.stringMatching(/^(wasm|cpu|tensorflow)$/) });
    const s = trained.summary as { claims: Record<string, { unit: string }>; breakEven: { trainingSeconds: number; rawSeconds: number } | null };
    expect(s.claims['abs.geometry.hull-error-bound']?.unit).toBe('%');
    expect(s.breakEven?.trainingSeconds).toBeGreaterThan(0);
    expect((await wb.service.getTimings(trained.id)).some((t) => t.preprocess === 'entropynet')).toBe(true);
  });

  it('geometry-timing reads the trained model: exact mode gives 0 hull error on every set', async () => {
    const run = await wb.service.startRun('geometry-timing', {
      task: 'hull',
      datasets: ['uniform-square', 'parabolic'],
      sizes: [400],
      algorithms: ['monotone'],
      preprocessors: ['raw', `entropynet:${trained.id}`, `entropynet-exact:${trained.id}`],
      seeds: [1, 2, 3],
      repeats: 3,
      warmup: 1,
    });
    const ended = await wb.queue.waitFor(run.id);
    expect(ended.status, ended.error ?? '').toBe('done');
    const cases = (ended.summary as { cases: Array<{ preprocess: string; hullErrorPct: number | null }> }).cases;
    const exact = cases.filter((c) => c.preprocess.startsWith('entropynet-exact:'));
    expect(exact).toHaveLength(2);
    for (const c of exact) expect(c.hullErrorPct).toBe(0);
    const perSample = (await wb.service.getTimings(run.id)).filter((t) => t.preprocess.startsWith('entropynet-exact:'));
    expect(perSample.length).toBeGreaterThan(0);
  });

  it('a config naming a model that does not exist is refused before anything runs', async () => {
    await expect(wb.service.startRun('geometry-timing', { preprocessors: ['raw', 'entropynet:no-such-run'] })).rejects.toThrow(/does not exist/);
  });

  it('a cancelled training resumes from its last checkpoint as a new run and continues the epoch count', { timeout: 300_000 }, async () => {
    const first = await wb.service.startRun('entropynet-train', { ...tiny, epochs: 5000, earlyStopPatience: 0, evalSizes: [200] });
    await until(() => (wb.store.metrics.listSeries(first.id).find((s) => s.key === 'train/loss')?.count ?? 0) >= 2, 240_000, 'two epochs');
    await wb.service.cancelRun(first.id);
    const cancelled = await wb.queue.waitFor(first.id);
    expect(cancelled.status).toBe('cancelled');
    const done = wb.store.metrics.listSeries(first.id).find((s) => s.key === 'train/loss')!;
    const resumed = await wb.service.startRun('entropynet-train', { ...tiny, epochs: done.count + 1, earlyStopPatience: 0, evalSizes: [200], resumeFrom: { runId: first.id, artifact: 'checkpoint-last.bin' } });
    const ended = await wb.queue.waitFor(resumed.id);
    expect(ended.status, ended.error ?? '').toBe('done');
    const steps = (await wb.service.getMetrics(resumed.id, ['train/loss']))[0].points.map((p) => p.step);
    expect(Math.min(...steps)).toBeGreaterThanOrEqual(done.maxStep!);
  });
});
