import * as tf from '../../../../src-worker/models/tf';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerCoreGradients } from '../../../../src-worker/models/gradients';
import {
  createVit,
  crossEntropy,
  disposeVit,
  entropyPenalty,
  l1Penalty,
  patchify,
  tokenCount,
  TINY_VIT,
  vitFlops,
  vitForward,
  vitInfer,
  vitVariables,
  type VitShape,
} from '../../../../src-worker/models/vit';
import { attentionKernel, type KernelStats } from '../../../../src-worker/models/attention/kernels';
import { calibratingKernel } from '../../../../src-worker/models/attention/pruning';
import { inputGradient, pgd } from '../../../../src-worker/models/adversarial';
import { makeOptimizer, makeTrainStep } from '../../../../src-worker/experiments/attention-train/train';
import { measureStepCosts } from '../../../../src-worker/experiments/attention-train/step-cost';
import { configSchema } from '../../../../src-worker/experiments/attention-train/config';
import { buildData } from '../../../../src-worker/experiments/attention-train/data';
import { modelSpecs } from '../../../../src-worker/experiments/attention-train/run';
import type { ExperimentContext } from '../../../../src-worker/experiments/types';
import { createRng } from '../../../../src-worker/entropy/random';

beforeAll(async () => {
  registerCoreGradients();
  await tf.setBackend('cpu');
});

/** A smaller ViT of the same design for the slower tests (16×16 images → 17 tokens, 2 layers). */
const SMALL: VitShape = { image: 16, channels: 3, patch: 4, dim: 32, heads: 4, layers: 2, mlp: 64, classes: 3 };

function seeded(seed: number): () => number {
  const rng = createRng(seed);
  return () => rng.next();
}

function randomPatches(b: number, shape: VitShape, seed: number): tf.Tensor3D {
  const n = tokenCount(shape);
  const pd = shape.patch * shape.patch * shape.channels;
  const rng = createRng(seed);
  const data = Float32Array.from({ length: b * n * pd }, (_, i) => (i % (n * pd) < pd ? 0 : rng.next() - 0.5));
  return tf.tensor3d(data, [b, n, pd]);
}

describe('tiny ViT', () => {
  it('creating and disposing a model leaves no tensor behind (initial values are not kept beside the variables)', () => {
    const before = tf.memory().numTensors;
    disposeVit(createVit(SMALL, seeded(2)));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('has the issue\'s shape: 65 tokens, logits [B, C], per-layer attention [B, 4, 65, 65] and keys [B, 4, 65, 16]', () => {
    const p = createVit({ ...TINY_VIT, classes: 4 }, seeded(1));
    const x = randomPatches(2, p.shape, 2);
    const out = vitForward(p, x, { attention: true, keys: true, scores: true });
    expect(tokenCount(p.shape)).toBe(65);
    expect(out.logits.shape).toEqual([2, 4]);
    expect(out.attention.length).toBe(4);
    expect(out.keys.length).toBe(4);
    for (const a of out.attention) expect(a.shape).toEqual([2, 4, 65, 65]);
    for (const k of out.keys) expect(k.shape).toEqual([2, 4, 65, 16]);
    for (const s of out.scores) expect(s.shape).toEqual([2, 4, 65, 65]);
    const rowSums = tf.sum(out.attention[3], -1).dataSync();
    for (const r of rowSums) expect(r).toBeCloseTo(1, 5);
    const f = vitFlops(p.shape);
    expect(f.attention).toBe(4 * 4 * 65 * 65 * 64);
    tf.dispose([x, out.logits, ...out.attention, ...out.keys, ...out.scores]);
    disposeVit(p);
  });

  it('patchify puts patch (py, px) at token 1 + 8·py + px in (dy, dx, c) order, CLS row zero', () => {
    const shape = { image: 8, patch: 4, channels: 3 };
    const img = new Uint8Array(8 * 8 * 3);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) for (let c = 0; c < 3; c++) img[(y * 8 + x) * 3 + c] = y * 16 + x * 2 + c;
    const p = patchify(img, 1, shape);
    const pd = 48;
    expect(p.subarray(0, pd).every((v) => v === 0)).toBe(true);
    // token 1 + 1·2 + 1 = 4 is patch (1, 1): its (dy=0, dx=0, c=1) value is pixel (4, 4) channel 1.
    expect(p[4 * pd + 1]).toBeCloseTo((4 * 16 + 4 * 2 + 1) / 255 - 0.5, 6);
    expect(p[4 * pd + (1 * 4 + 2) * 3 + 2]).toBeCloseTo((5 * 16 + 6 * 2 + 2) / 255 - 0.5, 6);
  });

  it('batched and loop attention layouts, and vitInfer with the dense JS kernel, give the same logits', async () => {
    const p = createVit(SMALL, seeded(3));
    const x = randomPatches(3, SMALL, 4);
    const a = vitForward(p, x, { impl: 'batched' }).logits;
    const b = vitForward(p, x, { impl: 'loop' }).logits;
    const c = await vitInfer(p, x, attentionKernel({ kind: 'dense' }));
    const [av, bv] = [a.dataSync(), b.dataSync()];
    for (let i = 0; i < av.length; i++) {
      expect(bv[i]).toBeCloseTo(av[i], 4);
      expect(c.logits[i]).toBeCloseTo(av[i], 4);
    }
    expect(c.peakBytes).toBeGreaterThan(0);
    tf.dispose([x, a, b]);
    disposeVit(p);
  });

  it('the entropy regulariser\'s gradient reaches the anchors and the key projections (and not the value path)', () => {
    const p = createVit(SMALL, seeded(5));
    const x = randomPatches(2, SMALL, 6);
    const dh = SMALL.dim / SMALL.heads;
    const anchors = p.layers.map((_, l) => Array.from({ length: SMALL.heads }, (_, h) => tf.variable(tf.randomNormal([4, dh], 0, 1, 'float32', 10 * l + h))));
    const l0 = p.layers[0];
    // The last layer's values feed no key of any layer, so no entropy gradient may reach them.
    const last = p.layers[SMALL.layers - 1];
    const vars = [...anchors.flat(), l0.wk, l0.bk, last.wv];
    const { value, grads } = tf.variableGrads(() => entropyPenalty(vitForward(p, x, { keys: true }).keys, anchors as tf.Tensor2D[][], 5), vars);
    expect(value.dataSync()[0]).toBeGreaterThan(0);
    const norm = (t: tf.Tensor | undefined) => (t ? Math.sqrt(tf.sum(tf.square(t)).dataSync()[0]) : 0);
    for (const a of anchors.flat()) expect(norm(grads[a.name])).toBeGreaterThan(0);
    expect(norm(grads[l0.wk.name])).toBeGreaterThan(0);
    expect(norm(grads[l0.bk.name])).toBeGreaterThan(0);
    expect(norm(grads[last.wv.name])).toBe(0);
    tf.dispose([x, value, ...Object.values(grads), ...anchors.flat()]);
    disposeVit(p);
  });

  it('l1Penalty is mean (1/max_j w_ij − 1)/(N − 1), with the gradient of that formula', () => {
    const w = tf.softmax(tf.randomNormal([2, 3, 5, 5], 0, 2, 'float32', 9)) as tf.Tensor4D;
    const direct = (t: tf.Tensor) => tf.div(tf.sub(tf.mean(tf.reciprocal(tf.max(t, -1))), 1), 4) as tf.Scalar;
    expect(l1Penalty([w]).dataSync()[0]).toBeCloseTo(direct(w).dataSync()[0], 6);
    const g1 = tf.grad((t: tf.Tensor) => l1Penalty([t as tf.Tensor4D]))(w).dataSync();
    const g2 = tf.grad(direct)(w).dataSync();
    for (let i = 0; i < g1.length; i++) expect(g1[i]).toBeCloseTo(g2[i], 5);
    // Sparse rows score 0, uniform rows 1.
    const oneHot = tf.reshape(tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 4), 'float32'), [1, 1, 4, 4]) as tf.Tensor4D;
    expect(l1Penalty([oneHot]).dataSync()[0]).toBeCloseTo(0, 6);
    expect(l1Penalty([tf.fill([1, 1, 4, 4], 0.25) as tf.Tensor4D]).dataSync()[0]).toBeCloseTo(1, 6);
  });

  it('leaks no tensors: after a warm-up step, the next regularised step leaves tf.memory().numTensors unchanged', async () => {
    for (const method of ['none', 'l1', 'entropy', 'label-smoothing', 'fgsm-at'] as const) {
      const p = createVit(SMALL, seeded(7));
      const dh = SMALL.dim / SMALL.heads;
      const anchors =
        method === 'entropy' ? p.layers.map((_, l) => Array.from({ length: SMALL.heads }, (_, h) => tf.variable(tf.randomNormal([4, dh], 0, 1, 'float32', 20 + 4 * l + h)))) : null;
      const opt = makeOptimizer(p, anchors, 1e-3, 0.01);
      const rng = createRng(9);
      const step = makeTrainStep({
        params: p,
        anchors,
        opt,
        impl: 'batched',
        method,
        lambda: 0.03,
        gradClip: 1,
        smoothing: 0.1,
        adversarial: { eps: 8 / 255, alpha: 10 / 255, random: () => rng.next() },
      });
      const x = randomPatches(2, SMALL, 8);
      const y = tf.tensor1d([0, 2], 'int32');
      const warm = step(x, y, true, 5, 1e-3);
      await warm.data();
      warm.dispose();
      const before = tf.memory().numTensors;
      const next = step(x, y, true, 5, 1e-3);
      const [loss, ce, penalty] = await next.data();
      next.dispose();
      expect(tf.memory().numTensors).toBe(before);
      expect(Number.isFinite(loss)).toBe(true);
      expect(loss).toBeCloseTo(ce + 0.03 * penalty, 4);
      if (method === 'l1' || method === 'entropy') expect(penalty).toBeGreaterThan(0);
      opt.dispose();
      tf.dispose([x, y, ...(anchors ? anchors.flat() : [])]);
      disposeVit(p);
    }
  });

  it('label smoothing is the cross-entropy against (1 − ε)·onehot + ε/K, written out', () => {
    const logits = tf.tensor2d([[2, 0.5, -1], [0, 0, 3]]);
    const y = tf.tensor1d([0, 2], 'int32');
    const eps = 0.2;
    const rows = logits.arraySync();
    let direct = 0;
    rows.forEach((r, i) => {
      const lse = Math.log(r.reduce((s, v) => s + Math.exp(v), 0));
      r.forEach((v, c) => (direct -= ((c === [0, 2][i] ? 1 - eps : 0) + eps / 3) * (v - lse)));
    });
    expect(crossEntropy(logits, y, eps).dataSync()[0]).toBeCloseTo(direct / 2, 5);
    expect(crossEntropy(logits, y, 0).dataSync()[0]).toBeLessThan(crossEntropy(logits, y, eps).dataSync()[0]);
    tf.dispose([logits, y]);
  });

  it('PGD stays in the ε-ball and the pixel range, never touches the CLS slot, and raises the loss', () => {
    const p = createVit(SMALL, seeded(13));
    const x = randomPatches(4, SMALL, 14);
    const y = tf.tensor1d([0, 1, 2, 1], 'int32');
    const eps = 8 / 255;
    const rng = createRng(15);
    const adv = pgd(p, x, y, { eps, stepSize: 2 / 255, steps: 5, randomStart: true }, () => rng.next());
    const a = adv.dataSync();
    const o = x.dataSync();
    const n = tokenCount(SMALL);
    const pd = SMALL.patch * SMALL.patch * SMALL.channels;
    let maxDiff = 0;
    for (let i = 0; i < a.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(a[i] - o[i]));
      expect(a[i]).toBeGreaterThanOrEqual(-0.5);
      expect(a[i]).toBeLessThanOrEqual(0.5);
      if (Math.floor(i / pd) % n === 0) expect(a[i]).toBe(o[i]);
    }
    expect(maxDiff).toBeLessThanOrEqual(eps + 1e-6);
    expect(maxDiff).toBeGreaterThan(eps / 2);
    const ce = (t: tf.Tensor3D) => tf.tidy(() => crossEntropy(vitForward(p, t).logits, y)).dataSync()[0];
    expect(ce(adv)).toBeGreaterThan(ce(x));
    // The input gradient is the derivative of the summed loss: a finite difference along one pixel agrees.
    const g = inputGradient(p, x, y).dataSync();
    const idx = pd * 5 + 7;
    const h = 1e-2;
    const bump = (d: number) => {
      const buf = Float32Array.from(o);
      buf[idx] += d;
      const t = tf.tensor3d(buf, x.shape);
      const v = tf.tidy(() => tf.mul(crossEntropy(vitForward(p, t).logits, y), 4)).dataSync()[0];
      t.dispose();
      return v;
    };
    expect(g[idx]).toBeCloseTo((bump(h) - bump(-h)) / (2 * h), 2);
    tf.dispose([x, y, adv]);
    disposeVit(p);
  });

  it('magnitude-pruning thresholds calibrated layer by layer hit the target in every layer of the calibration batch', async () => {
    const p = createVit({ ...SMALL, layers: 3 }, seeded(17));
    const x = randomPatches(6, { ...SMALL, layers: 3 }, 18);
    const target = 0.6;
    const cal = calibratingKernel((tau) => ({ kind: 'dense', prune: { tau } }), 3, target);
    const calibrated = await vitInfer(p, x, cal.kernel);
    expect(cal.taus.every((t) => t > 0)).toBe(true);
    // Re-running with the fixed thresholds reproduces the calibration pass and drops ≈ target in each layer.
    const stats: KernelStats[] = [];
    const fixed = await vitInfer(p, x, attentionKernel({ kind: 'dense', prune: { tau: cal.taus } }, stats));
    for (let i = 0; i < fixed.logits.length; i++) expect(fixed.logits[i]).toBeCloseTo(calibrated.logits[i], 5);
    for (const s of stats) {
      const dropped = 1 - s.activeKeys / s.entries;
      expect(dropped).toBeLessThanOrEqual(target + 1e-9);
      expect(dropped).toBeGreaterThanOrEqual(target - 0.03);
    }
    tf.dispose(x);
    disposeVit(p);
  });

  it('step costs: one timed entry per method (seeds share it), interleaved, and no tensor left behind', async () => {
    const config = configSchema.parse({ seeds: [1, 2], methods: ['none', 'entropy', 'fgsm-at'], entropyLambdas: [0.01], trainSize: 16, valSize: 16, testSize: 16, batchSize: 2 });
    const data = buildData(config);
    const ticks: number[] = [];
    const ctx = { tick: async () => void ticks.push(1) } as unknown as ExperimentContext;
    const before = tf.memory().numTensors;
    const costs = await measureStepCosts(modelSpecs(config), data, config, ctx, 'batched', { warm: 1, timed: 2 });
    expect(Object.keys(costs).sort()).toEqual(['entropy', 'fgsm-at', 'none']);
    for (const c of Object.values(costs)) {
      expect(c.samples).toHaveLength(2);
      expect(c.medianMs).toBeGreaterThan(0);
    }
    expect(ticks.length).toBe(3 * 3);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('one step lowers the cross-entropy of a fixed batch', async () => {
    const p = createVit(SMALL, seeded(11));
    const opt = makeOptimizer(p, null, 3e-3, 0);
    const step = makeTrainStep({ params: p, anchors: null, opt, impl: 'batched', method: 'none', lambda: 0, gradClip: 1 });
    const x = randomPatches(4, SMALL, 12);
    const y = tf.tensor1d([0, 1, 2, 0], 'int32');
    const ce = () => tf.tidy(() => crossEntropy(vitForward(p, x).logits, y)).dataSync()[0];
    const before = ce();
    for (let i = 0; i < 3; i++) step(x, y, false, 5, 3e-3).dispose();
    expect(ce()).toBeLessThan(before);
    expect(vitVariables(p).length).toBe(4 + 16 * SMALL.layers + 4);
    opt.dispose();
    tf.dispose([x, y]);
    disposeVit(p);
  });
});
