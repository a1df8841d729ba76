/**
 * EntropyNet's objective (paper Alg. 1 lines 6–16): L = L_task(S, S′) + λ·H(S′), H = H_diff (Eqs. 2–3,
 * default), H_soft (Eqs. 4–6) or the axis-aligned-rectangle surrogate (App. H.4) from the entropy lab, averaged over the point sets of a batch; the anchors or
 * planes are arguments, so they train jointly with the network when they are variables.
 *
 * Task losses:
 * - `chamferDistance` (DEFAULT): symmetric Chamfer distance S ↔ S′. It is what the paper trains with (App. F.5
 *   answers "concerns that Chamfer distance may not preserve important geometric properties", and Table 8
 *   reports it), so the paper's settings use it. It compares sets, not points: a point may slide anywhere
 *   inside the cloud at almost no cost, which is exactly the freedom the entropy term needs, but nothing in it
 *   protects the hull.
 * - `hullPreservingLoss` (ours): weighted squared displacement with hull vertices of S weighted more, plus a
 *   penalty on points leaving conv(S). It targets the hull-error metric directly; use it when hull error
 *   matters more than faithfulness to the paper.
 */
import * as tf from './tf';
import { logSigmoidSaved, rectPatterns, signPatternMatrix } from '../entropy/surrogates';

type ChamferFn = (a: tf.Tensor3D, b: tf.Tensor3D) => tf.Scalar;

/**
 * For each point of each set of x [B, n, d], the flat row index (into [B·m, d]) of its nearest neighbour in the
 * same set of y [B, m, d]. With rows (x, 1, ‖x‖²) and columns (−2y, ‖y‖², 1), one flag-free [n, d+2]×[d+2, m]
 * matmul per set gives ‖x_i‖² − 2x_i·y_j + ‖y_j‖² = ‖x_i − y_j‖², and argMin picks the neighbour. (A batched
 * matmul leaves wasm's fast path; per set it is four kernels.)
 */
function nearestIndices(x: tf.Tensor3D, y: tf.Tensor3D): tf.Tensor1D {
  return tf.tidy(() => {
    const [batch, n, d] = x.shape;
    const m = y.shape[1];
    const rows = tf.concat([x, tf.ones([batch, n, 1]), tf.sum(tf.square(x), 2, true)], 2);
    const cols = tf.transpose(tf.concat([tf.mul(y, -2), tf.sum(tf.square(y), 2, true), tf.ones([batch, m, 1])], 2), [0, 2, 1]);
    const parts: tf.Tensor[] = [];
    for (let s = 0; s < batch; s++) {
      const xs = tf.reshape(tf.slice(rows, [s, 0, 0], [1, n, d + 2]), [n, d + 2]) as tf.Tensor2D;
      const ys = tf.reshape(tf.slice(cols, [s, 0, 0], [1, d + 2, m]), [d + 2, m]) as tf.Tensor2D;
      parts.push(tf.argMin(tf.matMul(xs, ys), 1));
    }
    const offsets = new Int32Array(batch * n);
    for (let s = 0; s < batch; s++) offsets.fill(s * m, s * n, (s + 1) * n);
    return tf.add(tf.concat(parts), tf.tensor1d(offsets, 'int32')) as tf.Tensor1D;
  });
}

/** Σ of `updates` rows into `rows` rows at `indices` (duplicates accumulate). */
function scatterAdd(indices: tf.Tensor1D, updates: tf.Tensor2D, rows: number): tf.Tensor2D {
  return tf.scatterND(tf.reshape(indices, [-1, 1]), updates, [rows, updates.shape[1]]) as tf.Tensor2D;
}

const chamferGrad = tf.customGrad(((a: tf.Tensor3D, b: tf.Tensor3D, save: tf.GradSaveFunc) => {
  const [batch, n, d] = a.shape;
  const m = b.shape[1];
  const aFlat = tf.reshape(a, [batch * n, d]) as tf.Tensor2D;
  const bFlat = tf.reshape(b, [batch * m, d]) as tf.Tensor2D;
  const nnAB = nearestIndices(a, b);
  const nnBA = nearestIndices(b, a);
  const diffA = tf.sub(aFlat, tf.gather(bFlat, nnAB)) as tf.Tensor2D;
  const diffB = tf.sub(bFlat, tf.gather(aFlat, nnBA)) as tf.Tensor2D;
  const value = tf.add(tf.div(tf.sum(tf.square(diffA)), batch * n), tf.div(tf.sum(tf.square(diffB)), batch * m)) as tf.Scalar;
  save([diffA, diffB, nnAB, nnBA]);
  return {
    value,
    gradFunc: (dy: tf.Scalar, saved: tf.Tensor[]) => {
      const [dA, dB, iAB, iBA] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
      // value = (1/Bn)Σ_i‖a_i − b_nn(i)‖² + (1/Bm)Σ_j‖b_j − a_nn(j)‖²; each pair pulls its two ends apart/together.
      const ca = tf.mul(dy, 2 / (batch * n));
      const cb = tf.mul(dy, 2 / (batch * m));
      const gradA = tf.sub(tf.mul(dA, ca), scatterAdd(iBA, tf.mul(dB, cb) as tf.Tensor2D, batch * n));
      const gradB = tf.sub(tf.mul(dB, cb), scatterAdd(iAB, tf.mul(dA, ca) as tf.Tensor2D, batch * m));
      return [tf.reshape(gradA, a.shape), tf.reshape(gradB, b.shape)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as ChamferFn;

/**
 * Symmetric Chamfer distance, averaged over the sets of a batch:
 *   CD(A, B) = (1/n)Σ_i min_j ‖a_i − b_j‖² + (1/m)Σ_j min_i ‖b_j − a_i‖²,   a [B, n, d], b [B, m, d].
 * Nearest neighbours come from one flag-free [n, d+2]×[d+2, m] matmul per set and an argMin; the gradient is
 * written out (the gradient of the min formulation wherever the nearest neighbour is unique), so no [n, m]
 * matrix enters the backward pass.
 */
export function chamferDistance(a: tf.Tensor3D, b: tf.Tensor3D): tf.Scalar {
  if (a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[2]) throw new RangeError(`chamferDistance: shapes [${a.shape}] and [${b.shape}]`);
  return chamferGrad(a, b);
}

/** Per-set constants of `hullPreservingLoss`, from the hull of each original set. */
export interface HullTargets {
  /** [B·N] weights: `hullWeight` on hull vertices of S, `interiorWeight` elsewhere. */
  weights: Float32Array;
  /** [B·E·3] outward edge lines (n_x, n_y, −c) with unit n; n·x − c > 0 iff x is outside that edge. Padding rows are (0, 0, −1e3). */
  planes: Float32Array;
  /** Edges per set after padding (E). */
  edges: number;
}

/**
 * Hull targets for B sets of N planar points each (flat Float64 `[x0, y0, …]`), given a hull function that
 * returns CCW vertex indices.
 *
 *      q ●           The edge p→q of a CCW hull has the interior on its left; its outward unit normal is
 *        │ ──▶ n     n = (q_y − p_y, −(q_x − p_x))/|pq| and c = n·p, so n·x − c is the signed distance of x
 *      p ●           beyond that edge's line. For a convex polygon max_e(n_e·x − c_e) ≤ 0 exactly inside.
 */
export function hullTargets(
  sets: Float64Array[],
  hull: (points: Float64Array) => Uint32Array,
  hullWeight = 10,
  interiorWeight = 1,
): HullTargets {
  const n = sets[0].length / 2;
  const hulls = sets.map((s) => hull(s));
  const edges = Math.max(1, ...hulls.map((h) => (h.length >= 3 ? h.length : 0)));
  const weights = new Float32Array(sets.length * n).fill(interiorWeight);
  const planes = new Float32Array(sets.length * edges * 3);
  sets.forEach((points, s) => {
    if (points.length / 2 !== n) throw new RangeError('hullTargets: every set must have the same number of points');
    const h = hulls[s];
    for (let t = 0; t < h.length; t++) weights[s * n + h[t]] = hullWeight;
    for (let e = 0; e < edges; e++) {
      const row = (s * edges + e) * 3;
      if (h.length < 3 || e >= h.length) {
        planes[row + 2] = -1e3;
        continue;
      }
      const p = h[e];
      const q = h[(e + 1) % h.length];
      const ex = points[2 * q] - points[2 * p];
      const ey = points[2 * q + 1] - points[2 * p + 1];
      const len = Math.hypot(ex, ey) || 1;
      const nx = ey / len;
      const ny = -ex / len;
      planes[row] = nx;
      planes[row + 1] = ny;
      planes[row + 2] = -(nx * points[2 * p] + ny * points[2 * p + 1]);
    }
  });
  return { weights, planes, edges };
}

/**
 * Hull-preserving task loss (ours; see module comment), for S, S′ [B, N, 2]:
 *   L = Σ_i w_i‖s′_i − s_i‖² / Σ_i w_i  +  μ · mean_i relu(max_e(n_e·s′_i − c_e))²
 * with w and the edge lines of conv(S) from `hullTargets` (weights [B, N], planes [B, E, 3]).
 */
export function hullPreservingLoss(
  original: tf.Tensor3D,
  moved: tf.Tensor3D,
  weights: tf.Tensor2D,
  planes: tf.Tensor3D,
  outsideWeight = 1,
): tf.Scalar {
  return tf.tidy(() => {
    const [batch, n] = moved.shape;
    const sq = tf.sum(tf.square(tf.sub(moved, original)), 2);
    const disp = tf.div(tf.sum(tf.mul(sq, weights)), tf.sum(weights));
    const withOnes = tf.concat([moved, tf.ones([batch, n, 1])], 2);
    const beyond = tf.max(tf.matMul(withOnes, planes, false, true), 2);
    const outside = tf.mean(tf.square(tf.relu(beyond)));
    return tf.add(disp, tf.mul(outside, outsideWeight)) as tf.Scalar;
  });
}

/** The entropy surrogate and its parameters (anchors or planes may be variables: they then train jointly). */
export type EntropyRegularizer =
  | { kind: 'hDiff'; anchors: tf.Tensor2D; alpha: number }
  | { kind: 'hSoft'; planesW: tf.Tensor2D; planesB: tf.Tensor1D; tau: number }
  | { kind: 'hRect'; start: tf.Tensor2D; gaps: tf.Tensor2D | null; tau: number };

/** Floor inside log(p), the same as the entropy lab's (0·log 0 = 0 with finite gradients). */
const LOG_FLOOR = 1e-30;

/** Row entropies in nats of [B, K] masses. */
function rowEntropies(masses: tf.Tensor2D): tf.Tensor1D {
  return tf.neg(tf.sum(tf.mul(masses, tf.log(tf.maximum(masses, LOG_FLOOR))), 1)) as tf.Tensor1D;
}

/**
 * H_diff (Eqs. 2–3) of every set of a batch [B, N, d] at once → [B] nats; equals `hDiff` of each set (tested).
 * Same algebra as the entropy lab's `anchorMasses` (centre on the anchors' mean; logits α(2x·c − ‖c‖²), one
 * matmul for all B·N points), with the per-set means taken at the end; one call replaces B calls of `hDiff`,
 * i.e. ≈20 kernels instead of ≈20·B (kernel launches dominate at N ≈ 10³ on wasm).
 */
export function hDiffBatch(points: tf.Tensor3D, anchors: tf.Tensor2D, alpha: number): tf.Tensor1D {
  return tf.tidy(() => {
    const [batch, n, d] = points.shape;
    const k = anchors.shape[0];
    const centre = tf.mean(anchors, 0, true);
    const x = tf.reshape(tf.sub(points, centre), [batch * n, d]);
    const c = tf.sub(anchors, centre);
    const cNorm2 = tf.sum(tf.square(c), 1, true);
    const weights = tf.transpose(tf.concat([tf.mul(c, 2 * alpha), tf.mul(cNorm2, -alpha)], 1)) as tf.Tensor2D;
    const logits = tf.matMul(tf.concat([x, tf.ones([batch * n, 1])], 1) as tf.Tensor2D, weights);
    const masses = tf.mean(tf.reshape(tf.softmax(logits), [batch, n, k]), 1) as tf.Tensor2D;
    return rowEntropies(masses);
  });
}

/**
 * H_soft (Eqs. 4–6) of every set of a batch [B, N, d] → [B] nats; equals `hSoft` of each set (tested). Same
 * construction as the entropy lab's `softCellMasses` (log indicators times the sign-pattern matrix).
 */
export function hSoftBatch(points: tf.Tensor3D, planesW: tf.Tensor2D, planesB: tf.Tensor1D, tau: number): tf.Tensor1D {
  const m = planesW.shape[0];
  if (m > 16) throw new RangeError(`hSoftBatch: m = ${m} planes means 2^${m} cells; at most 16 supported`);
  return tf.tidy(() => {
    const [batch, n, d] = points.shape;
    const affine = tf.div(tf.transpose(tf.concat([planesW, tf.reshape(tf.neg(planesB), [m, 1])], 1)), tau) as tf.Tensor2D;
    const u = tf.matMul(tf.concat([tf.reshape(points, [batch * n, d]), tf.ones([batch * n, 1])], 1) as tf.Tensor2D, affine);
    // tfjs's logSigmoid keeps u in a closure, which this tidy disposes before backprop: use the saving variant.
    const logIndicators = tf.concat([logSigmoidSaved(u as tf.Tensor2D), logSigmoidSaved(tf.neg(u) as tf.Tensor2D)], 1) as tf.Tensor2D;
    const logG = tf.matMul(logIndicators, tf.tensor2d(signPatternMatrix(m), [2 * m, 1 << m]));
    const masses = tf.mean(tf.reshape(tf.exp(logG), [batch, n, 1 << m]), 1) as tf.Tensor2D;
    return rowEntropies(masses);
  });
}

/**
 * The rectangle surrogate (App. H.4) of every set of a batch [B, N, d] → [B] nats; equals `hRect` of each set
 * (tested). Same soft grid as the entropy lab's `rectCellMasses`: per axis r sorted cuts θ_{a,0} = start[a],
 * θ_{a,l} = θ_{a,l−1} + softplus(gaps[a, l−1]) (start [d, 1], gaps [d, r − 1] or null for r = 1); the log
 * indicators [log σ(z), log σ(−z)], z = (x_a − θ_{a,l})/τ, times the cell-pattern matrix, plus the per-interval
 * constant log(1 − e^{−Δ/τ}) that makes the memberships telescope to 1.
 */
export function hRectBatch(points: tf.Tensor3D, start: tf.Tensor2D, gaps: tf.Tensor2D | null, tau: number): tf.Tensor1D {
  const [batch, n, d] = points.shape;
  const r = gaps ? gaps.shape[1] + 1 : 1;
  const cells = (r + 1) ** d;
  if (start.shape[0] !== d || start.shape[1] !== 1 || (gaps && gaps.shape[0] !== d)) throw new RangeError(`hRectBatch: start [${start.shape}] and gaps [${gaps?.shape ?? '–'}] do not fit d = ${d}`);
  if (cells > 4096) throw new RangeError(`hRectBatch: (r+1)^d = ${cells} cells is too many`);
  return tf.tidy(() => {
    const { patterns, corrSelect } = rectPatterns(d, r);
    const gapsPos = gaps ? tf.softplus(gaps) : null;
    const cuts = gapsPos ? (tf.cumsum(tf.concat([start, gapsPos], 1), 1) as tf.Tensor2D) : start;
    // Rows [x, 1] times [select/τ; −θ/τ]: column a·r + l is (x_a − θ_{a,l})/τ.
    const select = new Float32Array(d * d * r);
    for (let a = 0; a < d; a++) for (let l = 0; l < r; l++) select[a * d * r + a * r + l] = 1 / tau;
    const affine = tf.concat([tf.tensor2d(select, [d, d * r]), tf.div(tf.reshape(cuts, [1, d * r]), -tau)], 0) as tf.Tensor2D;
    const z = tf.matMul(tf.concat([tf.reshape(points, [batch * n, d]), tf.ones([batch * n, 1])], 1) as tf.Tensor2D, affine);
    const logIndicators = tf.concat([logSigmoidSaved(z as tf.Tensor2D), logSigmoidSaved(tf.neg(z) as tf.Tensor2D)], 1) as tf.Tensor2D;
    let logG = tf.matMul(logIndicators, tf.tensor2d(patterns, [2 * d * r, cells]));
    if (gapsPos) {
      const corr = tf.log(tf.maximum(tf.neg(tf.expm1(tf.div(tf.neg(gapsPos), tau))), LOG_FLOOR));
      logG = tf.add(logG, tf.matMul(tf.reshape(corr, [1, d * (r - 1)]), tf.tensor2d(corrSelect, [d * (r - 1), cells])));
    }
    const masses = tf.mean(tf.reshape(tf.exp(logG), [batch, n, cells]), 1) as tf.Tensor2D;
    return rowEntropies(masses);
  });
}

/** The regulariser's per-set entropies [B] (nats) of a batch [B, N, d]. */
export function regularizerEntropies(moved: tf.Tensor3D, reg: EntropyRegularizer): tf.Tensor1D {
  if (reg.kind === 'hDiff') return hDiffBatch(moved, reg.anchors, reg.alpha);
  if (reg.kind === 'hSoft') return hSoftBatch(moved, reg.planesW, reg.planesB, reg.tau);
  return hRectBatch(moved, reg.start, reg.gaps, reg.tau);
}

/** Mean over the sets of a batch [B, N, d] of H(S′_b) (Alg. 1 lines 6–13), nats. */
export function batchEntropy(moved: tf.Tensor3D, reg: EntropyRegularizer): tf.Scalar {
  return tf.tidy(() => tf.mean(regularizerEntropies(moved, reg)) as tf.Scalar);
}

export interface LossParts {
  total: tf.Scalar;
  task: tf.Scalar;
  /** H(S′) when the regulariser was evaluated (λ > 0), else null. */
  entropy: tf.Scalar | null;
}

/** L = L_task + λ·H (Alg. 1 line 16). With λ = 0 the surrogate is not evaluated at all. */
export function entropyNetLoss(task: tf.Scalar, moved: tf.Tensor3D, reg: EntropyRegularizer, lambda: number): LossParts {
  if (lambda === 0) return { total: task, task, entropy: null };
  const entropy = batchEntropy(moved, reg);
  return { total: tf.add(task, tf.mul(entropy, lambda)) as tf.Scalar, task, entropy };
}
