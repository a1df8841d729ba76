/**
 * Layer norm and GELU as single ops whose forward and backward run in one JS loop over host copies.
 *
 * Why: composed from tfjs ops, a layer norm is 9 kernel launches forward and about 25 in its autograd
 * backward (mean, sub, square, mean, add, rsqrt, mul, mul, add and their gradients), and the tanh-form GELU
 * 8 and about 20. For the tiny ViT's small tensors ([B·N, 64] rows) the launches, not the arithmetic, are
 * the cost on wasm: each op here is one read of its input and one tensor made from a JS array, and the
 * backward reuses what the forward computed (x̂ and 1/σ; tanh) instead of recomputing it. Every backend the
 * workers use keeps tensors in host memory (wasm, cpu, tfjs-node), so the reads are copies, not transfers.
 *
 *   layer norm over the last axis: x̂ = (x − μ)/√(σ² + ε), y = g·x̂ + b (ε = 1e-6, population variance)
 *     dg = Σ_rows dy·x̂,  db = Σ_rows dy,  dx = (1/√(σ² + ε))·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) with ĝ = dy·g
 *   GELU (tanh form): y = ½x(1 + t), t = tanh(c(x + 0.044715x³)), c = √(2/π)
 *     dy/dx = ½(1 + t) + ½x(1 − t²)·c(1 + 3·0.044715x²)
 * Sums run in doubles; values are stored as float32 like every tfjs kernel's.
 *
 * Where the engine runs WebAssembly SIMD, both ops run instead in our SIMD module (attention/simd-matmul.as:
 * the same formulas in float32, f32x4; the backward recomputes μ, 1/σ and tanh from the saved input rather
 * than keeping them), reading and writing tfjs-wasm's heap in place. Measured on wasm (1 thread): one layer
 * norm [2080, 64] forward and backward 3.9 → 1.8 ms, one GELU [2080, 128] 6.6 → 4.5 ms (with the test's
 * mul/sum around them); the tiny ViT's training step with the SIMD path took 0.75× the wall and 0.65× the
 * CPU time of the JS loops at 65 tokens and 4 blocks, 0.73× and 0.75× at 17 tokens and 2 blocks (processes
 * alternating between the two, load 1.2–3.5). `simd = false` keeps the JS loops.
 */
import * as tf from './tf';
import { simdMatMulAvailable, simdOnTensors } from './attention/simd-matmul';

const LN_EPS = 1e-6;
const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_A = 0.044715;

/**
 * tanh to float32 accuracy without a transcendental call inside [−7.9, 7.9]: the odd/even rational minimax
 * fit that Eigen uses for float tanh, a few ns per value where V8's Math.tanh or Math.exp take 20–40.
 * Tested against Math.tanh (test/unit/worker/models/host-kernels.test.ts).
 */
export function tanhRational(u: number): number {
  // Outside the fit (rare in a network's activations) Math.tanh: clamping there would leave 1 − t² ≈ 5e-7
  // instead of ≈ 0, a wrong GELU gradient of order x³·5e-7 at large |x|.
  if (u > 7.9 || u < -7.9) return Math.tanh(u);
  const x = u;
  if (x < 0.0004 && x > -0.0004) return x;
  const x2 = x * x;
  let p = -2.76076847742355e-16;
  p = p * x2 + 2.00018790482477e-13;
  p = p * x2 - 8.60467152213735e-11;
  p = p * x2 + 5.12229709037114e-8;
  p = p * x2 + 1.48572235717979e-5;
  p = p * x2 + 6.37261928875436e-4;
  p = p * x2 + 4.89352455891786e-3;
  let q = 1.19825839466702e-6;
  q = q * x2 + 1.18534705686654e-4;
  q = q * x2 + 2.268434632439e-3;
  q = q * x2 + 4.89352518554385e-3;
  return (x * p) / q;
}

type LayerNormFn = (x: tf.Tensor, g: tf.Tensor1D, b: tf.Tensor1D) => tf.Tensor;

const layerNormOp = tf.customGrad(((x: tf.Tensor, g: tf.Tensor1D, b: tf.Tensor1D) => {
  const d = x.shape[x.rank - 1];
  const xs = x.dataSync() as Float32Array;
  const gs = g.dataSync() as Float32Array;
  const bs = b.dataSync() as Float32Array;
  const rows = xs.length / d;
  const xhat = new Float32Array(xs.length);
  const rstd = new Float32Array(rows);
  const y = new Float32Array(xs.length);
  for (let r = 0, o = 0; r < rows; r++, o += d) {
    let sum = 0;
    for (let j = 0; j < d; j++) sum += xs[o + j];
    const mu = sum / d;
    let sq = 0;
    for (let j = 0; j < d; j++) {
      const c = xs[o + j] - mu;
      sq += c * c;
    }
    const s = 1 / Math.sqrt(sq / d + LN_EPS);
    rstd[r] = s;
    for (let j = 0; j < d; j++) {
      const h = (xs[o + j] - mu) * s;
      xhat[o + j] = h;
      y[o + j] = h * gs[j] + bs[j];
    }
  }
  return {
    value: tf.tensor(y, x.shape, 'float32'),
    gradFunc: (dy: tf.Tensor) => {
      const dys = dy.dataSync() as Float32Array;
      const dx = new Float32Array(dys.length);
      const dg = new Float64Array(d);
      const db = new Float64Array(d);
      for (let r = 0, o = 0; r < rows; r++, o += d) {
        let meanG = 0;
        let meanGX = 0;
        for (let j = 0; j < d; j++) {
          const gy = dys[o + j];
          const h = xhat[o + j];
          dg[j] += gy * h;
          db[j] += gy;
          const gh = gy * gs[j];
          meanG += gh;
          meanGX += gh * h;
        }
        meanG /= d;
        meanGX /= d;
        const s = rstd[r];
        for (let j = 0; j < d; j++) dx[o + j] = s * (dys[o + j] * gs[j] - meanG - xhat[o + j] * meanGX);
      }
      return [tf.tensor(dx, x.shape, 'float32'), tf.tensor1d(Float32Array.from(dg)), tf.tensor1d(Float32Array.from(db))];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as LayerNormFn;

const layerNormSimdOp = tf.customGrad(((x: tf.Tensor, g: tf.Tensor1D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
  const d = x.shape[x.rank - 1];
  const rows = x.size / d;
  save([x, g]);
  const [y] = simdOnTensors([x, g, b], [x.shape], (k, [xp, gp, bp], [yp]) => k.layerNormForward(xp, gp, bp, yp, rows, d, LN_EPS));
  return {
    value: y,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, gs] = saved;
      return simdOnTensors([xs, gs, dy], [x.shape, [d], [d]], (k, [xp, gp, dyp], [dxp, dgp, dbp]) => k.layerNormBackward(xp, gp, dyp, dxp, dgp, dbp, rows, d, LN_EPS));
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as LayerNormFn;

/** Layer norm over the last axis with gain g and bias b [D]; differentiable in all three. */
export function layerNorm(x: tf.Tensor, g: tf.Tensor1D, b: tf.Tensor1D, simd = simdMatMulAvailable()): tf.Tensor {
  return simd ? layerNormSimdOp(x, g, b) : layerNormOp(x, g, b);
}

const geluOp = tf.customGrad(((x: tf.Tensor) => {
  const xs = x.dataSync() as Float32Array;
  const t = new Float32Array(xs.length);
  const y = new Float32Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i];
    const th = tanhRational(GELU_C * (v + GELU_A * v * v * v));
    t[i] = th;
    y[i] = 0.5 * v * (1 + th);
  }
  return {
    value: tf.tensor(y, x.shape, 'float32'),
    gradFunc: (dy: tf.Tensor) => {
      const dys = dy.dataSync() as Float32Array;
      const dx = new Float32Array(dys.length);
      for (let i = 0; i < dx.length; i++) {
        const v = xs[i];
        const th = t[i];
        dx[i] = dys[i] * (0.5 * (1 + th) + 0.5 * v * (1 - th * th) * GELU_C * (1 + 3 * GELU_A * v * v));
      }
      return [tf.tensor(dx, x.shape, 'float32')];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor) => tf.Tensor;

const geluSimdOp = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x]);
  const [y] = simdOnTensors([x], [x.shape], (k, [xp], [yp]) => k.geluForward(xp, yp, x.size));
  return {
    value: y,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => simdOnTensors([saved[0], dy], [x.shape], (k, [xp, dyp], [dxp]) => k.geluBackward(xp, dyp, dxp, x.size)),
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor) => tf.Tensor;

/** GELU, tanh form (Hendrycks & Gimpel): ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
export function gelu(x: tf.Tensor, simd = simdMatMulAvailable()): tf.Tensor {
  return simd ? geluSimdOp(x) : geluOp(x);
}
