import { describe, expect, it } from 'vitest';
import { MainToWorker, WorkerToMain } from '../../../src-worker/shared/protocol';
import { experiments } from '../../../src-worker/experiments/registry';
import { runners } from '../../../src-worker/experiments/runners';

describe('worker protocol', () => {
  it('accepts each well-formed message and rejects malformed ones', () => {
    expect(MainToWorker.safeParse({ type: 'start', runId: 'r', kind: 'selftest', config: {}, seed: 1 }).success).toBe(true);
    expect(MainToWorker.safeParse({ type: 'start', runId: '', kind: 'selftest', config: {}, seed: 1 }).success).toBe(false);
    expect(MainToWorker.safeParse({ type: 'start', runId: 'r', kind: 'selftest', config: {}, seed: 1.5 }).success).toBe(false);
    expect(MainToWorker.safeParse({ type: 'ack', seq: -1 }).success).toBe(false);
    expect(WorkerToMain.safeParse({ type: 'metrics', seq: 0, rows: [{ step: 0, key: 'loss', value: 1 }, { step: 1, key: 'loss', value: null }] }).success).toBe(true);
    expect(WorkerToMain.safeParse({ type: 'metrics', seq: 0, rows: [{ step: 0.5, key: 'loss', value: 1 }] }).success).toBe(false);
    expect(WorkerToMain.safeParse({ type: 'metrics', seq: 0, rows: [{ step: 0, key: '', value: 1 }] }).success).toBe(false);
    expect(WorkerToMain.safeParse({ type: 'progress', seq: 0, fraction: 1.5, message: '' }).success).toBe(false);
    expect(WorkerToMain.safeParse({ type: 'done', seq: 3, summary: { a: 1 } }).success).toBe(true);
    expect(WorkerToMain.safeParse({ type: 'shout', seq: 3 }).success).toBe(false);
    expect(WorkerToMain.safeParse({ type: 'timing', seq: 1, rows: [{ task: 'hull', dataset: 'd', n: 10, algorithm: 'a', preprocess: 'raw', seed: 1, repeat: 0, ms: -1 }] }).success).toBe(false);
  });
});

describe('experiment registry', () => {
  it('every kind has a runner, unique kinds, presets that validate, and defaults that validate', () => {
    const kinds = experiments.map((e) => e.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const e of experiments) {
      if (!e.runsInMain) expect(runners[e.kind], e.kind).toBeTypeOf('function');
      expect(e.configSchema.safeParse({}).success, `${e.kind} defaults`).toBe(true);
      for (const [name, preset] of Object.entries(e.presets)) {
        const r = e.configSchema.safeParse(preset);
        expect(r.success, `${e.kind} preset ${name}: ${r.success ? '' : r.error.message}`).toBe(true);
      }
    }
  });
});

describe('sweep presets', () => {
  it('every child of every sweep preset is a valid config of its kind', async () => {
    const { definition, expandGrid, withKey, configSchema } = await import('../../../src-worker/experiments/sweep/config');
    const { findExperiment } = await import('../../../src-worker/experiments/registry');
    for (const [name, preset] of Object.entries(definition.presets)) {
      const cfg = configSchema.parse(preset);
      const child = findExperiment(cfg.kind)!;
      const start = { ...(cfg.preset ? child.presets[cfg.preset] : {}), ...cfg.base };
      for (const params of expandGrid(cfg.grid, cfg.variants)) {
        let c: Record<string, unknown> = start;
        for (const [k, v] of Object.entries(params)) if (k !== 'variant') c = withKey(c, k, v);
        const r = child.configSchema.safeParse(c);
        expect(r.success, `${name} ${JSON.stringify(params)}: ${r.success ? '' : r.error.message}`).toBe(true);
      }
    }
  });
});
