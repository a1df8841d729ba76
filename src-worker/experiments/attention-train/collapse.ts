/**
 * Key-cluster collapse, measured during training (models with learned anchors only).
 *
 * H_diff is minimised by putting every key of a head into one cluster (cluster-mass entropy 0). Block-sparse
 * inference then has one cluster of all N keys: its block is cut to the b keys nearest the anchor, and since
 * the query scores do not favour those keys, the block holds about b/N of the attention mass, i.e. a tail
 * mass δ ≈ 1 − b/N (0.74 at b = 17 of N = 65). This probe records, per layer and head, on a fixed
 * validation batch with the current anchors frozen:
 *   - massEntropy: mean over images of H(m) in nats, m_c = |C_c|/N the hard cluster masses of the image's keys
 *     (the quantity the regulariser's soft H_diff drives down; ln k is its maximum);
 *   - tailMass: mean over the head's query rows of δ_t = Σ_{j∉S_t} w_tj, the dense attention mass outside
 *     the block-sparse support S_t at the run's key budget b;
 *   - topBTail: the same mass outside the row's own b largest weights, the least tail any support of b keys
 *     can leave. When it is close to 1 − b/N too, attention is diffuse and no block choice could do better;
 *     when it is far below tailMass, the clusters (not the attention) lose the mass;
 * and for the model the top-1 accuracy of the batch under block-sparse attention (every head at budget b).
 */
import { vitInfer, type VitParams } from '../../models/vit';
import { blockScratch, blockSparseHead, createProbe, massEntropy, type BlockScratch, type TailProbe } from '../../models/attention/kernels';
import { clusterKeys } from '../../models/attention/clusters';
import type * as tf from '../../models/tf';

export interface CollapseSnapshot {
  /** Block-sparse top-1 on the probe batch. */
  blockAccuracy: number;
  /** [layer][head] mean hard cluster-mass entropy (nats). */
  massEntropy: number[][];
  /** [layer][head] mean dense attention mass outside the block (δ). */
  tailMass: number[][];
  /** [layer][head] mean dense attention mass outside each row's top-b keys. */
  topBTail: number[][];
}

/** Σ over the head's rows of 1 − (sum of the b largest softmax weights of the row). */
function topBTailSum(q: Float32Array, k: Float32Array, base: number, n: number, dh: number, budget: number, w: Float64Array): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < dh; t++) s += q[base + i * dh + t] * k[base + j * dh + t];
      w[j] = s;
      if (s > max) max = s;
    }
    let z = 0;
    for (let j = 0; j < n; j++) z += w[j] = Math.exp(w[j] - max);
    w.sort();
    let kept = 0;
    for (let j = n - Math.min(budget, n); j < n; j++) kept += w[j];
    total += Math.max(0, 1 - kept / z);
  }
  return total;
}

/**
 * One snapshot on `x` (labels `labels`) with `anchors` [layer][head] flat [k, d_h], key budget `budget`.
 */
export async function collapseSnapshot(params: VitParams, anchors: Float32Array[][], x: tf.Tensor3D, labels: ArrayLike<number>, budget: number): Promise<CollapseSnapshot> {
  const { layers, heads, classes } = params.shape;
  const entropySum = Array.from({ length: layers }, () => new Float64Array(heads));
  const topBSum = Array.from({ length: layers }, () => new Float64Array(heads));
  let rows: Float64Array | null = null;
  const probes: TailProbe[][] = Array.from({ length: layers }, () => Array.from({ length: heads }, () => createProbe(1, Infinity)));
  let scratch: BlockScratch | null = null;
  let images = 0;
  const { logits } = await vitInfer(params, x, (layer, q, k, v, { b, h, n, dh }) => {
    scratch ??= blockScratch(n, dh, anchors[0][0].length / dh);
    rows ??= new Float64Array(n);
    images = b;
    const out = new Float32Array(q.length);
    for (let img = 0; img < b; img++) {
      for (let head = 0; head < h; head++) {
        const base = (img * h + head) * n * dh;
        const clusters = clusterKeys(k, base, n, dh, anchors[layer][head]);
        entropySum[layer][head] += massEntropy(clusters);
        blockSparseHead(q, k, v, base, n, dh, clusters, { keys: budget }, scratch, out, undefined, probes[layer][head], layer);
        topBSum[layer][head] += topBTailSum(q, k, base, n, dh, budget, rows) / n;
      }
    }
    return out;
  });
  let correct = 0;
  for (let i = 0; i < images; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[i * classes + c] > logits[i * classes + best]) best = c;
    if (best === labels[i]) correct++;
  }
  const mean = (xs: number[]): number => xs.reduce((a, v) => a + v, 0) / Math.max(1, xs.length);
  return {
    blockAccuracy: correct / Math.max(1, images),
    massEntropy: entropySum.map((row) => Array.from(row, (s) => s / Math.max(1, images))),
    tailMass: probes.map((row) => row.map((p) => mean(p.delta))),
    topBTail: topBSum.map((row) => Array.from(row, (s) => s / Math.max(1, images))),
  };
}

/** Metric rows of one snapshot at `step`, keys `<prefix>/collapse/{block_acc, l<l>h<h>/{mass_entropy,tail_mass,topb_tail}}`. */
export function collapseMetricRows(prefix: string, step: number, s: CollapseSnapshot): Array<{ key: string; step: number; value: number }> {
  const rows = [{ key: `${prefix}/collapse/block_acc`, step, value: s.blockAccuracy }];
  s.massEntropy.forEach((row, l) =>
    row.forEach((value, h) => {
      rows.push({ key: `${prefix}/collapse/l${l}h${h}/mass_entropy`, step, value });
      rows.push({ key: `${prefix}/collapse/l${l}h${h}/tail_mass`, step, value: s.tailMass[l][h] });
      rows.push({ key: `${prefix}/collapse/l${l}h${h}/topb_tail`, step, value: s.topBTail[l][h] });
    }),
  );
  return rows;
}
