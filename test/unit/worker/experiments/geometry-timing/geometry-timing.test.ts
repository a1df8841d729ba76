import { describe, expect, it } from 'vitest';
import { configSchema, definition } from '../../../../../src-worker/experiments/geometry-timing/config';
import { run } from '../../../../../src-worker/experiments/geometry-timing/run';
import type { ExperimentContext } from '../../../../../src-worker/experiments/types';
import type { TimingRow } from '../../../../../src-worker/shared/protocol';

function fakeContext(abortAfterProgress = Infinity) {
  const controller = new AbortController();
  const timings: TimingRow[] = [];
  const artifacts: Array<{ name: string; bytes: Uint8Array }> = [];
  const progress: number[] = [];
  const ctx: ExperimentContext = {
    runId: 'test',
    seed: 1,
    metric: () => undefined,
    metrics: () => undefined,
    timing: (rows) => void timings.push(...rows),
    artifact: (name, _mime, bytes) => void artifacts.push({ name, bytes }),
    progress: (f) => {
      progress.push(f);
      if (progress.length >= abortAfterProgress) controller.abort();
    },
    log: () => undefined,
    backend: () => undefined,
    signal: controller.signal,
    tick: async () => {
      if (controller.signal.aborted) throw new Error('cancelled');
    },
    input: () => {
      throw new Error('geometry-timing reads no inputs');
    },
  };
  return { ctx, timings, artifacts, progress };
}

describe('geometry-timing config', () => {
  it('fills the paper defaults and accepts every preset', () => {
    const cfg = configSchema.parse({});
    expect(cfg.seeds).toEqual([42, 123, 456, 789, 999]);
    expect(cfg.repeats).toBe(1000);
    for (const preset of Object.values(definition.presets)) expect(configSchema.safeParse(preset).success).toBe(true);
    expect(definition.kind).toBe('geometry-timing');
    expect(definition.timing).toBe(true);
  });
  it('refuses an algorithm of another task', () => {
    const r = configSchema.safeParse({ task: 'delaunay', algorithms: ['chan'] });
    expect(r.success).toBe(false);
  });
});

describe('geometry-timing run', () => {
  it('hull: rows per repeat, summary with speedup, p-values and zero error for exact preprocessors', async () => {
    const { ctx, timings, artifacts, progress } = fakeContext();
    const config = configSchema.parse({
      datasets: ['uniform-square', 'quickdraw-like'],
      sizes: [500],
      algorithms: ['monotone', 'chan'],
      preprocessors: ['raw', 'heuristic-sort'],
      seeds: [42, 123, 456],
      repeats: 5,
      warmup: 1,
    });
    const summary = (await run(config, ctx)) as { cases: Array<Record<string, unknown>> };
    expect(timings.length).toBe(2 * 2 * 2 * 3 * 5);
    expect(timings[0]).toMatchObject({ task: 'hull', dataset: 'uniform-square', n: 500, seed: 42, repeat: 0 });
    expect(progress.at(-1)).toBe(1);
    expect(summary.cases.length).toBe(2 * 2 * 2);
    for (const c of summary.cases) {
      expect(c.hullErrorPct).toBe(0);
      expect(c.hausdorff).toBe(0);
      expect(c.precision).toBe(1);
      expect(c.recall).toBe(1);
      expect(c.meanMs).toBeGreaterThan(0);
      if (c.preprocess === 'heuristic-sort') {
        expect(c.speedup).toBeGreaterThan(0);
        expect(typeof c.pValueVsRaw).toBe('number');
        const ci = c.speedupCi95 as number[];
        expect(ci[0]).toBeLessThanOrEqual(c.speedup as number);
        expect(ci[1]).toBeGreaterThanOrEqual(c.speedup as number);
        // The algorithm alone on sorted points is timed apart from the sort it came with.
        expect(c.algorithmOnlyMs).toBeGreaterThan(0);
        expect(c.algorithmSpeedup).toBeGreaterThan(0);
        expect(timings.find((t) => t.preprocess === 'heuristic-sort')!.quality!.algorithmMs).toBeGreaterThan(0);
      } else {
        expect(c.algorithmSpeedup).toBe(1);
        expect(c.algorithmOnlyMs).toBeCloseTo(c.meanMs as number, 9);
      }
    }
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
    const preview = JSON.parse(new TextDecoder().decode(artifacts.find((a) => a.name === 'preview.json')!.bytes));
    expect(preview.points.length).toBe(1000);
    expect(preview.hull.length).toBeGreaterThanOrEqual(6);
  });
  it('delaunay and maxima3d tasks run', async () => {
    for (const [task, algorithms] of [['delaunay', ['delaunator']], ['maxima3d', ['sweep', 'output-sensitive']]] as const) {
      const { ctx, timings } = fakeContext();
      const config = configSchema.parse({ task, datasets: ['uniform-square'], sizes: [300], algorithms, seeds: [1, 2], repeats: 3, warmup: 0 });
      const summary = (await run(config, ctx)) as { cases: Array<Record<string, unknown>> };
      expect(timings.length).toBe(algorithms.length * 2 * 2 * 3);
      for (const c of summary.cases) expect(c.recall).toBe(1);
    }
  });
  it('stops when the signal is aborted', async () => {
    const { ctx } = fakeContext(2);
    const config = configSchema.parse({ datasets: ['uniform-square'], sizes: [200], seeds: [1, 2, 3], repeats: 2, warmup: 0 });
    await expect(run(config, ctx)).rejects.toThrow('cancelled');
  });
});
