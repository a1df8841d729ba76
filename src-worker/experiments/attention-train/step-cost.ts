/**
 * Training cost per method (Table 27's "Training Cost" column), measured fairly. Wall-clock training times of
 * models trained one after another on a shared machine differ by whatever else ran meanwhile (measured: the
 * same none model took 925 s under load and the entropy model 772 s after it), so the ratio to the none model
 * is taken from optimisation steps timed back to back instead: every method gets a fresh model and the same
 * batch, and the methods take turns step by step (the starting method rotates every round), so a load drift
 * hits them alike. Each step is timed through its read-back, with the regulariser on.
 */
import * as tf from '../../models/tf';
import { createVit, disposeVit, headDim, tokenCount, type AttentionImpl } from '../../models/vit';
import { kForAttention } from '../../entropy/anchors';
import { createRng } from '../../entropy/random';
import { median } from '../../geometry/timing';
import type { ExperimentContext } from '../types';
import type { AttentionTrainConfig } from './config';
import { batchTensors, range, type RunData } from './data';
import { hasAnchors, makeOptimizer, specStep, type ModelSpec } from './train';

export interface StepCost {
  /** Median ms of one optimisation step (forward, regulariser, backward, AdamW, read-back). */
  medianMs: number;
  samples: number[];
}

/** Median step time per model name (one entry per distinct name; seeds share it). */
export async function measureStepCosts(
  specs: ModelSpec[],
  data: RunData,
  config: AttentionTrainConfig,
  ctx: ExperimentContext,
  impl: AttentionImpl,
  rounds = { warm: 2, timed: 7 },
): Promise<Record<string, StepCost>> {
  const shape = data.shape;
  const n = tokenCount(shape);
  const dh = headDim(shape);
  const k = kForAttention(n);
  const byName = new Map<string, ModelSpec>();
  for (const s of specs) if (!byName.has(s.name)) byName.set(s.name, s);
  const count = Math.min(config.batchSize, data.train.set.count);
  const { x, y } = batchTensors(data.train, range(0, count), shape);
  const parts = [...byName.values()].map((spec) => {
    const rng = createRng(spec.seed);
    const params = createVit(shape, () => rng.next(), `cost-${spec.name}`);
    const anchors =
      hasAnchors(spec.method)
        ? params.layers.map((_, l) => Array.from({ length: shape.heads }, (_, h) => tf.tidy(() => tf.variable(tf.randomNormal([k, dh], 0, 1, 'float32', 31 + 4 * l + h)))))
        : null;
    const opt = makeOptimizer(params, anchors, config.lr, config.weightDecay);
    const step = specStep(spec, params, anchors, opt, config, impl, spec.seed + 1);
    return { spec, params, anchors, opt, step, samples: [] as number[] };
  });
  try {
    for (let r = 0; r < rounds.warm + rounds.timed; r++) {
      for (let i = 0; i < parts.length; i++) {
        await ctx.tick();
        const p = parts[(i + r) % parts.length];
        const t0 = performance.now();
        const out = p.step(x, y, true, config.alpha, config.lr);
        await out.data();
        const dt = performance.now() - t0;
        out.dispose();
        if (r >= rounds.warm) p.samples.push(dt);
      }
    }
  } finally {
    for (const p of parts) {
      p.opt.dispose();
      disposeVit(p.params);
      if (p.anchors) tf.dispose(p.anchors.flat());
    }
    tf.dispose([x, y]);
  }
  return Object.fromEntries(parts.map((p) => [p.spec.name, { medianMs: median(p.samples), samples: p.samples.map((v) => Math.round(v * 100) / 100) }]));
}
