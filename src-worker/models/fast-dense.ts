/**
 * A dense layer y = x·W + b whose backward pass is written with explicit transposes.
 *
 * Why: on the wasm backend the fast matmul (XNNPACK) is taken only for a plain 2-D matMul without transpose
 * flags; autograd's matMul gradient uses transposeA/transposeB and falls to the slow path (≈10× slower). So the
 * forward and both backward products here are flag-free matMuls of explicitly transposed operands:
 *   dx = dy · Wᵀ,   dW = xᵀ · dy,   db = Σ_rows dy
 * The bias is added by broadcasting (never tf.tile: its gradient launches a kernel per tiled row). With
 * WebAssembly SIMD on tfjs-wasm, db (and dW for small layers) run in our kernel module (see SIMD_DW_MAX).
 */
import * as tf from './tf';
import { simdInPlace, simdOnTensors } from './attention/simd-matmul';

type DenseFn = (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;

/**
 * With our SIMD module (where the engine has it) the backward's db is a column sum there, and dW = Xᵀ·dY too
 * while in·out ≤ SIMD_DW_MAX, both from one copy of dY. Measured on wasm (1 thread), per call: db of [2080, 64]
 * 0.13 ms by tf.sum (which transposes first), of [32768, 256] 142 ms; dW of [2080, 64]ᵀ·[2080, 64] 0.50 ms as
 * transpose + XNNPACK matMul against 0.37 ms on our kernel, equal at 64·128, and at [32768, 128]ᵀ·[32768, 256]
 * 169 against 248 ms, so larger products stay on XNNPACK.
 */
const SIMD_DW_MAX = 64 * 128;

function makeDense(simd: boolean): DenseFn {
  return tf.customGrad(((x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
    save([x, w]);
    const value = tf.add(tf.matMul(x, w), b) as tf.Tensor2D;
    return {
      value,
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
        const dx = tf.matMul(dy, tf.transpose(ws));
        if (!simd) return [dx, tf.matMul(tf.transpose(xs), dy), tf.sum(dy, 0)];
        const [n, inDim] = xs.shape;
        const outDim = dy.shape[1];
        if (inDim * outDim > SIMD_DW_MAX) {
          const [db] = simdOnTensors([dy], [[outDim]], (k, [dyp], [dbp]) => k.colSums(dyp, n, outDim, dbp));
          return [dx, tf.matMul(tf.transpose(xs), dy), db];
        }
        const [dw, db] = simdOnTensors([xs, dy], [[inDim, outDim], [outDim]], (k, [xp, dyp], [dwp, dbp]) => {
          k.matmul(2, 1, inDim, n, outDim, xp, dyp, dwp, 0);
          k.colSums(dyp, n, outDim, dbp);
        });
        return [dx, dw, db];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as DenseFn;
}

const denseTf = makeDense(false);
const denseSimd = makeDense(true);

/** x: [n, in], w: [in, out], b: [out] → [n, out]. Differentiable in all three. */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, simd = simdInPlace()): tf.Tensor2D {
  return (simd ? denseSimd : denseTf)(x, w, b);
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
