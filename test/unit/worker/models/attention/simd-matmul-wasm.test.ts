/**
 * The SIMD module on tfjs-wasm, where it reads its operands in place from the backend's heap and writes its
 * results into tensors the backend allocates (simd-matmul.ts): the matmul op, the entropy penalty's products,
 * layer norm and GELU (host-kernels.ts).
 */
import * as tf from '../../../../../src-worker/models/tf';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../../../src-worker/models/backend';
import { groupMatMulSimd, simdMatMulAvailable } from '../../../../../src-worker/models/attention/simd-matmul';
import { defaultEntropyProducts, hDiffPerGroup, hDiffPerSet, type EntropyProducts } from '../../../../../src-worker/models/attention/head-entropy';
import { gelu, layerNorm } from '../../../../../src-worker/models/host-kernels';
import { createRng } from '../../../../../src-worker/entropy/random';

let onWasm = false;

beforeAll(async () => {
  const info = await initBackend('wasm');
  onWasm = info.name === 'wasm';
});

function random(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.normal());
}

/** Largest |ours − ref| / (floor + |ref|) below tol. */
function expectClose(ours: ArrayLike<number>, ref: ArrayLike<number>, tol: number, floor = 1): void {
  expect(ours.length).toBe(ref.length);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(ours[i] - ref[i]) / (floor + Math.abs(ref[i])));
  expect(worst).toBeLessThan(tol);
}

describe.skipIf(!simdMatMulAvailable())('SIMD op on the wasm backend', () => {
  it('runs on wasm here', () => {
    expect(onWasm).toBe(true);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('values and both gradients equal tf.matMul, with and without transposeB; no tensor or heap byte left behind', () => {
    let seed = 1;
    const before = tf.memory();
    for (const [g, n, m, p] of [[1, 1, 1, 1], [2, 9, 16, 13], [3, 17, 17, 16], [2, 65, 16, 65]]) {
      for (const transposeB of [false, true]) {
        // A large tensor allocated in between (the heap may grow and move views) must not change the result.
        tf.tidy(() => {
          const a = tf.tensor3d(random(g * n * m, seed++), [g, n, m]);
          const b = tf.tensor3d(random(g * m * p, seed++), transposeB ? [g, p, m] : [g, m, p]);
          const r = tf.tensor3d(random(g * n * p, seed++), [g, n, p]);
          const loss = (f: (x: tf.Tensor3D, y: tf.Tensor3D) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor) => {
            tf.zeros([1 << 20]);
            return tf.sum(tf.mul(f(x as tf.Tensor3D, y as tf.Tensor3D), r)) as tf.Scalar;
          };
          const ours = (x: tf.Tensor3D, y: tf.Tensor3D) => groupMatMulSimd(x, y, transposeB);
          const ref = (x: tf.Tensor3D, y: tf.Tensor3D) => tf.matMul(x, y, false, transposeB);
          expectClose(ours(a, b).dataSync(), ref(a, b).dataSync(), 1e-5);
          const go = tf.grads(loss(ours))([a, b]);
          const gr = tf.grads(loss(ref))([a, b]);
          go.forEach((t, i) => expectClose(t.dataSync(), gr[i].dataSync(), 2e-5));
        });
      }
    }
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
  });

  it('the result outlives its operands (it is a tensor of its own, not a view of theirs)', () => {
    const a = tf.tensor3d(random(2 * 3 * 4, 50), [2, 3, 4]);
    const b = tf.tensor3d(random(2 * 4 * 5, 51), [2, 4, 5]);
    const ref = tf.matMul(a, b);
    const c = groupMatMulSimd(a, b);
    tf.dispose([a, b]);
    tf.zeros([1 << 16]).dispose();
    expectClose(c.dataSync(), ref.dataSync(), 1e-5);
    tf.dispose([c, ref]);
  });

  it("H_diff per set and per group: 'simd' (the default here) equals 'tf', values and gradients, leak-free", () => {
    expect(defaultEntropyProducts()).toBe('simd');
    const points = tf.randomNormal([16, 2 * 65, 16], 0, 1, 'float32', 3) as tf.Tensor3D;
    const anchors = tf.randomNormal([16, 8, 16], 0, 1, 'float32', 4) as tf.Tensor3D;
    const run = (products: EntropyProducts, perGroup: boolean) => {
      const f = (p: tf.Tensor, a: tf.Tensor) => tf.reshape(perGroup ? hDiffPerGroup(p as tf.Tensor3D, a as tf.Tensor3D, 5, 2, products) : hDiffPerSet(p as tf.Tensor3D, a as tf.Tensor3D, 5, products), [-1]);
      const before = tf.memory().numTensors;
      const out = tf.tidy(() => {
        const w = tf.linspace(-1, 2, perGroup ? 32 : 16);
        return [f(points, anchors), ...tf.grads((p: tf.Tensor, a: tf.Tensor) => tf.sum(tf.mul(f(p, a), w)))([points, anchors])].map((t) => t.dataSync() as Float32Array);
      });
      expect(tf.memory().numTensors).toBe(before);
      return out;
    };
    for (const perGroup of [false, true]) {
      const [simd, ref] = [run('simd', perGroup), run('tf', perGroup)];
      expectClose(simd[0], ref[0], 1e-4, 1e-3);
      expectClose(simd[1], ref[1], 1e-3, 1e-3);
      expectClose(simd[2], ref[2], 1e-3, 1e-3);
    }
    tf.dispose([points, anchors]);
  });
});

describe.skipIf(!simdMatMulAvailable())('layer norm and GELU on the SIMD module, wasm backend (heap in place)', () => {
  it('values and gradients equal the JS loops; no tensor or heap byte left behind', () => {
    const before = tf.memory();
    for (const [rows, d] of [[7, 5], [2080, 64], [33, 128]]) {
      tf.tidy(() => {
        const x = tf.add(tf.mul(tf.randomNormal([rows, d], 0, 1, 'float32', rows), 2), 0.3);
        const g = tf.randomNormal([d], 1, 0.3, 'float32', 2) as tf.Tensor1D;
        const b = tf.randomNormal([d], 0, 0.3, 'float32', 3) as tf.Tensor1D;
        const r = tf.randomNormal([rows, d], 0, 1, 'float32', 4);
        const ln = (simd: boolean) => tf.grads((xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => {
          tf.zeros([1 << 18]);
          return tf.sum(tf.mul(layerNorm(xx, gg as tf.Tensor1D, bb as tf.Tensor1D, simd), r)) as tf.Scalar;
        })([x, g, b]);
        expectClose(layerNorm(x, g, b, true).dataSync(), layerNorm(x, g, b, false).dataSync(), 2e-5);
        const [ours, ref] = [ln(true), ln(false)];
        ours.forEach((t, i) => expectClose(t.dataSync(), ref[i].dataSync(), 1e-4));
        const gl = (simd: boolean) => tf.grads((xx: tf.Tensor) => tf.sum(tf.mul(gelu(xx, simd), r)) as tf.Scalar)([x])[0];
        expectClose(gelu(x, true).dataSync(), gelu(x, false).dataSync(), 2e-5);
        expectClose(gl(true).dataSync(), gl(false).dataSync(), 2e-5);
      });
    }
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
  });
});

describe('Identity on wasm shares its input buffer (backend.ts)', () => {
  it('a clone takes no new buffer, keeps its values after the original is disposed, and is freed with the last of them', () => {
    const buffers = () => (tf.memory() as tf.MemoryInfo & { numDataBuffers: number }).numDataBuffers;
    const before = buffers();
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const y = tf.clone(x);
    expect(buffers()).toBe(before + 1);
    x.dispose();
    tf.zeros([1 << 16]).dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    y.dispose();
    expect(buffers()).toBe(before);
  });

  it('gradients through saved tensors are unchanged and leak nothing (a variable assigned between steps)', () => {
    const w = tf.variable(tf.tensor2d([[0.5, -1], [2, 0.25]]), true, 'identity-share/w');
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const before = tf.memory();
    const grad = () => tf.tidy(() => Array.from(tf.variableGrads(() => tf.sum(tf.square(tf.tanh(tf.matMul(x, w)))) as tf.Scalar, [w]).grads['identity-share/w'].dataSync()));
    const g1 = grad();
    // d/dW Σ tanh(xW)² = xᵀ·(2 tanh(xW)(1 − tanh²(xW))), computed in doubles.
    const xs = [[1, 2], [3, 4]];
    const ws = [[0.5, -1], [2, 0.25]];
    const ref: number[] = [0, 0, 0, 0];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) {
      const t = Math.tanh(xs[i][0] * ws[0][j] + xs[i][1] * ws[1][j]);
      for (let k = 0; k < 2; k++) ref[k * 2 + j] += xs[i][k] * 2 * t * (1 - t * t);
    }
    g1.forEach((v, i) => expect(v).toBeCloseTo(ref[i], 5));
    tf.tidy(() => w.assign(tf.tensor2d([[1, 0], [0, 1]])));
    const g2 = grad();
    expect(g2).not.toEqual(g1);
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    tf.dispose([w, x]);
  });
});
