/**
 * A dense layer y = x·W + b whose backward pass is written with explicit transposes.
 *
 * Why: on the wasm backend the fast matmul (XNNPACK) is taken only for a plain 2-D matMul without transpose
 * flags; autograd's matMul gradient uses transposeA/transposeB and falls to the slow path (≈10× slower). So the
 * forward and both backward products here are flag-free matMuls of explicitly transposed operands:
 *   dx = dy · Wᵀ,   dW = xᵀ · dy,   db = Σ_rows dy
 * The bias is added by broadcasting (never tf.tile: its gradient launches a kernel per tiled row).
 */
import * as tf from './tf';

type DenseFn = (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;

const denseGrad = tf.customGrad(((x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
  save([x, w]);
  const value = tf.add(tf.matMul(x, w), b) as tf.Tensor2D;
  return {
    value,
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy, tf.transpose(ws)), tf.matMul(tf.transpose(xs), dy), tf.sum(dy, 0)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as DenseFn;

/** x: [n, in], w: [in, out], b: [out] → [n, out]. Differentiable in all three. */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  return denseGrad(x, w, b);
}

/** The same product for inputs with leading batch dimensions: [..., in] → [..., out] (reshaped to 2-D). */
export function denseNd(x: tf.Tensor, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor {
  const shape = x.shape;
  const inDim = shape[shape.length - 1];
  const y = dense(tf.reshape(x, [-1, inDim]) as tf.Tensor2D, w, b);
  return tf.reshape(y, [...shape.slice(0, -1), w.shape[1]]);
}

/** Glorot-uniform weights and zero bias, from a seeded generator (tfjs' own initialisers are unseeded per call). */
export function initDense(inDim: number, outDim: number, random: () => number, name: string): { w: tf.Variable<tf.Rank.R2>; b: tf.Variable<tf.Rank.R1> } {
  const limit = Math.sqrt(6 / (inDim + outDim));
  const values = new Float32Array(inDim * outDim);
  for (let i = 0; i < values.length; i++) values[i] = (2 * random() - 1) * limit;
  // Inside tidy: tf.variable would otherwise keep its initial tensor alive (variables survive tidy).
  return {
    w: tf.tidy(() => tf.variable(tf.tensor2d(values, [inDim, outDim]), true, `${name}/w`)),
    b: tf.tidy(() => tf.variable(tf.zeros([outDim]) as tf.Tensor1D, true, `${name}/b`)),
  };
}
