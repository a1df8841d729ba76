import * as tf from '../../../../../src-worker/models/tf';
import '@tensorflow/tfjs-backend-cpu';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { groupMatMulSimd, simdInPlace, simdMatMul, simdMatMulAvailable, type SimdProduct } from '../../../../../src-worker/models/attention/simd-matmul';
import { defaultEntropyProducts } from '../../../../../src-worker/models/attention/head-entropy';
import { createVit, defaultAttentionImpl, disposeVit, vitForward, vitVariables, type VitShape } from '../../../../../src-worker/models/vit';
import { makeOptimizer, makeTrainStep } from '../../../../../src-worker/experiments/attention-train/train';
import { createRng } from '../../../../../src-worker/entropy/random';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function random(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.normal());
}

/** The product in doubles, straight from the definition: the oracle. */
function naive(product: SimdProduct, g: number, n: number, m: number, p: number, a: Float32Array, b: Float32Array): Float64Array {
  const out = new Float64Array(g * n * p);
  for (let q = 0; q < g; q++) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let k = 0; k < m; k++) {
          const x = product === 'aTb' ? a[q * m * n + k * n + i] : a[q * n * m + i * m + k];
          const y = product === 'abT' ? b[q * p * m + j * m + k] : b[q * m * p + k * p + j];
          s += x * y;
        }
        out[q * n * p + i * p + j] = s;
      }
    }
  }
  return out;
}

function expectClose(ours: ArrayLike<number>, ref: ArrayLike<number>, tol = 1e-5): void {
  expect(ours.length).toBe(ref.length);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(ours[i] - ref[i]) / (1 + Math.abs(ref[i])));
  expect(worst).toBeLessThan(tol);
}

/** Sizes around the kernel's 4-row × 8-column tile and its 4-wide and scalar tails, and the ViT's own. */
const SHAPES: Array<[number, number, number, number]> = [
  [1, 1, 1, 1],
  [2, 3, 5, 7],
  [3, 4, 16, 8],
  [2, 9, 16, 13],
  [4, 17, 16, 17],
  [3, 17, 17, 16],
  [2, 65, 16, 65],
  [2, 65, 65, 16],
  [1, 6, 33, 11],
];

describe.skipIf(!simdMatMulAvailable())('WebAssembly SIMD batched matmul', () => {
  it('every product equals the definition in doubles, on odd and tile-sized shapes', () => {
    let seed = 1;
    for (const [g, n, m, p] of SHAPES) {
      for (const product of ['ab', 'abT', 'aTb'] as const) {
        const a = random(g * n * m, seed++);
        const b = random(g * m * p, seed++);
        expectClose(simdMatMul(product, g, n, m, p, a, b), naive(product, g, n, m, p, a, b));
      }
    }
  });

  it('a small call after a large one (reused, grown memory) gives the same result as before it', () => {
    const a = random(2 * 3 * 5, 7);
    const b = random(2 * 5 * 4, 8);
    const first = simdMatMul('ab', 2, 3, 5, 4, a, b);
    simdMatMul('ab', 64, 65, 65, 65, random(64 * 65 * 65, 9), random(64 * 65 * 65, 10));
    expect(Array.from(simdMatMul('ab', 2, 3, 5, 4, a, b))).toEqual(Array.from(first));
  });

  it('rejects operands whose sizes do not match the shape', () => {
    expect(() => simdMatMul('ab', 2, 3, 4, 5, new Float32Array(24), new Float32Array(39))).toThrow(/do not match/);
    expect(() => groupMatMulSimd(tf.zeros([2, 3, 4]) as tf.Tensor3D, tf.zeros([2, 5, 6]) as tf.Tensor3D)).toThrow(/do not multiply/);
  });

  it('the tfjs op: values and both gradients equal tf.matMul and its autograd, with and without transposeB', () => {
    let seed = 100;
    for (const [g, n, m, p] of SHAPES) {
      for (const transposeB of [false, true]) {
        tf.tidy(() => {
          const a = tf.tensor3d(random(g * n * m, seed++), [g, n, m]);
          const b = tf.tensor3d(random(g * m * p, seed++), transposeB ? [g, p, m] : [g, m, p]);
          // A weighted sum, so that the incoming gradient differs at every element.
          const r = tf.tensor3d(random(g * n * p, seed++), [g, n, p]);
          const loss = (f: (x: tf.Tensor3D, y: tf.Tensor3D) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(f(x as tf.Tensor3D, y as tf.Tensor3D), r)) as tf.Scalar;
          const ours = (x: tf.Tensor3D, y: tf.Tensor3D) => groupMatMulSimd(x, y, transposeB);
          const ref = (x: tf.Tensor3D, y: tf.Tensor3D) => tf.matMul(x, y, false, transposeB);
          expectClose(ours(a, b).dataSync(), ref(a, b).dataSync());
          const go = tf.grads(loss(ours))([a, b]);
          const gr = tf.grads(loss(ref))([a, b]);
          expect(go.map((t) => t.shape)).toEqual([a.shape, b.shape]);
          go.forEach((t, i) => expectClose(t.dataSync(), gr[i].dataSync(), 2e-5));
        });
      }
    }
  });

  it("the default layout is 'simd' on wasm only", () => {
    expect(defaultAttentionImpl('wasm')).toBe('simd');
    expect(defaultAttentionImpl('cpu')).toBe('batched');
    expect(defaultAttentionImpl('tensorflow')).toBe('batched');
    expect(defaultAttentionImpl()).toBe('batched');
  });

  const SMALL: VitShape = { image: 8, channels: 3, patch: 2, dim: 16, heads: 2, layers: 2, mlp: 32, classes: 3 };

  it("the ViT with impl 'simd': same logits and parameter gradients as 'batched'", () => {
    const rng = createRng(3);
    const p = createVit(SMALL, () => rng.next(), 'simd-test');
    tf.tidy(() => {
      const x = tf.tensor3d(random(3 * 17 * 12, 4), [3, 17, 12]);
      const y = tf.tensor1d([0, 2, 1], 'int32');
      const loss = (impl: 'batched' | 'simd') => () => tf.losses.softmaxCrossEntropy(tf.oneHot(y, 3), vitForward(p, x, { impl }).logits) as tf.Scalar;
      expectClose(vitForward(p, x, { impl: 'simd' }).logits.dataSync(), vitForward(p, x, { impl: 'batched' }).logits.dataSync());
      const vars = vitVariables(p);
      const ours = tf.variableGrads(loss('simd'), vars).grads;
      const ref = tf.variableGrads(loss('batched'), vars).grads;
      for (const v of vars) expectClose(ours[v.name].dataSync(), ref[v.name].dataSync(), 1e-4);
    });
    disposeVit(p);
  });

  it("training steps with impl 'simd' leave tf.memory().numTensors unchanged", () => {
    const rng = createRng(11);
    const p = createVit(SMALL, () => rng.next(), 'simd-leak');
    const anchors = p.layers.map((_, l) => Array.from({ length: SMALL.heads }, (_, h) => tf.tidy(() => tf.variable(tf.randomNormal([4, 8], 0, 1, 'float32', 4 * l + h)))));
    const opt = makeOptimizer(p, anchors, 1e-3, 0.01);
    const step = makeTrainStep({ params: p, anchors, opt, impl: 'simd', method: 'entropy', lambda: 0.03, gradClip: 1 });
    const x = tf.tensor3d(random(4 * 17 * 12, 12), [4, 17, 12]);
    const y = tf.tensor1d([0, 1, 2, 0], 'int32');
    step(x, y, true, 5, 1e-3).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step(x, y, true, 5, 1e-3).dispose();
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
    tf.dispose([x, y, ...anchors.flat()]);
    disposeVit(p);
  });
});

function hasAssemblyScript(): boolean {
  return existsSync(fileURLToPath(new URL('../../../../../node_modules/assemblyscript/dist/asc.js', import.meta.url)));
}

describe('checked-in wasm module', () => {
  it.skipIf(!hasAssemblyScript())('simd-matmul.wasm.ts is what scripts/build-simd-wasm.mjs compiles from simd-matmul.as now (skipped without assemblyscript)', { timeout: 60_000 }, () => {
    const script = fileURLToPath(new URL('../../../../../scripts/build-simd-wasm.mjs', import.meta.url));
    const r = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('where the module replaces backend ops', () => {
  it('only on tfjs-wasm (in place in its heap); on cpu or tfjs-node the ops stay on the backend', () => {
    expect(simdInPlace('wasm')).toBe(simdMatMulAvailable());
    for (const b of ['cpu', 'tensorflow']) {
      expect(simdInPlace(b)).toBe(false);
      expect(defaultAttentionImpl(b)).toBe('batched');
      expect(defaultEntropyProducts(b)).toBe('tf');
    }
  });
});
