import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { currentBackend, initBackend } from '../../../../src-worker/models/backend';

describe('initBackend (src-worker/models/backend.ts)', () => {
  it('falls back past the absent native packages to wasm with SIMD, and caches the result', async () => {
    const info = await initBackend();
    expect(['tensorflow', 'wasm', 'cpu']).toContain(info.name);
    if (info.name === 'wasm') {
      expect(info.version).toBe(tf.version_core);
      expect(info.threads).toBeGreaterThanOrEqual(1);
      expect(typeof info.simd).toBe('boolean');
      expect(info.skipped.map((s) => s.name)).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
    }
    expect(await initBackend()).toBe(info);
    expect(currentBackend()).toBe(info);
    expect(tf.getBackend()).toBe(info.name);
  });

  it('forcing a backend that cannot load throws a clear error and keeps the current one', async () => {
    const before = await initBackend();
    if (before.name === 'tensorflow') return;
    await expect(initBackend('tensorflow')).rejects.toThrow(/Backend "tensorflow" was requested but cannot be loaded/);
    expect(tf.getBackend()).toBe(before.name);
  });

  it('switches to a forced backend that can load', async () => {
    const cpu = await initBackend('cpu');
    expect(cpu.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const wasm = await initBackend('wasm');
    expect(wasm.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('registers gradients (tfjs-core alone has none): matMul with and without transpose flags', async () => {
    await initBackend();
    const a = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const b = tf.tensor2d([[1, -1], [2, 0.5], [0, 3]]);
    const w = tf.tensor2d([[1, 2], [3, 4]]);
    for (const [ta, tb] of [[false, false], [true, true]] as const) {
      const f = (x: tf.Tensor, y: tf.Tensor): tf.Scalar =>
        tf.sum(tf.mul(tf.matMul(ta ? tf.transpose(x) : x, tb ? tf.transpose(y) : y, ta, tb), w)) as tf.Scalar;
      const [ga, gb] = tf.grads(f)([a, b]);
      // d/dA Σ (A·B ∘ W) = W·Bᵀ, d/dB = Aᵀ·W (the transposes inside f undo the flags).
      expect(Array.from(await ga.data())).toEqual(Array.from(await tf.matMul(w, b, false, true).data()));
      expect(Array.from(await gb.data())).toEqual(Array.from(await tf.matMul(a, w, true, false).data()));
    }
  });
});
