import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../../src-worker/models/backend';
import { SurrogateFitter, type FitInit } from '../../../../src-worker/entropy/fit';
import { createRng } from '../../../../src-worker/entropy/random';
import { rectParamsFromCuts } from '../../../../src-worker/entropy/surrogates';

const rng = createRng(31);
const points = new Float64Array(400).map(() => rng.next());
const inits: FitInit[] = [
  { family: 'ball', points, anchors: points.slice(0, 10), alpha: 10, learningRate: 0.01, sigma: 0.05, lambda: 1, mu: 1 },
  { family: 'halfspace', points, planes: Float64Array.of(1, 0, 0.5, 0, 1, 0.5, 1, 1, 1), tau: 0.05, learningRate: 0.01 },
  { family: 'rect', points, rect: rectParamsFromCuts(Float64Array.of(0.3, 0.6, 0.3, 0.6), 2, 2), tau: 0.05, learningRate: 0.01, sigma: 0.05 },
];

describe('SurrogateFitter', () => {
  beforeAll(async () => {
    await initBackend();
  });

  for (const init of inits) {
    it(`${init.family}: one step after a warm-up step leaks no tensors`, async () => {
      const fitter = new SurrogateFitter(init);
      fitter.step();
      const before = tf.memory().numTensors;
      fitter.step();
      expect(tf.memory().numTensors).toBe(before);
      const snap = await fitter.snapshot();
      expect(tf.memory().numTensors).toBe(before);
      expect(Number.isFinite(snap.surrogateNats)).toBe(true);
      fitter.dispose();
    });

    it(`${init.family}: steps lower the surrogate and keep |S′ − S| ≤ σ`, async () => {
      const fitter = new SurrogateFitter(init);
      const first = await fitter.snapshot();
      for (let s = 0; s < 30; s++) fitter.step();
      const last = await fitter.snapshot();
      expect(last.surrogateNats).toBeLessThan(first.surrogateNats);
      const sigma = init.sigma ?? 0;
      for (let i = 0; i < points.length; i++) expect(Math.abs(last.points[i] - points[i])).toBeLessThanOrEqual(sigma + 1e-6);
      fitter.dispose();
    });
  }

  it('disposes everything it created', () => {
    const before = tf.memory().numTensors;
    const fitter = new SurrogateFitter(inits[0]);
    fitter.step();
    fitter.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
