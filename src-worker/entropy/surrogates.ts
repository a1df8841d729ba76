/**
 * Differentiable range-partition entropy surrogates (paper Sec. 3, Eqs. 2–6; App. E.5, H.1, H.4) and their
 * direct Float64 evaluations.
 *
 * Every entropy here is in nats (natural log) and normalised per point: H = −Σ_j p_j log p_j with p a
 * distribution over cells. (Eq. 1's H_R carries an extra factor n; the surrogates of Eqs. 3 and 6 do not.)
 *
 * Two implementations of each formula:
 * - tfjs (`hDiff`, `hSoft`, `hRect`): float32, differentiable in the points and in every anchor / plane /
 *   cut parameter; shaped for the wasm backend's fast paths (flag-free matmuls, no tile/broadcastTo).
 * - plain JS (`hDiffDirect`, `hSoftDirect`, `hRectDirect`, in src-worker/shared/surrogates-direct.ts and
 *   re-exported here): Float64, a straight evaluation of the equations, used as the tests' oracle and for
 *   exact reporting (CLI). Points are flat `[x0, y0, x1, y1, …]`.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { RectParams64 } from '../shared/surrogates-direct';
import type { Rng } from './random';
import { sampleIndices } from './random';

/** Floor inside log(p) so that a mass that underflowed to 0 contributes 0·log(floor) = 0 (0·log 0 = 0). */
const LOG_FLOOR = 1e-30;

// ------------------------------------------------------------------------------------------------------
// Shared tfjs pieces
// ------------------------------------------------------------------------------------------------------

/** Entropy in nats of a [1, K] row of masses; 0·log 0 = 0 with finite gradients. */
export function entropyOfMassesNats(masses: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.sum(tf.mul(masses, tf.log(tf.maximum(masses, LOG_FLOOR))))) as tf.Scalar);
}

/**
 * Column means of a non-negative [n, K] matrix as a [1, K] row. A flag-free matmul with a row of 1/n instead
 * of `mean(·, 0)`: a reduction over a non-last axis makes the wasm backend transpose the whole matrix first.
 */
function columnMeans(rows: tf.Tensor2D): tf.Tensor2D {
  const n = rows.shape[0];
  return tf.matMul(tf.fill([1, n], 1 / n) as tf.Tensor2D, rows);
}

/**
 * y = x·a + b for x [n, d], a [d, c], b [1, c], with a hand-written backward made of flag-free matmuls
 * (dx = dy·aᵀ, da = xᵀ·dy, db = 1ᵀ·dy). On wasm this avoids both the slow transposed-matmul path and the
 * per-row Concat/Slice kernels that an [x, 1]·[a; b] formulation costs in both directions.
 */
const affineRows = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, a, b] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  (args[3] as tf.GradSaveFunc)([x, a]);
  const value = tf.add(tf.matMul(x, a), b);
  const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
    const [xs, as] = saved as [tf.Tensor2D, tf.Tensor2D];
    const g = dy as tf.Tensor2D;
    return [tf.matMul(g, tf.transpose(as)), tf.matMul(tf.transpose(xs), g), tf.matMul(tf.ones([1, xs.shape[0]]) as tf.Tensor2D, g)];
  };
  return { value, gradFunc };
}) as (x: tf.Tensor2D, a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/**
 * Elementwise log σ(u) = −softplus(−u), gradient σ(−u). (tfjs's `logSigmoid` captures its input in a closure
 * instead of saving it, which breaks backprop once that input, made inside an inner `tidy`, is disposed.)
 */
export const logSigmoidSaved = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const u = args[0] as tf.Tensor;
  (args[1] as tf.GradSaveFunc)([u]);
  const value = tf.neg(tf.softplus(tf.neg(u)));
  const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor => tf.mul(dy, tf.sigmoid(tf.neg(saved[0])));
  return { value, gradFunc };
}) as (u: tf.Tensor2D) => tf.Tensor2D;

/**
 * [log σ(u), log σ(−u)] for u = x·a + b, as an [n, 2c] matrix: the log soft indicators of Eq. 4 and of their
 * complements, in log space so that products over planes (Eq. 5) are sums that never underflow. The pair is
 * made by doubling the small parameter matrices ([a, −a], [b, −b]) rather than concatenating [n, c] tensors.
 */
function logIndicatorPairs(x: tf.Tensor2D, a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  const a2 = tf.concat([a, tf.neg(a)], 1) as tf.Tensor2D;
  const b2 = tf.concat([b, tf.neg(b)], 1) as tf.Tensor2D;
  return logSigmoidSaved(affineRows(x, a2, b2));
}

/** Float32 copy of flat points as an [n, d] tensor. */
export function pointsTensor(points: Float64Array | Float32Array, d = 2): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(points), [points.length / d, d]);
}

// ------------------------------------------------------------------------------------------------------
// H_diff — Eqs. 2–3 (anchors, ball-shaped ranges)
// ------------------------------------------------------------------------------------------------------

/**
 * Soft anchor masses p_j of Eq. 2 as a [1, k] row.
 *
 * p_ij = softmax_j(−α‖x_i − c_j‖²). Expanding ‖x_i − c_j‖² = ‖x_i‖² − 2x_i·c_j + ‖c_j‖², the ‖x_i‖² term is
 * constant along j and cancels in the softmax, so the logits are α(2x_i·c_j − ‖c_j‖²): exactly Eq. 2, one
 * [n, d]×[d, k] matmul plus a bias row. Points and anchors are first centred on the anchors' mean (H is
 * invariant under a common translation, so this changes nothing but float32 cancellation when coordinates
 * are large). Log-sum-exp stability comes from the Softmax kernel, which subtracts each row's maximum
 * before exponentiating (tested with logits of order 10⁸); `exp(logSoftmax(·))` computes the same values
 * with two more passes over [n, k] and measured ≈1.7× slower forward + backward on wasm.
 */
export function anchorMasses(points: tf.Tensor2D, anchors: tf.Tensor2D, alpha: number): tf.Tensor2D {
  return tf.tidy(() => {
    const centre = tf.mean(anchors, 0, true);
    const x = tf.sub(points, centre) as tf.Tensor2D;
    const c = tf.sub(anchors, centre) as tf.Tensor2D;
    const k = anchors.shape[0];
    const weights = tf.transpose(tf.mul(c, 2 * alpha)) as tf.Tensor2D;
    const bias = tf.reshape(tf.mul(tf.sum(tf.square(c), 1), -alpha), [1, k]) as tf.Tensor2D;
    return columnMeans(tf.softmax(affineRows(x, weights, bias)) as tf.Tensor2D);
  });
}

/**
 * H_diff(S) = −Σ_j p_j log p_j (Eq. 3) with p_j the soft anchor masses of Eq. 2; nats.
 * points [n, d], anchors [k, d], α > 0 the assignment sharpness.
 */
export function hDiff(points: tf.Tensor2D, anchors: tf.Tensor2D, alpha: number): tf.Scalar {
  return tf.tidy(() => entropyOfMassesNats(anchorMasses(points, anchors, alpha)));
}

/**
 * "H_diff-lite" (App. A / G.4): Eq. 3 evaluated on m points drawn without replacement (seeded), for large n.
 * An estimate of H_diff whose gradient reaches only the sampled points.
 */
export function hDiffLite(points: tf.Tensor2D, anchors: tf.Tensor2D, alpha: number, m: number, rng: Rng): tf.Scalar {
  const n = points.shape[0];
  if (m >= n) return hDiff(points, anchors, alpha);
  const idx = sampleIndices(n, m, rng);
  return tf.tidy(() => hDiff(tf.gather(points, tf.tensor1d(Int32Array.from(idx), 'int32')) as tf.Tensor2D, anchors, alpha));
}

// ------------------------------------------------------------------------------------------------------
// H_soft — Eqs. 4–6 (halfspaces)
// ------------------------------------------------------------------------------------------------------

const patternCache = new Map<number, Float32Array>();

/**
 * The [2m, 2^m] sign-pattern matrix: column j is cell j, whose pattern bit t is s_jt = (j >> t) & 1.
 * Row t holds s_jt (selects log h_t), row m + t holds 1 − s_jt (selects log(1 − h_t)).
 */
export function signPatternMatrix(m: number): Float32Array {
  let cached = patternCache.get(m);
  if (cached) return cached;
  const cells = 1 << m;
  cached = new Float32Array(2 * m * cells);
  for (let t = 0; t < m; t++) {
    for (let j = 0; j < cells; j++) {
      const s = (j >> t) & 1;
      cached[t * cells + j] = s;
      cached[(m + t) * cells + j] = 1 - s;
    }
  }
  patternCache.set(m, cached);
  return cached;
}

/**
 * Soft cell masses q_j of Eqs. 4–6 as a [1, 2^m] row; cell j has sign pattern s_jt = bit t of j.
 *
 * h_t(x) = σ((w_tᵀx − b_t)/τ) (Eq. 4). The cells are all 2^m sign patterns, and
 *   log g_j(x) = Σ_t s_jt·log σ(u_t) + (1 − s_jt)·log σ(−u_t),   u_t = (w_tᵀx − b_t)/τ,
 * i.e. the [n, 2m] log-indicators times the [2m, 2^m] pattern matrix; q_j = mean_i g_j(x_i).
 *
 * Why Eq. 5's normaliser is 1 over the full pattern set: by the distributive law
 *   Σ_{s ∈ {0,1}^m} Π_t h_t^{s_t} (1 − h_t)^{1−s_t} = Π_t (h_t + (1 − h_t)) = 1,
 * since expanding the product of the m binomials picks, for each t, either h_t or 1 − h_t — every sign
 * pattern exactly once. So g_j is the plain product, and the masses of each point sum to 1 exactly. (The
 * paper's K ≤ Σ_{i≤d} C(m, i) counts the non-empty cells of the hard arrangement; with all 2^m patterns the
 * geometrically empty ones simply receive only sigmoid-tail mass.)
 */
export function softCellMasses(points: tf.Tensor2D, planesW: tf.Tensor2D, planesB: tf.Tensor1D, tau: number): tf.Tensor2D {
  const m = planesW.shape[0];
  if (m > 16) throw new RangeError(`softCellMasses: m = ${m} planes means 2^${m} cells; at most 16 supported`);
  return tf.tidy(() => {
    const a = tf.div(tf.transpose(planesW), tau) as tf.Tensor2D;
    const b = tf.reshape(tf.div(planesB, -tau), [1, m]) as tf.Tensor2D;
    const patterns = tf.tensor2d(signPatternMatrix(m), [2 * m, 1 << m]);
    const logG = tf.matMul(logIndicatorPairs(points, a, b), patterns);
    return columnMeans(tf.exp(logG) as tf.Tensor2D);
  });
}

/**
 * H_soft(S) = −Σ_j q_j log q_j (Eq. 6) over the soft cells of Eqs. 4–5; nats.
 * points [n, d], planesW [m, d], planesB [m], τ > 0 the range temperature.
 */
export function hSoft(points: tf.Tensor2D, planesW: tf.Tensor2D, planesB: tf.Tensor1D, tau: number): tf.Scalar {
  return tf.tidy(() => entropyOfMassesNats(softCellMasses(points, planesW, planesB, tau)));
}

// ------------------------------------------------------------------------------------------------------
// Axis-aligned rectangles — Table 15 / App. H.4
// ------------------------------------------------------------------------------------------------------

/**
 * Parameters of the rectangle family: per axis a, r sorted cuts θ_{a,0} < … < θ_{a,r−1}, parameterised so
 * that they stay sorted under any gradient step: θ_{a,0} = start[a], θ_{a,l} = θ_{a,l−1} + softplus(gaps[a, l−1]).
 * tfjs: start [d, 1], gaps [d, r − 1] (absent when r = 1).
 */
export interface RectParams {
  start: tf.Tensor2D;
  gaps: tf.Tensor2D | null;
}

/** Upload Float64 rectangle parameters as tfjs tensors (callers own and dispose them). */
export function rectParamsTensors(params: RectParams64): RectParams {
  const { d, r } = params;
  return {
    start: tf.tensor2d(Float32Array.from(params.start), [d, 1]),
    gaps: r > 1 ? tf.tensor2d(Float32Array.from(params.gaps), [d, r - 1]) : null,
  };
}

const rectPatternCache = new Map<string, { patterns: Float32Array; corrSelect: Float32Array }>();

/**
 * Cell c of the (r+1)^d grid has interval index l_a = ⌊c / (r+1)^a⌋ mod (r+1) on axis a.
 * patterns [2dr, (r+1)^d]: row a·r + l selects log σ(z_{a,l}) (cut l is the cell's lower boundary,
 * l = l_a − 1); row dr + a·r + l selects log σ(−z_{a,l}) (cut l is the upper boundary, l = l_a).
 * corrSelect [d(r−1), (r+1)^d]: row a(r−1) + l − 1 selects the interior-interval constant of interval l.
 */
export function rectPatterns(d: number, r: number): { patterns: Float32Array; corrSelect: Float32Array } {
  const key = `${d}:${r}`;
  const hit = rectPatternCache.get(key);
  if (hit) return hit;
  const cells = (r + 1) ** d;
  const patterns = new Float32Array(2 * d * r * cells);
  const corrSelect = new Float32Array(Math.max(0, d * (r - 1)) * cells);
  for (let c = 0; c < cells; c++) {
    let rest = c;
    for (let a = 0; a < d; a++) {
      const l = rest % (r + 1);
      rest = Math.floor(rest / (r + 1));
      if (l >= 1) patterns[(a * r + l - 1) * cells + c] = 1;
      if (l <= r - 1) patterns[(d * r + a * r + l) * cells + c] = 1;
      if (l >= 1 && l <= r - 1) corrSelect[(a * (r - 1) + l - 1) * cells + c] = 1;
    }
  }
  const out = { patterns, corrSelect };
  rectPatternCache.set(key, out);
  return out;
}

/**
 * Soft cell masses of the axis-aligned-rectangle family as a [1, (r+1)^d] row.
 *
 * Construction (our choice; App. H.4 only says "replace the linear score by a signed distance to the range
 * boundary"): a soft grid. On axis a, r sorted cuts θ_{a,0..r−1} split the line into r + 1 intervals with
 * soft memberships (z_l = (x_a − θ_{a,l})/τ)
 *   μ_0 = σ(−z_0),   μ_l = σ(z_{l−1}) − σ(z_l) (0 < l < r),   μ_r = σ(z_{r−1}),
 * which are positive (cuts sorted, σ increasing) and telescope to 1. A cell is a product of one interval per
 * axis — an axis-aligned rectangle — with g_cell(x) = Π_a μ_{a,l_a}(x_a); the cell masses sum to 1 exactly.
 * In log space, with σ(a) − σ(b) = σ(a)·σ(−b)·(1 − e^{−(a−b)}) and a − b = (θ_{a,l} − θ_{a,l−1})/τ:
 *   log μ_l = log σ(z_{l−1}) + log σ(−z_l) + log(1 − e^{−Δ_{a,l}/τ}),   Δ_{a,l} = θ_{a,l} − θ_{a,l−1},
 * whose last term does not depend on x. So, as for H_soft, log g = [log σ(z), log σ(−z)]·patterns + const.
 * Hard limit (τ → 0): the d·r axis-parallel lines partition space into the (r+1)^d grid rectangles.
 */
export function rectCellMasses(points: tf.Tensor2D, rect: RectParams, tau: number): tf.Tensor2D {
  const d = points.shape[1];
  const r = rect.gaps ? rect.gaps.shape[1] + 1 : 1;
  if ((r + 1) ** d > 4096) throw new RangeError(`rectCellMasses: (r+1)^d = ${(r + 1) ** d} cells is too many`);
  return tf.tidy(() => {
    const cells = (r + 1) ** d;
    const { patterns, corrSelect } = rectPatterns(d, r);
    const gapsPos = rect.gaps ? tf.softplus(rect.gaps) : null;
    const cuts = gapsPos ? (tf.cumsum(tf.concat([rect.start, gapsPos], 1), 1) as tf.Tensor2D) : rect.start;
    // Column a·r + l of x·select + bias is (x_a − θ_{a,l}) / τ.
    const axisSelect = new Float32Array(d * d * r);
    for (let a = 0; a < d; a++) for (let l = 0; l < r; l++) axisSelect[a * d * r + a * r + l] = 1 / tau;
    const bias = tf.div(tf.reshape(cuts, [1, d * r]), -tau) as tf.Tensor2D;
    const logIndicators = logIndicatorPairs(points, tf.tensor2d(axisSelect, [d, d * r]), bias);
    let logG: tf.Tensor2D = tf.matMul(logIndicators, tf.tensor2d(patterns, [2 * d * r, cells]));
    if (gapsPos) {
      const corr = tf.log(tf.maximum(tf.neg(tf.expm1(tf.div(tf.neg(gapsPos), tau))), LOG_FLOOR));
      const corrRow = tf.matMul(tf.reshape(corr, [1, d * (r - 1)]), tf.tensor2d(corrSelect, [d * (r - 1), cells]));
      logG = tf.add(logG, corrRow);
    }
    return columnMeans(tf.exp(logG) as tf.Tensor2D);
  });
}

/** Entropy (nats) of the soft axis-aligned-rectangle cells (see `rectCellMasses`). */
export function hRect(points: tf.Tensor2D, rect: RectParams, tau: number): tf.Scalar {
  return tf.tidy(() => entropyOfMassesNats(rectCellMasses(points, rect, tau)));
}

export {
  anchorMassesDirect,
  entropyNats,
  hDiffDirect,
  hRectDirect,
  hSoftDirect,
  logSigmoid64,
  rectCellMassesDirect,
  rectCuts64,
  rectParamsFromCuts,
  softCellMassesDirect,
  type RectParams64,
} from '../shared/surrogates-direct';
