import * as tf from '../../../../src-worker/models/tf';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerCoreGradients } from '../../../../src-worker/models/gradients';
import { AdamW } from '../../../../src-worker/models/optim';

beforeAll(async () => {
  registerCoreGradients();
  await tf.setBackend('cpu');
});

describe('AdamW in host memory', () => {
  it('follows PyTorch\'s AdamW over three steps, decay only where asked, and its state round-trips', async () => {
    const w = tf.variable(tf.tensor1d([0.5, -1, 2]), true, 'fused-test/w');
    const b = tf.variable(tf.tensor1d([0.1, 0.2]), true, 'fused-test/b');
    const opt = new AdamW(new Map([['w', w], ['b', b]]), { lr: 0.1, weightDecay: 0.5 }, ['b']);
    const gw = [0.3, -0.2, 0.1];
    const gb = [1, -1];
    // Direct evaluation of the update rule in doubles.
    const ref = { w: [0.5, -1, 2], b: [0.1, 0.2], mw: [0, 0, 0], vw: [0, 0, 0], mb: [0, 0], vb: [0, 0] };
    for (let t = 1; t <= 3; t++) {
      opt.apply(new Map([['w', tf.tensor1d(gw)], ['b', tf.tensor1d(gb)]]));
      const upd = (theta: number[], m: number[], v: number[], g: number[], decay: number) =>
        theta.forEach((th, i) => {
          m[i] = 0.9 * m[i] + 0.1 * g[i];
          v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
          theta[i] = th * (1 - 0.1 * decay) - 0.1 * (m[i] / (1 - 0.9 ** t)) / (Math.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-8);
        });
      upd(ref.w, ref.mw, ref.vw, gw, 0.5);
      upd(ref.b, ref.mb, ref.vb, gb, 0);
    }
    Array.from(w.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(ref.w[i], 5));
    Array.from(b.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(ref.b[i], 5));
    const state = await opt.getState();
    expect(state.step).toBe(3);
    Array.from(state.m.get('w')!.data).forEach((x, i) => expect(x).toBeCloseTo(ref.mw[i], 6));
    const other = new AdamW(new Map([['w', w], ['b', b]]), { lr: 0.1 });
    other.setState(state);
    expect(Array.from((await other.getState()).v.get('b')!.data)).toEqual(Array.from(state.v.get('b')!.data));
    expect(() => other.setState({ ...state, m: new Map([['w', { shape: [2], data: new Float32Array(2) }]]) })).toThrow(/missing m for "b"|has 2 values/);
    opt.dispose();
    other.dispose();
    tf.dispose([w, b]);
  });

  it('applyClipped scales every gradient by min(1, maxNorm/(N + 1e-6)) before the update, and returns N', () => {
    for (const maxNorm of [0.5, 100]) {
      const mk = (tag: string) => [tf.variable(tf.tensor2d([0.5, -1, 2, 0.25], [2, 2]), true, `clip-${tag}-${maxNorm}/w`), tf.variable(tf.tensor1d([0.1, 0.2]), true, `clip-${tag}-${maxNorm}/b`)] as const;
      const [w1, b1] = mk('a');
      const [w2, b2] = mk('b');
      const a = new AdamW(new Map<string, tf.Variable>([['w', w1], ['b', b1]]), { lr: 0.05, weightDecay: 0.1 }, ['b']);
      const b = new AdamW(new Map<string, tf.Variable>([['w', w2], ['b', b2]]), { lr: 0.05, weightDecay: 0.1 }, ['b']);
      for (let t = 0; t < 3; t++) {
        const gw = [0.3 * (t + 1), -0.2, 0.1, 0.7];
        const gb = [1, -1 - t];
        // The global norm and the clip factor in doubles; the reference optimizer gets the clipped gradients.
        const n = Math.hypot(...gw, ...gb);
        const scale = Math.min(1, maxNorm / (n + 1e-6));
        const norm = a.applyClipped(new Map<string, tf.Tensor>([['w', tf.tensor2d(gw, [2, 2])], ['b', tf.tensor1d(gb)]]), maxNorm, 0.02);
        b.apply(new Map<string, tf.Tensor>([['w', tf.tensor2d(gw.map((g) => g * scale), [2, 2])], ['b', tf.tensor1d(gb.map((g) => g * scale))]]), 0.02);
        expect(norm).toBeCloseTo(n, 5);
        if (maxNorm < 1) expect(scale).toBeLessThan(1);
      }
      Array.from(w1.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(w2.dataSync()[i], 6));
      Array.from(b1.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(b2.dataSync()[i], 6));
      expect(() => a.applyClipped(new Map([['nope', tf.scalar(1)]]), 1)).toThrow(/unknown variable "nope"/);
      tf.dispose([w1, b1, w2, b2]);
    }
  });
});
