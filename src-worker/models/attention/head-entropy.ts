/**
 * H_diff (Eqs. 2–3) of S point sets at once, each with its own anchors: points [S, n, d], anchors [S, k, d]
 * → [S] nats. The same arithmetic as `hDiff` of entropy/surrogates.ts set by set: positions centred on the
 * anchors' mean, the soft assignment softmax_j(2α x·c_j − α‖c_j‖²) (the ‖x‖² term of −α‖x − c_j‖² is the
 * same for every anchor and cancels), masses p_j as column means, H = −Σ_j p_j log p_j.
 *
 * Why: the attention lab's penalty sums H_diff over every (layer, head); set by set that is ≈ 20 kernels
 * forward and ≈ 30 backward per head, 800 launches a step for 16 heads, each costing more on wasm than its
 * arithmetic. Batched over the sets it is a few dozen.
 *
 * The two batched products (x·cᵀ, [S, n, d]·[S, k, d]ᵀ, and the masses, a [S, 1, n] row of 1/n times the
 * assignments) and their gradients run either as tf.matMul of 3-D operands (`products: 'tf'`) or on our
 * WebAssembly SIMD kernel (`'simd'`, attention/simd-matmul.ts): wasm's BatchMatMul runs 3-D operands in its
 * generic loop. `defaultEntropyProducts` picks 'simd' on wasm when the engine runs WebAssembly SIMD.
 */
import * as tf from '../tf';
import { groupMatMulSimd, simdInPlace } from './simd-matmul';

const LOG_FLOOR = 1e-30;

/** How the batched products are computed (module comment). */
export type EntropyProducts = 'tf' | 'simd';

/** 'simd' on wasm when the SIMD kernel compiles, 'tf' on every other backend. */
export function defaultEntropyProducts(backend: string = tf.getBackend()): EntropyProducts {
  return simdInPlace(backend) ? 'simd' : 'tf';
}

/** Soft assignments [S, n, k] of each set's points to its anchors (the softmax of Eq. 2; see above). */
function softAssign(points: tf.Tensor3D, anchors: tf.Tensor3D, alpha: number, products: EntropyProducts): tf.Tensor3D {
  const sets = points.shape[0];
  const k = anchors.shape[1];
  const centre = tf.mean(anchors, 1, true);
  const x = tf.sub(points, centre) as tf.Tensor3D;
  const c = tf.sub(anchors, centre) as tf.Tensor3D;
  const scaled = tf.mul(c, 2 * alpha) as tf.Tensor3D;
  const logits = products === 'simd' ? groupMatMulSimd(x, scaled, true) : tf.matMul(x, tf.transpose(scaled, [0, 2, 1]) as tf.Tensor3D);
  const bias = tf.reshape(tf.mul(tf.sum(tf.square(c), 2), -alpha), [sets, 1, k]);
  return tf.softmax(tf.add(logits, bias)) as tf.Tensor3D;
}

/** Column means [G, 1, k] of assignments [G, n, k], as a row of 1/n times them. */
function columnMeans(assign: tf.Tensor3D, products: EntropyProducts): tf.Tensor3D {
  const [g, n] = assign.shape;
  const row = tf.fill([g, 1, n], 1 / n) as tf.Tensor3D;
  return products === 'simd' ? groupMatMulSimd(row, assign) : tf.matMul(row, assign);
}

/** −Σ_j p_j log p_j over the last axis. */
function massEntropy(masses: tf.Tensor): tf.Tensor {
  return tf.neg(tf.sum(tf.mul(masses, tf.log(tf.maximum(masses, LOG_FLOOR))), -1));
}

export function hDiffPerSet(points: tf.Tensor3D, anchors: tf.Tensor3D, alpha: number, products: EntropyProducts = defaultEntropyProducts()): tf.Tensor1D {
  return tf.tidy(() => {
    const sets = points.shape[0];
    const k = anchors.shape[1];
    const assign = softAssign(points, anchors, alpha, products);
    const masses = tf.reshape(columnMeans(assign, products), [sets, k]);
    return massEntropy(masses) as tf.Tensor1D;
  });
}

/**
 * H_diff of each of `groups` consecutive, equal runs of a set's points (e.g. the keys of one image inside a
 * head's batch of keys), every run with its set's anchors: points [S, groups·m, d], anchors [S, k, d] →
 * [S, groups] nats. The soft assignment is the one of `hDiffPerSet`; only the masses are taken per run.
 */
export function hDiffPerGroup(points: tf.Tensor3D, anchors: tf.Tensor3D, alpha: number, groups: number, products: EntropyProducts = defaultEntropyProducts()): tf.Tensor2D {
  return tf.tidy(() => {
    const [sets, n] = points.shape;
    const k = anchors.shape[1];
    if (n % groups !== 0) throw new RangeError(`hDiffPerGroup: ${n} points do not split into ${groups} equal groups`);
    const assign = softAssign(points, anchors, alpha, products);
    if (products === 'simd') {
      const runs = tf.reshape(assign, [sets * groups, n / groups, k]) as tf.Tensor3D;
      return massEntropy(tf.reshape(columnMeans(runs, products), [sets, groups, k])) as tf.Tensor2D;
    }
    return massEntropy(tf.mean(tf.reshape(assign, [sets, groups, n / groups, k]), 2)) as tf.Tensor2D;
  });
}
