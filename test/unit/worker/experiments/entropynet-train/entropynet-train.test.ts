import '@tensorflow/tfjs-backend-cpu';
import * as tf from '../../../../../src-worker/models/tf';
import { describe, expect, it } from 'vitest';
import { configSchema, definition, type EntropyNetTrainConfig } from '../../../../../src-worker/experiments/entropynet-train/config';
import { run } from '../../../../../src-worker/experiments/entropynet-train/run';
import type { ExperimentContext } from '../../../../../src-worker/experiments/types';
import type { MetricRow, TimingRow } from '../../../../../src-worker/shared/protocol';
import { decodeCheckpoint } from '../../../../../src-worker/models/checkpoint';

interface Recorded {
  ctx: ExperimentContext;
  metrics: MetricRow[];
  timings: TimingRow[];
  artifacts: Map<string, Uint8Array>;
  logs: string[];
}

function fakeContext(runId: string, inputs: Record<string, Uint8Array> = {}): Recorded {
  const metrics: MetricRow[] = [];
  const timings: TimingRow[] = [];
  const artifacts = new Map<string, Uint8Array>();
  const logs: string[] = [];
  const ctx: ExperimentContext = {
    runId,
    seed: 42,
    metric: (key, step, value) => metrics.push({ key, step, value }),
    metrics: (rows) => metrics.push(...rows),
    timing: (rows) => timings.push(...rows),
    artifact: (name, _mime, bytes) => artifacts.set(name, bytes),
    progress: () => undefined,
    log: (text) => logs.push(text),
    backend: () => undefined,
    signal: new AbortController().signal,
    tick: async () => {},
    input: (id, name) => {
      const bytes = inputs[`${id}/${name}`];
      if (!bytes) throw new Error(`no input ${id}/${name}`);
      return bytes;
    },
  };
  return { ctx, metrics, timings, artifacts, logs };
}

const TINY: Partial<EntropyNetTrainConfig> = {
  backend: 'cpu',
  n: 32,
  trainSets: 8,
  valSets: 2,
  epochs: 4,
  batchSize: 4,
  regStartEpoch: 1,
  checkpointEvery: 2,
  evalDatasets: ['uniform-square'],
  evalSizes: [300],
  evalAlgorithms: ['monotone', 'chan'],
  evalSeeds: [42, 123],
  evalRepeats: 2,
  evalWarmup: 0,
  evalBudgetMs: 50,
};

describe('entropynet-train config', () => {
  it('defaults are Table 21 (geometry) and G.11/G.14', () => {
    const c = configSchema.parse({});
    expect([c.lr, c.batchSize, c.epochs, c.weightDecay, c.gradClip, c.lambda]).toEqual([1e-3, 32, 200, 1e-4, 1, 0.1]);
    expect([c.alphaStart, c.alphaEnd, c.alphaAnnealFraction, c.regStartEpoch, c.earlyStopPatience, c.checkpointEvery]).toEqual([10, 5, 0.5, 20, 10, 10]);
    expect([c.beta1, c.beta2, c.epsilon, c.sigma, c.dropout, c.k]).toEqual([0.9, 0.999, 1e-8, 0.1, 0.1, null]);
    expect(c.evalSeeds).toEqual([42, 123, 456, 789, 999]);
    for (const preset of Object.values(definition.presets)) expect(() => configSchema.parse(preset)).not.toThrow();
    expect(definition.inputs?.(configSchema.parse({ resumeFrom: { runId: 'r1', artifact: 'checkpoint-last.bin' } }))).toEqual([
      { runId: 'r1', name: 'checkpoint-last.bin' },
    ]);
    expect(definition.inputs?.(c)).toEqual([]);
  });
});

describe('entropynet-train run', () => {
  it('trains, checkpoints, evaluates the pipeline, and a resumed run continues the epoch count', async () => {
    const first = fakeContext('run-1');
    await tf.setBackend('cpu');
    const tensorsBefore = tf.memory().numTensors;
    const summary = await run(configSchema.parse(TINY), first.ctx);
    // The whole run (training, validation, checkpoints, pipeline) leaves no tensor behind.
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const epochs = [...new Set(first.metrics.filter((m) => m.key === 'train/loss').map((m) => m.step))];
    expect(epochs).toEqual([0, 1, 2, 3]);
    // The protocol names what this config changed from the paper's training and its data size.
    expect(summary.protocol).toMatch(/Changed from the paper: epochs: 4 \(paper: 200\); batch size: 4 \(paper: 32\)/);
    expect(summary.protocol).toMatch(/Data reduced: 8 training and 2 validation sets of 32 points/);
    for (const key of ['train/task_loss', 'val/h_hard_nats', 'val/structural_bits', 'val/margin', 'val/err_hard_soft_nats', 'val/hull_error_pct', 'val/hausdorff', 'epoch_time_s']) {
      expect(first.metrics.some((m) => m.key === key)).toBe(true);
    }
    // The surrogate is logged on regularised epochs only (regStartEpoch = 1).
    expect(first.metrics.filter((m) => m.key === 'train/h_soft_nats').map((m) => m.step)).toEqual([1, 2, 3]);
    for (const name of ['checkpoint-last.bin', 'checkpoint-epoch-0002.bin', 'checkpoint-epoch-0004.bin', 'checkpoint-best.bin', 'model.bin', 'before-after.json']) {
      expect(first.artifacts.has(name)).toBe(true);
    }
    // model.bin says how it was trained: the config and how far training went.
    const exported = decodeCheckpoint(first.artifacts.get('model.bin') as Uint8Array);
    expect(exported.kind).toBe('weights');
    expect(exported.training?.epoch).toBe(3);
    expect((exported.config as { trainSets: number }).trainSets).toBe(8);
    const figure = JSON.parse(new TextDecoder().decode(first.artifacts.get('before-after.json'))) as Record<string, number[]>;
    expect(figure.before.length).toBe(64);
    expect(figure.after.length).toBe(64);
    expect(figure.hullBefore.length).toBeGreaterThan(2);
    for (let i = 0; i < 64; i++) expect(Math.abs(figure.after[i] - figure.before[i])).toBeLessThanOrEqual(0.1 + 1e-6);

    const modes = new Set(first.timings.map((t) => t.preprocess));
    expect([...modes].sort()).toEqual(['entropynet', 'entropynet-exact', 'raw']);
    const exactRows = first.timings.filter((t) => t.preprocess === 'entropynet-exact');
    expect(exactRows.every((t) => t.quality?.hull_error_pct === 0 && t.quality?.matches_raw === 1)).toBe(true);
    const pipeline = summary.pipeline as Array<{ mode: string; all_match_raw?: boolean; end_to_end_speedup: { mean: number } }>;
    expect(pipeline.length).toBe(4);
    expect(pipeline.filter((r) => r.mode === 'entropynet-exact').every((r) => r.all_match_raw)).toBe(true);
    expect(summary.epochs_completed).toBe(4);

    // Resume from the epoch-2 checkpoint with the same settings: epochs 2 and 3 repeat the first run's exactly.
    const checkpoint = first.artifacts.get('checkpoint-epoch-0002.bin') as Uint8Array;
    expect(decodeCheckpoint(checkpoint).training?.epoch).toBe(1);
    const inputs = { 'run-1/checkpoint-epoch-0002.bin': checkpoint };
    const resumeFrom = { runId: 'run-1', artifact: 'checkpoint-epoch-0002.bin' };
    const same = fakeContext('run-2', inputs);
    await run(configSchema.parse({ ...TINY, resumeFrom }), same.ctx);
    const loss = (r: Recorded, step: number): number | null | undefined => r.metrics.find((m) => m.key === 'train/loss' && m.step === step)?.value;
    expect([...new Set(same.metrics.filter((m) => m.key === 'train/loss').map((m) => m.step))]).toEqual([2, 3]);
    expect(loss(same, 2)).toBe(loss(first, 2));
    expect(loss(same, 3)).toBe(loss(first, 3));
    // With more epochs the count continues (the α schedule then spans the longer run).
    const longer = fakeContext('run-3', inputs);
    const resumed = await run(configSchema.parse({ ...TINY, epochs: 6, resumeFrom }), longer.ctx);
    expect([...new Set(longer.metrics.filter((m) => m.key === 'train/loss').map((m) => m.step))]).toEqual([2, 3, 4, 5]);
    expect(resumed.epochs_completed).toBe(6);
    expect(resumed.resumed_from).toEqual({ ...resumeFrom, epoch: 1 });

    // Changing the data settings is refused.
    const third = fakeContext('run-4', inputs);
    await expect(run(configSchema.parse({ ...TINY, n: 64, resumeFrom }), third.ctx)).rejects.toThrow(/n \(32 → 64\)/);
    await expect(run(configSchema.parse({ ...TINY, resumeFrom: { runId: 'run-1', artifact: 'model.bin' } }), fakeContext('run-5', { 'run-1/model.bin': first.artifacts.get('model.bin') as Uint8Array }).ctx)).rejects.toThrow(/not a training checkpoint/);
  }, 180_000);

  it('trains with the rectangle surrogate (hRect), validates its hard grid cells and links Table 15\'s rectangle row', async () => {
    const rec = fakeContext('run-rect');
    await tf.setBackend('cpu');
    const tensorsBefore = tf.memory().numTensors;
    const summary = await run(configSchema.parse({ ...TINY, surrogate: 'hRect', epochs: 2, evalExact: false, evalAlgorithms: ['chan'] }), rec.ctx);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const soft = rec.metrics.filter((m) => m.key === 'train/h_soft_nats').map((m) => m.value as number);
    expect(soft.length).toBe(1);
    // (3 + 1)² = 16 soft grid cells by default.
    expect(soft[0]).toBeGreaterThan(0);
    expect(soft[0]).toBeLessThanOrEqual(Math.log(16) + 1e-5);
    const hard = rec.metrics.filter((m) => m.key === 'val/h_hard_nats').map((m) => m.value as number);
    expect(hard.length).toBe(2);
    expect(hard.every((h) => h > 0 && h <= Math.log(16) + 1e-9)).toBe(true);
    const claims = summary.claims as Record<string, { unit: string }>;
    expect(Object.keys(claims).filter((id) => id.startsWith('T15.')).sort()).toEqual(['T15.rectangles.hull-error', 'T15.rectangles.speedup']);
    // model.bin records the training scale, which geometry-timing's Table 23 links read.
    const model = decodeCheckpoint(rec.artifacts.get('model.bin') as Uint8Array);
    expect(model.regularizerKind).toBe('hRect');
    expect(model.config).toMatchObject({ n: 32, trainSets: 8, epochs: 2 });
  }, 120_000);
});
