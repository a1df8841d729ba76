import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '../../../src-worker/models/tf';
import { registerCoreGradients } from '../../../src-worker/models/gradients';
import { createVit, disposeVit, entropyPenalty, tokenCount, vitForward, type VitShape } from '../../../src-worker/models/vit';
import { hDiffDirect } from '../../../src-worker/shared/surrogates-direct';
import { makeOptimizer, makeTrainStep } from '../../../src-worker/experiments/attention-train/train';
import { collapseMetricRows, collapseSnapshot } from '../../../src-worker/experiments/attention-train/collapse';
import { configSchema, entropyFloorNats, keyBudget } from '../../../src-worker/experiments/attention-train/config';
import { modelSpecs } from '../../../src-worker/experiments/attention-train/run';
import { createRng } from '../../../src-worker/entropy/random';
import { buildData, trainEpoch } from '../../../src-worker/experiments/attention-train/data';
import { generateShapes } from '../../../src-worker/vision/shapes';

beforeAll(async () => {
  registerCoreGradients();
  await tf.setBackend('cpu');
});

const SMALL: VitShape = { image: 16, channels: 3, patch: 4, dim: 32, heads: 4, layers: 2, mlp: 64, classes: 3 };
const DH = SMALL.dim / SMALL.heads;

function seeded(seed: number): () => number {
  const rng = createRng(seed);
  return () => rng.next();
}

function randomPatches(b: number, seed: number): tf.Tensor3D {
  const n = tokenCount(SMALL);
  const pd = SMALL.patch * SMALL.patch * SMALL.channels;
  const rng = createRng(seed);
  return tf.tensor3d(Float32Array.from({ length: b * n * pd }, (_, i) => (i % (n * pd) < pd ? 0 : rng.next() - 0.5)), [b, n, pd]);
}

function anchorsOf(seed: number, k = 4): tf.Variable[][] {
  return SMALL.layers > 0
    ? Array.from({ length: SMALL.layers }, (_, l) => Array.from({ length: SMALL.heads }, (_, h) => tf.variable(tf.randomNormal([k, DH], 0, 1, 'float32', seed + 4 * l + h))))
    : [];
}

/** Per-head key rows [B·N, d_h] of one layer's [B, H, N, d_h] keys, the way entropyPenalty pools them. */
function headRows(keys: Float32Array, b: number, n: number, head: number): Float64Array {
  const out = new Float64Array(b * n * DH);
  for (let i = 0; i < b; i++) for (let t = 0; t < n * DH; t++) out[i * n * DH + t] = keys[((i * SMALL.heads + head) * n) * DH + t];
  return out;
}

describe('entropy-floor regulariser (ours)', () => {
  it('equals Σ_heads max(H_diff − floor, 0) computed directly, and the plain sum without a floor', async () => {
    const p = createVit(SMALL, seeded(1));
    const x = randomPatches(3, 2);
    const anchors = anchorsOf(30);
    const keys = vitForward(p, x, { keys: true }).keys;
    const n = tokenCount(SMALL);
    const direct: number[] = [];
    for (let l = 0; l < SMALL.layers; l++) {
      const k = (await keys[l].data()) as Float32Array;
      for (let h = 0; h < SMALL.heads; h++) direct.push(hDiffDirect(headRows(k, 3, n, h), (await anchors[l][h].data()) as Float32Array, 5, DH));
    }
    // A floor between the heads' values: some heads count, others contribute exactly zero.
    const sorted = [...direct].sort((a, b) => a - b);
    const floor = (sorted[2] + sorted[3]) / 2;
    expect(sorted[3] - sorted[2]).toBeGreaterThan(1e-4);
    const plain = entropyPenalty(keys, anchors as tf.Tensor2D[][], 5);
    const floored = entropyPenalty(keys, anchors as tf.Tensor2D[][], 5, floor);
    expect(plain.dataSync()[0]).toBeCloseTo(direct.reduce((a, v) => a + v, 0), 4);
    expect(floored.dataSync()[0]).toBeCloseTo(direct.reduce((a, v) => a + Math.max(v - floor, 0), 0), 4);
    expect(floored.dataSync()[0]).toBeLessThan(plain.dataSync()[0]);
    // Above every head's value, the floored term is 0 and so is its gradient.
    const top = entropyPenalty(keys, anchors as tf.Tensor2D[][], 5, sorted[sorted.length - 1] + 1);
    expect(top.dataSync()[0]).toBe(0);
    tf.dispose([x, plain, floored, top, ...keys, ...anchors.flat()]);
    disposeVit(p);
  });

  it('has a finite gradient that reaches the anchors and keys only through heads above the floor', () => {
    const p = createVit(SMALL, seeded(3));
    const x = randomPatches(2, 4);
    const anchors = anchorsOf(50);
    const l0 = p.layers[0];
    const vars = [...anchors.flat(), l0.wk];
    const grad = (floor: number) => tf.variableGrads(() => entropyPenalty(vitForward(p, x, { keys: true }).keys, anchors as tf.Tensor2D[][], 5, floor), vars);
    const low = grad(1e-3);
    const norm = (t: tf.Tensor | undefined) => (t ? Math.sqrt(tf.sum(tf.square(t)).dataSync()[0]) : 0);
    for (const v of vars) {
      const g = low.grads[v.name];
      expect(g).toBeDefined();
      expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    }
    expect(norm(low.grads[l0.wk.name])).toBeGreaterThan(0);
    const high = grad(100);
    for (const v of vars) expect(norm(high.grads[v.name])).toBe(0);
    tf.dispose([x, low.value, high.value, ...Object.values(low.grads), ...Object.values(high.grads), ...anchors.flat()]);
    disposeVit(p);
  });

  it('a training step of the variant leaks no tensors and reports loss = CE + λ·penalty', async () => {
    const p = createVit(SMALL, seeded(7));
    const anchors = anchorsOf(70);
    const opt = makeOptimizer(p, anchors, 1e-3, 0.01);
    const step = makeTrainStep({ params: p, anchors, opt, impl: 'batched', method: 'entropy-floor', lambda: 0.03, gradClip: 1, entropyFloor: 0.1 });
    const x = randomPatches(2, 8);
    const y = tf.tensor1d([0, 2], 'int32');
    const warm = step(x, y, true, 5, 1e-3);
    await warm.data();
    warm.dispose();
    const before = tf.memory().numTensors;
    const next = step(x, y, true, 5, 1e-3);
    const [loss, ce, penalty, gradNorm] = await next.data();
    next.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(penalty).toBeGreaterThan(0);
    expect(loss).toBeCloseTo(ce + 0.03 * penalty, 4);
    expect(Number.isFinite(gradNorm)).toBe(true);
    opt.dispose();
    tf.dispose([x, y, ...anchors.flat()]);
    disposeVit(p);
  });

  it('floor defaults to ln(N/b); the variant gets its own model per λ and seed', () => {
    const config = configSchema.parse({ methods: ['none', 'entropy', 'entropy-floor'], entropyLambdas: [0.01], seeds: [1, 2] });
    expect(keyBudget(0.25, 65)).toBe(17);
    expect(entropyFloorNats(config, 65)).toBeCloseTo(Math.log(65 / 17), 12);
    expect(entropyFloorNats({ ...config, entropyFloor: 0.5 }, 65)).toBe(0.5);
    const specs = modelSpecs(config);
    expect(specs.filter((s) => s.method === 'entropy-floor').map((s) => s.prefix)).toEqual(['entropy-floor/seed-1', 'entropy-floor/seed-2']);
  });
});

describe('collapse probe', () => {
  it('reads per-head cluster-mass entropy and tail mass; one anchor per head is full collapse (H = 0, δ ≥ 0)', async () => {
    const p = createVit(SMALL, seeded(11));
    const x = randomPatches(4, 12);
    const n = tokenCount(SMALL);
    const budget = keyBudget(0.25, n);
    const one = Array.from({ length: SMALL.layers }, () => Array.from({ length: SMALL.heads }, () => new Float32Array(DH)));
    const before = tf.memory().numTensors;
    const collapsed = await collapseSnapshot(p, one, x, [0, 1, 2, 0], budget);
    expect(tf.memory().numTensors).toBe(before);
    for (const row of collapsed.massEntropy) for (const h of row) expect(h).toBe(0);
    // One cluster of all N keys: the block keeps b of them, so some attention mass must fall outside.
    for (const row of collapsed.tailMass) for (const d of row) expect(d).toBeGreaterThan(0);
    expect(collapsed.blockAccuracy).toBeGreaterThanOrEqual(0);
    expect(collapsed.blockAccuracy).toBeLessThanOrEqual(1);
    // Many spread anchors: entropy above 0, bounded by ln k.
    const rng = createRng(13);
    const spread = Array.from({ length: SMALL.layers }, () => Array.from({ length: SMALL.heads }, () => Float32Array.from({ length: 4 * DH }, () => 4 * (rng.next() - 0.5))));
    const s = await collapseSnapshot(p, spread, x, [0, 1, 2, 0], budget);
    const hs = s.massEntropy.flat();
    expect(Math.max(...hs)).toBeGreaterThan(0);
    for (const h of hs) expect(h).toBeLessThanOrEqual(Math.log(4) + 1e-9);
    const rows = collapseMetricRows('entropy/seed-1', 7, s);
    expect(rows).toHaveLength(1 + 3 * SMALL.layers * SMALL.heads);
    // No support of b keys leaves less mass out than the row's own top b.
    s.tailMass.forEach((row, l) => row.forEach((d, h) => expect(s.topBTail[l][h]).toBeLessThanOrEqual(d + 1e-9)));
    for (const t of s.topBTail.flat()) expect(t).toBeGreaterThanOrEqual(0);
    expect(rows[0]).toEqual({ key: 'entropy/seed-1/collapse/block_acc', step: 7, value: s.blockAccuracy });
    expect(rows.some((r) => r.key === 'entropy/seed-1/collapse/l1h3/tail_mass' && r.value === s.tailMass[1][3])).toBe(true);
    tf.dispose(x);
    disposeVit(p);
  });
});

describe('shortcut checks of the image set', () => {
  it('texture-swapped images keep label, object and mask, and take the other set\'s background', () => {
    const base = { count: 24, size: 32, classes: 4, distractors: 3 };
    const own = generateShapes({ ...base, seed: 5 });
    const swapped = generateShapes({ ...base, seed: 5, backgroundSeed: 9 });
    const other = generateShapes({ ...base, seed: 9, drawObject: false });
    expect(Array.from(swapped.labels)).toEqual(Array.from(own.labels));
    expect(Array.from(swapped.masks)).toEqual(Array.from(own.masks));
    let differs = 0;
    for (let i = 0; i < base.count * 32 * 32; i++) {
      for (let c = 0; c < 3; c++) {
        if (swapped.masks[i] === 0) expect(swapped.images[3 * i + c]).toBe(other.images[3 * i + c]);
        else if (swapped.images[3 * i + c] !== own.images[3 * i + c]) differs++;
      }
    }
    // Object pixels are the same shape; their colour is redrawn only where it would clash with the new background.
    expect(differs).toBeLessThan(swapped.masks.reduce((a, v) => a + v, 0) * 3);
    expect(Array.from(swapped.textures)).toEqual(Array.from(other.textures));
  });

  it('buildData makes the three check sets from the test images; a fresh training set per epoch when asked', () => {
    const config = configSchema.parse({ trainSize: 16, valSize: 16, testSize: 16, classes: 4 });
    const data = buildData(config);
    expect(Object.keys(data.shortcut).sort()).toEqual(['background-only', 'flat-background', 'texture-swapped']);
    for (const s of Object.values(data.shortcut)) expect(Array.from(s.set.labels)).toEqual(Array.from(data.test.set.labels));
    expect(data.shortcut['background-only'].set.masks.every((v) => v === 0)).toBe(true);
    expect(Array.from(data.shortcut['flat-background'].set.masks)).toEqual(Array.from(data.test.set.masks));
    expect(trainEpoch(data, config, 0)).toBe(data.train);
    const e1 = trainEpoch(data, config, 1);
    expect(e1.set.count).toBe(16);
    expect(Array.from(e1.patches.subarray(0, 500))).not.toEqual(Array.from(data.train.patches.subarray(0, 500)));
    expect(trainEpoch(data, { ...config, freshTrainImages: false }, 1)).toBe(data.train);
  });
});
