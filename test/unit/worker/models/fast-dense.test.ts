import * as tf from '../../../../src-worker/models/tf';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { dense as denseOf, denseNd } from '../../../../src-worker/models/fast-dense';
import { simdMatMulAvailable } from '../../../../src-worker/models/attention/simd-matmul';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Elementwise within tol·(1 + |ref|), or with `normwise` within tol·(1 + max |ref|) (float32 sums over
 * thousands of rows: an element that cancels to near 0 keeps the rounding of its large terms). */
function close(a: tf.Tensor, b: tf.Tensor, tol = 1e-4, normwise = false): void {
  const x = a.dataSync();
  const y = b.dataSync();
  expect(x.length).toBe(y.length);
  const scale = normwise ? Array.from(y).reduce((m, v) => Math.max(m, Math.abs(v)), 0) : 0;
  for (let i = 0; i < x.length; i++) expect(Math.abs(x[i] - y[i])).toBeLessThan(tol * (1 + (normwise ? scale : Math.abs(y[i]))));
}

describe('fast dense layer', () => {
  // Both backward paths: tf (transpose + matMul, tf.sum) and, where available, the SIMD module (Xᵀ·dY and the
  // column sums in one call), on odd sizes and the ViT's.
  it.each((simdMatMulAvailable() ? [false, true] : [false]).flatMap((simd) => [[simd, 7, 5, 3], [simd, 2080, 64, 128], [simd, 33, 17, 9], [simd, 40, 129, 65]] as const))('matches x·W + b and autograd gradients of the plain formula (simd %s, [%i, %i]·[%i])', (simd, n, i, o) => {
    const dense = (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => denseOf(x, w, b, simd);
    const x = tf.randomNormal([n, i], 0, 1, 'float32', 1) as tf.Tensor2D;
    const w = tf.randomNormal([i, o], 0, 1, 'float32', 2) as tf.Tensor2D;
    const b = tf.randomNormal([o], 0, 1, 'float32', 3) as tf.Tensor1D;
    const loss = (f: (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor) => (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
      tf.sum(tf.square(f(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D))) as tf.Scalar;
    const plain = (xx: tf.Tensor2D, ww: tf.Tensor2D, bb: tf.Tensor1D) => tf.add(tf.matMul(xx, ww), bb);
    close(dense(x, w, b), plain(x, w, b));
    const g1 = tf.grads(loss(dense))([x, w, b]);
    const g2 = tf.grads(loss(plain))([x, w, b]);
    g1.forEach((g, i) => close(g, g2[i], 1e-4, true));
    // The gradients are not trivially small (a normwise comparison would pass on anything then).
    expect(Math.max(...Array.from(g1[1].dataSync()).map(Math.abs))).toBeGreaterThan(1);
  });

  it('denseNd keeps leading dimensions', () => {
    const x = tf.ones([2, 4, 5]);
    const y = denseNd(x, tf.ones([5, 3]) as tf.Tensor2D, tf.zeros([3]) as tf.Tensor1D);
    expect(y.shape).toEqual([2, 4, 3]);
    expect(Array.from(y.dataSync()).every((v) => v === 5)).toBe(true);
  });
});
