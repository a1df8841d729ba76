import * as tf from '../../../../../src-worker/models/tf';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerCoreGradients } from '../../../../../src-worker/models/gradients';
import { hDiffPerSet } from '../../../../../src-worker/models/attention/head-entropy';
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
