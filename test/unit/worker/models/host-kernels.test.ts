import * as tf from '../../../../src-worker/models/tf';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerCoreGradients } from '../../../../src-worker/models/gradients';
import { gelu as geluOf, layerNorm as layerNormOf, tanhRational } from '../../../../src-worker/models/host-kernels';
import { simdMatMulAvailable } from '../../../../src-worker/models/attention/simd-matmul';

beforeAll(async () => {
  registerCoreGradients();
  await tf.setBackend('cpu');
});

function close(a: tf.Tensor, b: tf.Tensor, tol = 2e-5): void {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  for (let i = 0; i < x.length; i++) expect(Math.abs(x[i] - y[i])).toBeLessThan(tol * (1 + Math.abs(y[i])));
}

/** The formulas as composed tfjs ops, differentiated by autograd: the oracle. */
function layerNormComposed(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const mu = tf.mean(x, -1, true);
  const xc = tf.sub(x, mu);
  return tf.add(tf.mul(tf.mul(xc, tf.rsqrt(tf.add(tf.mean(tf.square(xc), -1, true), 1e-6))), g), b);
}
function geluComposed(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

// Both implementations: the JS loops and (where the engine runs WebAssembly SIMD) the SIMD module.
describe.each(simdMatMulAvailable() ? [false, true] : [false])('host kernels (layer norm, GELU), simd %s', (simd) => {
  const layerNorm = (x: tf.Tensor, g: tf.Tensor1D, b: tf.Tensor1D) => layerNormOf(x, g, b, simd);
  const gelu = (x: tf.Tensor) => geluOf(x, simd);

  it('layer norm: values and the gradients of x, g and b equal autograd of the composed formula, rank 2 and 3', () => {
    for (const shape of [[9, 16], [3, 5, 64]]) {
      const d = shape[shape.length - 1];
      const x = tf.add(tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 1), 3), 0.7);
      const g = tf.randomNormal([d], 1, 0.3, 'float32', 2) as tf.Tensor1D;
      const b = tf.randomNormal([d], 0, 0.3, 'float32', 3) as tf.Tensor1D;
      // A weighted sum, so that dy differs at every element.
      const r = tf.randomNormal(shape, 0, 1, 'float32', 4);
      const loss = (f: (x: tf.Tensor, g: tf.Tensor1D, b: tf.Tensor1D) => tf.Tensor) => (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) =>
        tf.sum(tf.mul(f(xx, gg as tf.Tensor1D, bb as tf.Tensor1D), r)) as tf.Scalar;
      close(layerNorm(x, g, b), layerNormComposed(x, g, b));
      const ours = tf.grads(loss(layerNorm))([x, g, b]);
      const ref = tf.grads(loss(layerNormComposed))([x, g, b]);
      ours.forEach((t, i) => close(t, ref[i], 1e-4));
    }
  });

  it('layer norm of a constant row is b (no NaN), and its gradient is finite', () => {
    const x = tf.fill([2, 8], 5);
    const g = tf.ones([8]) as tf.Tensor1D;
    const b = tf.linspace(-1, 1, 8) as tf.Tensor1D;
    close(layerNorm(x, g, b), tf.stack([b, b]));
    const [dx] = tf.grads((xx: tf.Tensor) => tf.sum(tf.square(layerNorm(xx, g, b))) as tf.Scalar)([x]);
    expect(Array.from(dx.dataSync()).every(Number.isFinite)).toBe(true);
  });

  it('GELU: values and gradient equal autograd of the tanh formula, including large |x|', () => {
    const x = tf.concat([tf.randomNormal([200], 0, 2, 'float32', 5), tf.tensor1d([-30, -6, 0, 6, 30])]);
    const r = tf.randomNormal([205], 0, 1, 'float32', 6);
    close(gelu(x), geluComposed(x));
    const [ours] = tf.grads((xx: tf.Tensor) => tf.sum(tf.mul(gelu(xx), r)) as tf.Scalar)([x]);
    const [ref] = tf.grads((xx: tf.Tensor) => tf.sum(tf.mul(geluComposed(xx), r)) as tf.Scalar)([x]);
    close(ours, ref, 1e-4);
  });

  it('tanhRational is within 3e-7 of Math.tanh from −60 to 60, odd, and saturates to ±1', () => {
    let worst = 0;
    let odd = true;
    for (let i = -600_000; i <= 600_000; i++) {
      const u = i * 1e-4;
      worst = Math.max(worst, Math.abs(tanhRational(u) - Math.tanh(u)));
      odd &&= tanhRational(-u) === -tanhRational(u);
    }
    expect(worst).toBeLessThan(3e-7);
    expect(odd).toBe(true);
    expect(tanhRational(1e6)).toBe(1);
    expect(tanhRational(-1e6)).toBe(-1);
    expect(tanhRational(1e-5)).toBe(1e-5);
  });

  it('leaves no tensor behind in a gradient step', () => {
    const x = tf.randomNormal([4, 6, 32], 0, 1, 'float32', 7);
    const g = tf.variable(tf.ones([32]) as tf.Tensor1D, true, 'hk-leak/g');
    const b = tf.variable(tf.zeros([32]) as tf.Tensor1D, true, 'hk-leak/b');
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(gelu(layerNorm(x, g, b))) as tf.Scalar, [g, b]);
        return [value, ...Object.values(grads)];
      }).forEach((t) => t.dispose());
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, g, b]);
  });
});
