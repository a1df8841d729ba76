import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configSchema, definition } from '../../../../../src-worker/experiments/entropy-validation/config';
import { run } from '../../../../../src-worker/experiments/entropy-validation/run';
import { linearFit, spearman } from '../../../../../src-worker/shared/stats';
import { canonicalPlanes, quantileCuts } from '../../../../../src-worker/entropy/separators';
import { generatePointSet } from '../../../../../src-worker/experiments/entropy-validation/point-sets';
import type { ExperimentContext } from '../../../../../src-worker/experiments/types';
import { createRng } from '../../../../../src-worker/entropy/random';

function fakeContext(abortAfterMetrics = Infinity): { ctx: ExperimentContext; metrics: Map<string, Map<number, number>>; backends: string[]; artifacts: string[] } {
  const metrics = new Map<string, Map<number, number>>();
  const backends: string[] = [];
  const artifacts: string[] = [];
  const controller = new AbortController();
  let count = 0;
  const ctx: ExperimentContext = {
    runId: 'test',
    seed: 1,
    metric(key, step, value) {
      if (!metrics.has(key)) metrics.set(key, new Map());
      metrics.get(key)!.set(step, value);
      if (++count >= abortAfterMetrics) controller.abort();
    },
    metrics() {},
    timing() {},
    artifact(name) {
      artifacts.push(name);
    },
    progress() {},
    log() {},
    backend(name) {
      backends.push(name);
    },
    signal: controller.signal,
    tick: async () => {
      if (controller.signal.aborted) throw new Error('cancelled');
    },
    input(runId, name) {
      throw new Error(`no input ${runId}/${name} in this test`);
    },
  };
  return { ctx, metrics, backends, artifacts };
}

const tiny = {
  families: ['clusters', 'uniform', 'convex'] as const,
  variants: 1,
  sizes: [64],
  fit: { n: 48, steps: 6, logEvery: 3 },
  estimators: { n: 48, steps: 3 },
};

describe('entropy-validation config', () => {
  it('parses every preset and exports a JSON schema', () => {
    for (const preset of Object.values(definition.presets)) {
      const cfg = configSchema.parse(preset);
      expect(cfg.fit.steps).toBeGreaterThan(0);
      expect(cfg.estimators.families.length).toBeGreaterThan(0);
    }
    expect(Object.keys(definition.presets)).toEqual(['Quick', 'Fig. 4 surrogate vs truth', 'Fig. 2 margin vs error', 'E.3 R² across training', 'Table 15 estimators']);
    expect(definition.kind).toBe('entropy-validation');
    expect(definition.timing).toBe(false);
    expect(() => z.toJSONSchema(configSchema, { io: 'input' })).not.toThrow();
  });
});

describe('entropy-validation run', () => {
  it('logs the validation, fitting and estimator metrics and a summary with R²', async () => {
    const { ctx, metrics, backends, artifacts } = fakeContext();
    const summary = await run(configSchema.parse(tiny), ctx);
    expect(backends.length).toBe(1);
    for (const key of ['val/hdiff_nats', 'val/hsoft_nats', 'val/hrect_nats', 'val/hard_anchor_nats', 'val/struct_tri_bits', 'val/struct_slab_bits']) {
      expect(metrics.get(key)?.size).toBe(3);
    }
    for (const key of ['fit/margin', 'fit/err_hard_soft_nats', 'fit/err_struct_soft_nats', 'fit/bound', 'fit/h_soft_nats', 'fit/struct_nats']) {
      expect(metrics.get(key)?.size).toBe(3 * 3);
    }
    expect(metrics.get('est/rect/struct_drop_bits')?.size).toBe(3);
    expect(artifacts).toEqual(['fit-states.json']);
    expect(summary).toHaveProperty('r2_hdiff');
    expect((summary.max_tfjs_minus_direct_nats as number) < 1e-4).toBe(true);
  }, 60_000);

  it('stops when the signal is aborted', async () => {
    const { ctx } = fakeContext(5);
    await expect(run(configSchema.parse(tiny), ctx)).rejects.toThrow('cancelled');
  }, 60_000);
});

describe('helpers', () => {
  it('least squares and R² on an exact line and on noise-free ranks', () => {
    const fit = linearFit([0, 1, 2, 3], [1, 3, 5, 7]);
    expect(fit.slope).toBeCloseTo(2, 12);
    expect(fit.intercept).toBeCloseTo(1, 12);
    expect(fit.r2).toBeCloseTo(1, 12);
    expect(linearFit([1, 1], [2, 3]).r2).toBeNull();
    expect(spearman([1, 2, 3, 4], [10, 20, 25, 100])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
  });

  it('canonical planes split the points at the median; quantile cuts are increasing', () => {
    const pts = generatePointSet('uniform', 0, 1001, createRng(3));
    const planes = canonicalPlanes(pts, 4);
    for (let t = 0; t < 4; t++) {
      let above = 0;
      for (let i = 0; i < 1001; i++) if (planes[3 * t] * pts[2 * i] + planes[3 * t + 1] * pts[2 * i + 1] > planes[3 * t + 2]) above++;
      expect(above).toBe(500);
    }
    const cuts = quantileCuts(pts, 3);
    expect(cuts.gaps.length).toBe(4);
  });

  it('point sets are normalised to [−1, 1]² and seeded', () => {
    for (const family of ['clusters', 'mixture', 'contraction', 'uniform', 'convex'] as const) {
      const a = generatePointSet(family, 1, 200, createRng(5));
      const b = generatePointSet(family, 1, 200, createRng(5));
      expect(Array.from(a)).toEqual(Array.from(b));
      expect(Math.max(...Array.from(a, Math.abs))).toBeCloseTo(1, 12);
    }
  });
});
