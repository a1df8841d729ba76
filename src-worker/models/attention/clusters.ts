/**
 * Frozen key clusters for block-sparse attention (Sec. 4 "we freeze per-head top-b supports obtained from
 * soft assignments, enforcing block contiguity", App. E.4).
 *
 * A head's anchors are frozen after training. At inference each key joins its nearest anchor — the α → ∞
 * limit of the soft assignment p_ij = softmax_j(−α‖k_i − c_j‖²) of Eq. 2, and its argmax for any α > 0 —
 * and the keys are permuted so that every cluster occupies one contiguous range:
 *
 *   position:  0 1 2 3 | 4 5 | 6 7 8 | …        offsets = [0, 4, 6, 9, …, n]
 *   cluster:   0 0 0 0 | 1 1 | 2 2 2 | …        order[p] = index of the key stored at position p
 *
 * Inside a cluster keys are sorted by distance to their anchor (closest first, ties by index), so a budget
 * that ends inside a cluster keeps its most central keys and the kept set is still one prefix range.
 */

export interface HeadClusters {
  /** Number of clusters (anchors), including empty ones. */
  k: number;
  /** order[p] = original index of the key at position p (a permutation of 0..n−1). */
  order: Uint32Array;
  /** Cluster c occupies positions offsets[c] .. offsets[c+1]−1. */
  offsets: Uint32Array;
  /** labels[i] = cluster of key i. */
  labels: Uint32Array;
}

/**
 * Assign the n keys of one head to their nearest anchor and order them by cluster (see module comment).
 * keys: flat [n, dh] starting at `base`; anchors: flat [k, dh].
 */
export function clusterKeys(keys: ArrayLike<number>, base: number, n: number, dh: number, anchors: ArrayLike<number>): HeadClusters {
  const k = anchors.length / dh;
  const labels = new Uint32Array(n);
  const d2 = new Float64Array(n);
  const counts = new Uint32Array(k);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Infinity;
    const ki = base + i * dh;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let a = 0; a < dh; a++) {
        const diff = keys[ki + a] - anchors[j * dh + a];
        s += diff * diff;
      }
      if (s < bestD) {
        bestD = s;
        best = j;
      }
    }
    labels[i] = best;
    d2[i] = bestD;
    counts[best]++;
  }
  const offsets = new Uint32Array(k + 1);
  for (let j = 0; j < k; j++) offsets[j + 1] = offsets[j] + counts[j];
  const order = new Uint32Array(n);
  const fill = offsets.slice(0, k);
  for (let i = 0; i < n; i++) order[fill[labels[i]]++] = i;
  for (let j = 0; j < k; j++) {
    const seg = order.subarray(offsets[j], offsets[j + 1]);
    seg.sort((a, b) => d2[a] - d2[b] || a - b);
  }
  return { k, order, offsets, labels };
}

/** Hard cluster masses m_c = |{i : c(i) = c}| / n (App. E.4). */
export function clusterMasses(c: HeadClusters): Float64Array {
  const n = c.order.length;
  const m = new Float64Array(c.k);
  for (let j = 0; j < c.k; j++) m[j] = (c.offsets[j + 1] - c.offsets[j]) / n;
  return m;
}
