import * as tf from '../../../../../src-worker/models/tf';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerCoreGradients } from '../../../../../src-worker/models/gradients';
import { defaultEntropyProducts, hDiffPerGroup, hDiffPerSet, type EntropyProducts } from '../../../../../src-worker/models/attention/head-entropy';
import { simdMatMulAvailable } from '../../../../../src-worker/models/attention/simd-matmul';
import { entropyPenalty } from '../../../../../src-worker/models/vit';
import { hDiff } from '../../../../../src-worker/entropy/surrogates';

beforeAll(async () => {
  registerCoreGradients();
  await tf.setBackend('cpu');
});

describe('H_diff of every head at once', () => {
  it('equals hDiff set by set, values and the gradients of points and anchors', () => {
    const points = tf.randomNormal([3, 40, 4], 0, 1, 'float32', 1) as tf.Tensor3D;
    const anchors = tf.randomNormal([3, 5, 4], 0, 1, 'float32', 2) as tf.Tensor3D;
    const w = tf.tensor1d([1, -0.5, 2]);
    const batched = (p: tf.Tensor, a: tf.Tensor) => tf.sum(tf.mul(hDiffPerSet(p as tf.Tensor3D, a as tf.Tensor3D, 5), w));
    const setBySet = (p: tf.Tensor, a: tf.Tensor) =>
      tf.addN([0, 1, 2].map((s) => tf.mul(hDiff(tf.squeeze(tf.slice(p, [s, 0, 0], [1, -1, -1]), [0]) as tf.Tensor2D, tf.squeeze(tf.slice(a, [s, 0, 0], [1, -1, -1]), [0]) as tf.Tensor2D, 5), w.dataSync()[s])));
    const values = hDiffPerSet(points, anchors, 5).dataSync();
    [0, 1, 2].forEach((s) => expect(values[s]).toBeCloseTo(hDiff(tf.squeeze(tf.slice(points, [s, 0, 0], [1, -1, -1]), [0]) as tf.Tensor2D, tf.squeeze(tf.slice(anchors, [s, 0, 0], [1, -1, -1]), [0]) as tf.Tensor2D, 5).dataSync()[0], 5));
    const ours = tf.grads(batched)([points, anchors]);
    const theirs = tf.grads(setBySet)([points, anchors]);
    for (let i = 0; i < 2; i++) {
      const [a, b] = [ours[i].dataSync(), theirs[i].dataSync()];
      for (let j = 0; j < a.length; j++) expect(a[j]).toBeCloseTo(b[j], 5);
    }
  });

  it('the penalty sums each (layer, head) term, floored ones at max(H − floor, 0)', () => {
    const keys = [0, 1].map((l) => tf.randomNormal([2, 3, 6, 4], 0, 1, 'float32', 10 + l) as tf.Tensor4D);
    const anchors = [0, 1].map((l) => [0, 1, 2].map((h) => tf.randomNormal([4, 4], 0, 1, 'float32', 20 + 3 * l + h) as tf.Tensor2D));
    const terms = keys.flatMap((k, l) => [0, 1, 2].map((h) => hDiff(tf.reshape(tf.slice(k, [0, h, 0, 0], [-1, 1, -1, -1]), [12, 4]) as tf.Tensor2D, anchors[l][h], 5).dataSync()[0]));
    expect(entropyPenalty(keys, anchors, 5).dataSync()[0]).toBeCloseTo(terms.reduce((a, b) => a + b, 0), 4);
    const floor = [...terms].sort((a, b) => a - b)[2];
    expect(entropyPenalty(keys, anchors, 5, floor).dataSync()[0]).toBeCloseTo(terms.reduce((a, t) => a + Math.max(t - floor, 0), 0), 4);
  });
});

describe.skipIf(!simdMatMulAvailable())('H_diff products on the SIMD kernel', () => {
  /** Values of fn and its gradients in points and anchors, as plain arrays, with no tensor left behind. */
  function run(fn: (p: tf.Tensor3D, a: tf.Tensor3D) => tf.Tensor, points: tf.Tensor3D, anchors: tf.Tensor3D): { value: Float32Array; dPoints: Float32Array; dAnchors: Float32Array } {
    const before = tf.memory().numTensors;
    const value = tf.tidy(() => fn(points, anchors).dataSync() as Float32Array);
    const [dPoints, dAnchors] = tf.tidy(() => {
      const w = tf.linspace(-1, 2, fn(points, anchors).size);
      const g = tf.grads((p: tf.Tensor, a: tf.Tensor) => tf.sum(tf.mul(tf.reshape(fn(p as tf.Tensor3D, a as tf.Tensor3D), [-1]), w)))([points, anchors]);
      return g.map((t) => t.dataSync() as Float32Array);
    });
    expect(tf.memory().numTensors).toBe(before);
    return { value, dPoints, dAnchors };
  }

  function expectClose(ours: Float32Array, ref: Float32Array, tol: number): void {
    expect(ours.length).toBe(ref.length);
    let worst = 0;
    for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(ours[i] - ref[i]) / (1e-3 + Math.abs(ref[i])));
    expect(worst).toBeLessThan(tol);
  }

  // Odd sizes around the kernel's 4×8 tile (k = 3, 5, 8, 9 anchors; d = 4, 16, 7) and the ViT shape.
  const CASES: Array<[number, number, number, number, number]> = [
    // sets, groups, points per group, anchors, dim
    [3, 1, 40, 5, 4],
    [2, 3, 7, 3, 7],
    [4, 4, 17, 9, 16],
    [16, 2, 65, 8, 16],
  ];

  it.each(CASES)('per set and per group: %i sets, %i groups of %i points, %i anchors, dim %i — values and gradients equal the tf path', (sets, groups, m, k, d) => {
    const points = tf.randomNormal([sets, groups * m, d], 0, 1, 'float32', 3 + k) as tf.Tensor3D;
    const anchors = tf.randomNormal([sets, k, d], 0, 1, 'float32', 7 + d) as tf.Tensor3D;
    const perSet = (products: EntropyProducts) => run((p, a) => hDiffPerSet(p, a, 5, products), points, anchors);
    const perGroup = (products: EntropyProducts) => run((p, a) => hDiffPerGroup(p, a, 5, groups, products), points, anchors);
    for (const f of [perSet, perGroup]) {
      const [simd, ref] = [f('simd'), f('tf')];
      expectClose(simd.value, ref.value, 1e-4);
      expectClose(simd.dPoints, ref.dPoints, 1e-3);
      expectClose(simd.dAnchors, ref.dAnchors, 1e-3);
      // The gradients are not trivially zero (the comparison would pass on anything then).
      expect(ref.dPoints.some((v) => Math.abs(v) > 1e-4)).toBe(true);
    }
    tf.dispose([points, anchors]);
  });

  it('is the default on wasm only', () => {
    expect(defaultEntropyProducts('wasm')).toBe('simd');
    expect(defaultEntropyProducts('cpu')).toBe('tf');
    expect(defaultEntropyProducts('tensorflow')).toBe('tf');
  });
});
