import * as tf from '../../../../src-worker/models/tf';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { dense, denseNd } from '../../../../src-worker/models/fast-dense';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function close(a: tf.Tensor, b: tf.Tensor, tol = 1e-4): void {
  const x = a.dataSync();
  const y = b.dataSync();
  expect(x.length).toBe(y.length);
  for (let i = 0; i < x.length; i++) expect(Math.abs(x[i] - y[i])).toBeLessThan(tol * (1 + Math.abs(y[i])));
}

describe('fast dense layer', () => {
  it('matches x·W + b and autograd gradients of the plain formula', () => {
    const x = tf.randomNormal([7, 5], 0, 1, 'float32', 1) as tf.Tensor2D;
    const w = tf.randomNormal([5, 3], 0, 1, 'float32', 2) as tf.Tensor2D;
    const b = tf.randomNormal([3], 0, 1, 'float32', 3) as tf.Tensor1D;
    const loss = (f: (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor) => (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
      tf.sum(tf.square(f(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D))) as tf.Scalar;
    const plain = (xx: tf.Tensor2D, ww: tf.Tensor2D, bb: tf.Tensor1D) => tf.add(tf.matMul(xx, ww), bb);
    close(dense(x, w, b), plain(x, w, b));
    const g1 = tf.grads(loss(dense))([x, w, b]);
    const g2 = tf.grads(loss(plain))([x, w, b]);
    g1.forEach((g, i) => close(g, g2[i]));
  });

  it('denseNd keeps leading dimensions', () => {
    const x = tf.ones([2, 4, 5]);
    const y = denseNd(x, tf.ones([5, 3]) as tf.Tensor2D, tf.zeros([3]) as tf.Tensor1D);
    expect(y.shape).toEqual([2, 4, 3]);
    expect(Array.from(y.dataSync()).every((v) => v === 5)).toBe(true);
  });
});
