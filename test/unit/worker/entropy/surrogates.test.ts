import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type BackendName } from '../../../../src-worker/models/backend';
import { nearestAnchorLabels, partitionEntropyNats, rectLabels, signPatternLabels } from '../../../../src-worker/entropy/margin';
import { createRng } from '../../../../src-worker/entropy/random';
import {
  anchorMassesDirect,
  hDiff,
  hDiffDirect,
  hDiffLite,
  hRect,
  hRectDirect,
  hSoft,
  hSoftDirect,
  pointsTensor,
  rectCellMasses,
  rectCellMassesDirect,
  rectParamsFromCuts,
  rectParamsTensors,
  softCellMasses,
  softCellMassesDirect,
  type RectParams64,
} from '../../../../src-worker/entropy/surrogates';

function uniform(n: number, d: number, seed: number, scale = 1): Float64Array {
  const rng = createRng(seed);
  return new Float64Array(n * d).map(() => rng.next() * scale);
}

function randomPlanes(m: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const out = new Float64Array(m * 3);
  for (let t = 0; t < m; t++) {
    out[3 * t] = rng.normal();
    out[3 * t + 1] = rng.normal();
    out[3 * t + 2] = (out[3 * t] + out[3 * t + 1]) * rng.next();
  }
  return out;
}

function planeTensors(planes: Float64Array): [tf.Tensor2D, tf.Tensor1D] {
  const m = planes.length / 3;
  const w = new Float32Array(2 * m);
  const b = new Float32Array(m);
  for (let t = 0; t < m; t++) {
    w[2 * t] = planes[3 * t];
    w[2 * t + 1] = planes[3 * t + 1];
    b[t] = planes[3 * t + 2];
  }
  return [tf.tensor2d(w, [m, 2]), tf.tensor1d(b)];
}

function scalarOf(f: () => tf.Scalar): number {
  return tf.tidy(() => f().dataSync()[0]);
}

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
}

/** Central differences of a Float64 function over a Float64Array (in place, restored). */
function finiteDiff(f: () => number, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    x[i] = v + h;
    const fp = f();
    x[i] = v - h;
    const fm = f();
    x[i] = v;
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}

function expectGradClose(got: ArrayLike<number>, want: ArrayLike<number>, rel = 2e-3): void {
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  expect(scale).toBeGreaterThan(1e-6);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
  expect(worst).toBeLessThanOrEqual(rel * scale + 1e-7);
}

const cuts = Float64Array.of(0.2, 0.45, 0.8, 0.15, 0.5, 0.7);

for (const backend of ['cpu', 'wasm'] as BackendName[]) {
  describe(`surrogates on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend(backend);
    });
    afterAll(() => {
      tf.disposeVariables();
    });

    it('hDiff equals the direct evaluation of Eqs. 2–3 (1e-5 relative)', () => {
      const x = uniform(400, 2, 1);
      const c = uniform(9, 2, 2);
      for (const alpha of [0.5, 5, 10, 40]) {
        const got = scalarOf(() => hDiff(pointsTensor(x), pointsTensor(c), alpha));
        expect(relErr(got, hDiffDirect(x, c, alpha))).toBeLessThan(1e-5);
      }
    });

    it('hSoft equals the direct evaluation of Eqs. 4–6 (1e-5 relative)', () => {
      const x = uniform(400, 2, 3);
      const planes = randomPlanes(5, 4);
      for (const tau of [0.02, 0.1, 0.5, 2]) {
        const got = scalarOf(() => {
          const [w, b] = planeTensors(planes);
          return hSoft(pointsTensor(x), w, b, tau);
        });
        expect(relErr(got, hSoftDirect(x, planes, tau))).toBeLessThan(1e-5);
      }
    });

    it('hRect equals the direct evaluation of the soft grid (1e-5 relative)', () => {
      const x = uniform(400, 2, 5);
      const params = rectParamsFromCuts(cuts, 2, 3);
      for (const tau of [0.01, 0.05, 0.3]) {
        const got = scalarOf(() => hRect(pointsTensor(x), rectParamsTensors(params), tau));
        expect(relErr(got, hRectDirect(x, params, tau))).toBeLessThan(1e-5);
      }
    });

    it('hDiff gradients match central differences (points and anchors)', () => {
      const x = uniform(60, 2, 6);
      const c = uniform(5, 2, 7);
      const alpha = 4;
      const [gx, gc] = tf.tidy(() => {
        const g = tf.grads((p: tf.Tensor, a: tf.Tensor) => hDiff(p as tf.Tensor2D, a as tf.Tensor2D, alpha))([pointsTensor(x), pointsTensor(c)]);
        return g.map((t) => t.dataSync().slice());
      });
      expectGradClose(gx, finiteDiff(() => hDiffDirect(x, c, alpha), x));
      expectGradClose(gc, finiteDiff(() => hDiffDirect(x, c, alpha), c));
    });

    it('hSoft gradients match central differences (points, normals, offsets)', () => {
      const x = uniform(60, 2, 8);
      const planes = randomPlanes(3, 9);
      const tau = 0.3;
      const [gx, gw, gb] = tf.tidy(() => {
        const [w, b] = planeTensors(planes);
        const g = tf.grads((p: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => hSoft(p as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D, tau))([pointsTensor(x), w, b]);
        return g.map((t) => t.dataSync().slice());
      });
      expectGradClose(gx, finiteDiff(() => hSoftDirect(x, planes, tau), x));
      const fdPlanes = finiteDiff(() => hSoftDirect(x, planes, tau), planes);
      expectGradClose(gw, fdPlanes.filter((_, i) => i % 3 !== 2));
      expectGradClose(gb, fdPlanes.filter((_, i) => i % 3 === 2));
    });

    it('hRect gradients match central differences (points, start, gaps)', () => {
      const x = uniform(60, 2, 10);
      const params = rectParamsFromCuts(cuts, 2, 3);
      const tau = 0.1;
      const [gx, gs, gg] = tf.tidy(() => {
        const t = rectParamsTensors(params);
        const g = tf.grads((p: tf.Tensor, s: tf.Tensor, gp: tf.Tensor) =>
          hRect(p as tf.Tensor2D, { start: s as tf.Tensor2D, gaps: gp as tf.Tensor2D }, tau),
        )([pointsTensor(x), t.start, t.gaps!]);
        return g.map((v) => v.dataSync().slice());
      });
      expectGradClose(gx, finiteDiff(() => hRectDirect(x, params, tau), x));
      expectGradClose(gs, finiteDiff(() => hRectDirect(x, params, tau), params.start));
      expectGradClose(gg, finiteDiff(() => hRectDirect(x, params, tau), params.gaps));
    });

    it('is invariant under permutations of the points', () => {
      const x = uniform(300, 2, 11);
      const perm = Array.from({ length: 300 }, (_, i) => (i * 77) % 300);
      const xp = new Float64Array(600);
      perm.forEach((p, i) => {
        xp[2 * i] = x[2 * p];
        xp[2 * i + 1] = x[2 * p + 1];
      });
      const c = uniform(6, 2, 12);
      const planes = randomPlanes(4, 13);
      const params = rectParamsFromCuts(cuts, 2, 3);
      const eval3 = (pts: Float64Array): number[] =>
        tf.tidy(() => {
          const [w, b] = planeTensors(planes);
          return [
            hDiff(pointsTensor(pts), pointsTensor(c), 8).dataSync()[0],
            hSoft(pointsTensor(pts), w, b, 0.1).dataSync()[0],
            hRect(pointsTensor(pts), rectParamsTensors(params), 0.05).dataSync()[0],
          ];
        });
      const a = eval3(x);
      const b = eval3(xp);
      for (let i = 0; i < 3; i++) expect(relErr(b[i], a[i])).toBeLessThan(1e-5);
    });

    it('hDiff is invariant under a common translation of points and anchors', () => {
      const x = uniform(300, 2, 14);
      const c = uniform(6, 2, 15);
      const shift = (v: Float64Array): Float64Array => v.map((t, i) => t + (i % 2 === 0 ? 250 : -75));
      expect(relErr(hDiffDirect(shift(x), shift(c), 10), hDiffDirect(x, c, 10))).toBeLessThan(1e-9);
      const a = scalarOf(() => hDiff(pointsTensor(x), pointsTensor(c), 10));
      const b = scalarOf(() => hDiff(pointsTensor(shift(x)), pointsTensor(shift(c)), 10));
      // The shifted coordinates themselves are rounded to float32 (≈1.5e-5 absolute at 250).
      expect(relErr(b, a)).toBeLessThan(1e-3);
    });

    it('cell masses sum to 1 (sign patterns, rectangles, anchors)', () => {
      const x = uniform(200, 2, 16);
      const planes = randomPlanes(6, 17);
      const params = rectParamsFromCuts(cuts, 2, 3);
      const sums = tf.tidy(() => {
        const [w, b] = planeTensors(planes);
        return [tf.sum(softCellMasses(pointsTensor(x), w, b, 0.05)).dataSync()[0], tf.sum(rectCellMasses(pointsTensor(x), rectParamsTensors(params), 0.05)).dataSync()[0]];
      });
      for (const s of sums) expect(Math.abs(s - 1)).toBeLessThan(1e-5);
      const sum = (v: Float64Array): number => v.reduce((p, q) => p + q, 0);
      expect(Math.abs(sum(softCellMassesDirect(x, planes, 0.05)) - 1)).toBeLessThan(1e-12);
      expect(Math.abs(sum(rectCellMassesDirect(x, params, 0.05)) - 1)).toBeLessThan(1e-12);
      expect(Math.abs(sum(anchorMassesDirect(x, uniform(5, 2, 18), 3)) - 1)).toBeLessThan(1e-12);
    });

    it('α → ∞ gives the hard nearest-anchor entropy; τ → 0 the hard cell entropies', () => {
      const x = uniform(500, 2, 19);
      const c = uniform(7, 2, 20);
      const hard = partitionEntropyNats(nearestAnchorLabels(x, c));
      expect(Math.abs(hDiffDirect(x, c, 1e6) - hard)).toBeLessThan(1e-3);
      expect(Math.abs(scalarOf(() => hDiff(pointsTensor(x), pointsTensor(c), 1e6)) - hard)).toBeLessThan(1e-3);
      const planes = randomPlanes(4, 21);
      const hardPlanes = partitionEntropyNats(signPatternLabels(x, planes));
      expect(Math.abs(hSoftDirect(x, planes, 1e-7) - hardPlanes)).toBeLessThan(1e-3);
      const params = rectParamsFromCuts(cuts, 2, 3);
      const hardRect = partitionEntropyNats(rectLabels(x, params));
      expect(Math.abs(scalarOf(() => hRect(pointsTensor(x), rectParamsTensors(params), 1e-6)) - hardRect)).toBeLessThan(1e-3);
    });

    it('all points at one anchor give 0; an even spread over k anchors gives ln k', () => {
      const k = 6;
      const c = new Float64Array(2 * k);
      for (let j = 0; j < k; j++) {
        c[2 * j] = 2 * Math.cos((2 * Math.PI * j) / k);
        c[2 * j + 1] = 2 * Math.sin((2 * Math.PI * j) / k);
      }
      const rng = createRng(22);
      const one = new Float64Array(2 * 120).map((_, i) => c[i % 2] + 1e-3 * rng.normal());
      expect(hDiffDirect(one, c, 50)).toBeLessThan(1e-9);
      expect(scalarOf(() => hDiff(pointsTensor(one), pointsTensor(c), 50))).toBeLessThan(1e-5);
      const spread = new Float64Array(2 * k * 20).map((_, i) => c[(Math.floor(i / 2) % k) * 2 + (i % 2)]);
      expect(Math.abs(hDiffDirect(spread, c, 50) - Math.log(k))).toBeLessThan(1e-9);
      expect(Math.abs(scalarOf(() => hDiff(pointsTensor(spread), pointsTensor(c), 50)) - Math.log(k))).toBeLessThan(1e-5);
    });

    it('H_diff-lite with m ≥ n is H_diff, and with m < n is reproducible from the seed', () => {
      const x = uniform(300, 2, 23);
      const c = uniform(5, 2, 24);
      const full = scalarOf(() => hDiff(pointsTensor(x), pointsTensor(c), 5));
      expect(scalarOf(() => hDiffLite(pointsTensor(x), pointsTensor(c), 5, 500, createRng(1)))).toBe(full);
      const a = scalarOf(() => hDiffLite(pointsTensor(x), pointsTensor(c), 5, 64, createRng(7)));
      const b = scalarOf(() => hDiffLite(pointsTensor(x), pointsTensor(c), 5, 64, createRng(7)));
      expect(a).toBe(b);
      expect(Math.abs(a - full)).toBeLessThan(0.3);
    });

    it('H_diff-lite gradients reach exactly the sampled points, as H_diff on the subsample', async () => {
      const { sampleIndices } = await import('../../../../src-worker/entropy/random');
      const x = uniform(200, 2, 27);
      const c = uniform(5, 2, 28);
      const idx = sampleIndices(200, 40, createRng(9));
      const sub = new Float64Array(80);
      idx.forEach((p, i) => {
        sub[2 * i] = x[2 * p];
        sub[2 * i + 1] = x[2 * p + 1];
      });
      const g = tf.tidy(() => tf.grad((p: tf.Tensor) => hDiffLite(p as tf.Tensor2D, pointsTensor(c), 5, 40, createRng(9)))(pointsTensor(x)).dataSync().slice());
      const fd = finiteDiff(() => hDiffDirect(sub, c, 5), sub);
      const want = new Float64Array(400);
      idx.forEach((p, i) => {
        want[2 * p] = fd[2 * i];
        want[2 * p + 1] = fd[2 * i + 1];
      });
      expectGradClose(g, want);
    });

    it('hDiff is stable for extreme logits (no NaN, entropy within [0, ln k])', () => {
      const x = uniform(100, 2, 25, 100);
      const c = uniform(4, 2, 26, 100);
      const v = scalarOf(() => hDiff(pointsTensor(x), pointsTensor(c), 1e4));
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(Math.log(4) + 1e-6);
      const g = tf.tidy(() => tf.grad((p: tf.Tensor) => hDiff(p as tf.Tensor2D, pointsTensor(c), 1e4))(pointsTensor(x)).dataSync().slice());
      expect(g.every(Number.isFinite)).toBe(true);
    });
  });
}

describe('rectangle parameters', () => {
  it('round-trip sorted cuts through the softplus gap parameterisation', async () => {
    const { rectCuts64 } = await import('../../../../src-worker/entropy/surrogates');
    const p: RectParams64 = rectParamsFromCuts(cuts, 2, 3);
    const back = rectCuts64(p);
    for (let i = 0; i < cuts.length; i++) expect(back[i]).toBeCloseTo(cuts[i], 12);
    expect(() => rectParamsFromCuts(Float64Array.of(0.5, 0.2), 1, 2)).toThrow();
  });
});
