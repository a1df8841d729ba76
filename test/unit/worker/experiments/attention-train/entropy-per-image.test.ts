import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '../../../../../src-worker/models/tf';
import { registerCoreGradients } from '../../../../../src-worker/models/gradients';
import { hDiffPerGroup, hDiffPerSet } from '../../../../../src-worker/models/attention/head-entropy';
import { createVit, disposeVit, entropyPenaltyPerImage, tokenCount, type VitShape } from '../../../../../src-worker/models/vit';
import { hDiffDirect } from '../../../../../src-worker/shared/surrogates-direct';
import { hasAnchors, makeOptimizer, makeTrainStep, WINDOWED } from '../../../../../src-worker/experiments/attention-train/train';
import { configSchema, definition, entropyFloorNats } from '../../../../../src-worker/experiments/attention-train/config';
import { modelSpecs } from '../../../../../src-worker/experiments/attention-train/run';
import { createRng } from '../../../../../src-worker/entropy/random';

beforeAll(async () => {
  registerCoreGradients();
  await tf.setBackend('cpu');
});

const B = 3;
const HEADS = 2;
const N = 5;
const DH = 3;
const K = 3;
const ALPHA = 2;

/** Seeded keys [B, H, N, d_h] of `layers` layers and anchors [layer][head] [K, d_h], as plain arrays. */
function fixture(seed: number, layers: number): { keys: Float64Array[]; anchors: Float64Array[][] } {
  const rng = createRng(seed);
  const draw = (n: number) => Float64Array.from({ length: n }, () => 2 * (rng.next() - 0.5));
  return {
    keys: Array.from({ length: layers }, () => draw(B * HEADS * N * DH)),
    anchors: Array.from({ length: layers }, () => Array.from({ length: HEADS }, () => draw(K * DH))),
  };
}

/** Image i's keys of head h, [N, d_h] row-major, from a [B, H, N, d_h] array. */
function imageKeys(keys: ArrayLike<number>, i: number, h: number): Float64Array {
  const start = ((i * HEADS + h) * N) * DH;
  return Float64Array.from({ length: N * DH }, (_, t) => keys[start + t]);
}

/** The variant's penalty from the direct Float64 formula: Σ_{l,h} mean_i |H_diff(image i's keys) − t|. */
function penaltyDirect(keys: ArrayLike<number>[], anchors: ArrayLike<number>[][], target: number): number {
  let total = 0;
  keys.forEach((k, l) => {
    for (let h = 0; h < HEADS; h++) {
      let sum = 0;
      for (let i = 0; i < B; i++) sum += Math.abs(hDiffDirect(imageKeys(k, i, h), anchors[l][h], ALPHA, DH) - target);
      total += sum / B;
    }
  });
  return total;
}

const asTensors = (f: ReturnType<typeof fixture>) => ({
  keys: f.keys.map((k) => tf.tensor4d(Float32Array.from(k), [B, HEADS, N, DH])),
  anchors: f.anchors.map((row) => row.map((a) => tf.tensor2d(Float32Array.from(a), [K, DH]))),
});

describe('H_diff per image (entropy-per-image, ours)', () => {
  it('hDiffPerGroup equals the direct formula on each group alone, and hDiffPerSet with one group', () => {
    const f = fixture(1, 1);
    const t = asTensors(f);
    // Head h's keys as one set [B·N, d_h], image-major, the way the penalty pools them.
    const sets = tf.reshape(tf.transpose(t.keys[0], [1, 0, 2, 3]), [HEADS, B * N, DH]) as tf.Tensor3D;
    const anchors = tf.stack(t.anchors[0]) as tf.Tensor3D;
    const perImage = hDiffPerGroup(sets, anchors, ALPHA, B).arraySync();
    for (let h = 0; h < HEADS; h++) for (let i = 0; i < B; i++) expect(perImage[h][i]).toBeCloseTo(hDiffDirect(imageKeys(f.keys[0], i, h), f.anchors[0][h], ALPHA, DH), 5);
    const pooled = hDiffPerSet(sets, anchors, ALPHA).arraySync();
    const one = hDiffPerGroup(sets, anchors, ALPHA, 1).arraySync();
    for (let h = 0; h < HEADS; h++) expect(one[h][0]).toBeCloseTo(pooled[h], 6);
    // Concavity of H: the pooled entropy is at least the mean per-image entropy.
    for (let h = 0; h < HEADS; h++) expect(pooled[h]).toBeGreaterThanOrEqual(perImage[h].reduce((a, v) => a + v, 0) / B - 1e-6);
    expect(() => hDiffPerGroup(sets, anchors, ALPHA, 4)).toThrow(/equal groups/);
    tf.dispose([sets, anchors, ...t.keys, ...t.anchors.flat()]);
  });

  it('the penalty equals Σ_heads mean_images |H_i − t| from the direct formula, on both sides of t', () => {
    const f = fixture(2, 2);
    const t = asTensors(f);
    const values = f.keys.flatMap((k, l) => Array.from({ length: HEADS }, (_, h) => Array.from({ length: B }, (_, i) => hDiffDirect(imageKeys(k, i, h), f.anchors[l][h], ALPHA, DH)))).flat();
    const sorted = [...values].sort((a, b) => a - b);
    // A target inside the range of the per-image values: some terms are above it, some below.
    const target = (sorted[5] + sorted[6]) / 2;
    for (const tgt of [0, target, sorted[sorted.length - 1] + 0.5]) {
      expect(entropyPenaltyPerImage(t.keys, t.anchors, ALPHA, tgt).dataSync()[0]).toBeCloseTo(penaltyDirect(f.keys, f.anchors, tgt), 4);
    }
    tf.dispose([...t.keys, ...t.anchors.flat()]);
  });

  it('its gradients of keys and anchors match central finite differences of the direct Float64 formula', () => {
    const f = fixture(3, 1);
    const target = 0.6;
    const keys = tf.tensor4d(Float32Array.from(f.keys[0]), [B, HEADS, N, DH]);
    const anchors = f.anchors[0].map((a) => tf.tensor2d(Float32Array.from(a), [K, DH]));
    const [gKeys, gA0, gA1] = tf.grads((k: tf.Tensor, a0: tf.Tensor, a1: tf.Tensor) => entropyPenaltyPerImage([k as tf.Tensor4D], [[a0 as tf.Tensor2D, a1 as tf.Tensor2D]], ALPHA, target))([keys, ...anchors]);
    const eps = 1e-5;
    const fd = (mutate: (keys: Float64Array, anchors: Float64Array[], delta: number) => void): number => {
      const at = (delta: number) => {
        const k = Float64Array.from(f.keys[0]);
        const a = f.anchors[0].map((x) => Float64Array.from(x));
        mutate(k, a, delta);
        return penaltyDirect([k], [a], target);
      };
      return (at(eps) - at(-eps)) / (2 * eps);
    };
    const gk = gKeys.dataSync();
    let checked = 0;
    for (let j = 0; j < gk.length; j += 7) {
      expect(gk[j]).toBeCloseTo(fd((k, _a, d) => (k[j] += d)), 3);
      checked++;
    }
    const ga = [gA0.dataSync(), gA1.dataSync()];
    for (let h = 0; h < HEADS; h++) {
      for (let j = 0; j < K * DH; j++) {
        expect(ga[h][j]).toBeCloseTo(fd((_k, a, d) => (a[h][j] += d)), 3);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2 * K * DH);
    // Not all zero: the check would pass trivially on a dead gradient.
    expect(Math.max(...Array.from(gk, Math.abs))).toBeGreaterThan(1e-3);
    tf.dispose([keys, gKeys, gA0, gA1, ...anchors]);
  });
});

describe('entropy-per-image in training', () => {
  const SMALL: VitShape = { image: 16, channels: 3, patch: 4, dim: 32, heads: 4, layers: 2, mlp: 64, classes: 3 };

  it('a training step leaks no tensors, reports loss = CE + λ·penalty, and moves the anchors', async () => {
    const rng = createRng(5);
    const p = createVit(SMALL, () => rng.next(), 'per-image');
    const dh = SMALL.dim / SMALL.heads;
    const anchors = Array.from({ length: SMALL.layers }, (_, l) => Array.from({ length: SMALL.heads }, (_, h) => tf.variable(tf.randomNormal([4, dh], 0, 1, 'float32', 40 + 4 * l + h)))) as tf.Variable[][];
    const opt = makeOptimizer(p, anchors, 1e-2, 0.01);
    const step = makeTrainStep({ params: p, anchors, opt, impl: 'batched', method: 'entropy-per-image', lambda: 0.05, gradClip: 1, entropyFloor: Math.log(17 / 5) });
    const n = tokenCount(SMALL);
    const pd = SMALL.patch * SMALL.patch * SMALL.channels;
    const x = tf.tensor3d(Float32Array.from({ length: 2 * n * pd }, (_, i) => (i % (n * pd) < pd ? 0 : rng.next() - 0.5)), [2, n, pd]);
    const y = tf.tensor1d([0, 2], 'int32');
    const a0 = anchors[0][0].dataSync().slice();
    const warm = step(x, y, true, 5, 1e-2);
    await warm.data();
    warm.dispose();
    const before = tf.memory().numTensors;
    const next = step(x, y, true, 5, 1e-2);
    const [loss, ce, penalty, gradNorm] = await next.data();
    next.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(penalty).toBeGreaterThan(0);
    expect(loss).toBeCloseTo(ce + 0.05 * penalty, 4);
    expect(Number.isFinite(gradNorm)).toBe(true);
    expect(Array.from(anchors[0][0].dataSync())).not.toEqual(Array.from(a0));
    opt.dispose();
    tf.dispose([x, y, ...anchors.flat()]);
    disposeVit(p);
  });

  it('is a windowed method with anchors, has its own model per λ and seed, and is in the Table 4/5 preset', () => {
    expect(hasAnchors('entropy-per-image')).toBe(true);
    expect(WINDOWED.has('entropy-per-image')).toBe(true);
    const config = configSchema.parse({ methods: ['none', 'entropy', 'entropy-per-image'], entropyLambdas: [0.01, 0.03], seeds: [1, 2] });
    const specs = modelSpecs(config).filter((s) => s.method === 'entropy-per-image');
    expect(specs.map((s) => [s.prefix, s.lambda])).toEqual([
      ['entropy-per-image-0.01/seed-1', 0.01],
      ['entropy-per-image-0.03/seed-1', 0.03],
      ['entropy-per-image-0.01/seed-2', 0.01],
      ['entropy-per-image-0.03/seed-2', 0.03],
    ]);
    expect(entropyFloorNats(config, 65)).toBeCloseTo(Math.log(65 / 17), 12);
    expect(definition.presets['Table 4/5 analogue'].methods).toEqual(expect.arrayContaining(['entropy', 'entropy-floor', 'entropy-per-image']));
  });
});
