/**
 * Attention kernels in plain JS over Float32Array heads, one family so that dense and
 * sparse latencies compare like for like ("identical kernel constraints", Table 24):
 *
 * - dense:        w_i = softmax_j(q_i·k_j), y_i = Σ_j w_ij v_j                         (n² dot products)
 * - top-b:        all n scores, keep the b largest, renormalise                        (n² + selection)
 * - block-sparse: keys ordered by frozen cluster (clusters.ts); each query scores the k clusters against
 *                 their centroids, takes clusters in descending score until its budget is spent, and
 *                 attends only to those contiguous key ranges, renormalised           (n·k + n·b)
 *
 * Cluster score. For query q and cluster C with centroid μ_C, Jensen's inequality gives
 *   log Σ_{j∈C} exp(q·k_j) ≥ log|C| + q·μ_C,
 * so g_C = q·μ_C + log|C| is a lower estimate of the log of C's un-normalised attention mass, computed
 * without touching C's keys. Ranking clusters by g_C approximates ranking them by attention mass.
 *
 * Every kernel renormalises over the keys it keeps, i.e. it returns ỹ of App. E.4 Lemma 2:
 * w̃_tj = w_tj / Σ_{j∈S_t} w_tj on S_t. q is expected pre-scaled by 1/√d_h (as `vitInfer` passes it).
 *
 * Magnitude pruning (Table 19): `dense` and `block-sparse` take an optional per-layer threshold τ. After the
 * mode's own support and renormalisation, weights below τ are dropped (the row's largest weight is always
 * kept) and the row renormalises again. τ is calibrated outside (evaluate.ts) from weights a `WeightSink`
 * receives: every row's final weights over all n keys, zeros off the support.
 *
 * Optional accounting (never inside the timed path unless asked): `KernelStats` counts active keys,
 * contiguous runs in the order the kernel reads keys (cluster order for block-sparse, token order for
 * top-b), and weights below the G.13 threshold; `TailProbe` records, for sampled rows, the dense tail mass
 * δ_t = Σ_{j∉S_t} w_tj, the measured ‖y_t − ỹ_t‖ and Lemma 2's bound 4·B·δ_t with B = max_j ‖v_j‖.
 */
import type { AttentionKernel } from '../vit';
import { entropyNats } from '../../entropy/surrogates';
import { clusterKeys, clusterMasses, type HeadClusters } from './clusters';

/** G.13: an attention weight counts as zero below this. */
export const SPARSITY_THRESHOLD = 0.01;

export type Budget = { keys: number } | { clusters: number };

/** Per-layer magnitude threshold τ_l on renormalised weights (Table 19); 0 = no pruning. */
export interface Prune {
  tau: number[];
}

export type AttentionMode =
  | { kind: 'dense'; prune?: Prune }
  | { kind: 'top-b'; keys: number }
  | { kind: 'block-sparse'; budget: Budget; /** [layer][head] flat [k, d_h] frozen anchors */ anchors: Float32Array[][]; prune?: Prune };

/** Receives each row's final weights w[0..n) (zeros off the support) and its layer; must not keep `w`. */
export type WeightSink = (layer: number, w: Float64Array, n: number) => void;

export interface KernelStats {
  rows: number;
  activeKeys: number;
  /** Maximal runs of consecutive positions read, summed over rows. */
  runs: number;
  /** Weights < SPARSITY_THRESHOLD (inactive keys count as 0), and all weights, summed over rows. */
  small: number;
  entries: number;
  /** Block-sparse only: Σ over (image, head) of the hard cluster-mass entropy H(p) (nats), and the count. */
  clusterEntropy: number;
  clusterHeads: number;
}

export function emptyStats(): KernelStats {
  return { rows: 0, activeKeys: 0, runs: 0, small: 0, entries: 0, clusterEntropy: 0, clusterHeads: 0 };
}

/** Accounts one row: `active` keys read in `runs` contiguous runs, `small` of its n weights < 0.01. */
function countRow(stats: KernelStats | undefined, active: number, runs: number, small: number, n: number): void {
  if (!stats) return;
  stats.rows++;
  stats.activeKeys += active;
  stats.runs += runs;
  stats.small += small;
  stats.entries += n;
}

export interface TailProbe {
  /** Probe one row in `every` (1 = all rows). */
  every: number;
  /** Stop recording after this many rows. */
  max: number;
  delta: number[];
  error: number[];
  bound: number[];
  /** Layer of each recorded row. */
  layer: number[];
  seen: number;
}

export function createProbe(every: number, max: number): TailProbe {
  return { every: Math.max(1, Math.floor(every)), max, delta: [], error: [], bound: [], layer: [], seen: 0 };
}

function dot(a: ArrayLike<number>, ai: number, b: ArrayLike<number>, bi: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) s += a[ai + t] * b[bi + t];
  return s;
}

/** Dense softmax attention of one head. q, k, v, out: flat, the head's [n, dh] block starts at `base`. */
/** sc[j] = exp(q_i·k_j − max) over the head's n keys; returns their sum z (so w_ij = sc[j] / z). */
function expScores(q: Float32Array, qi: number, k: Float32Array, base: number, n: number, dh: number, sc: Float64Array): number {
  let max = -Infinity;
  for (let j = 0; j < n; j++) {
    const s = dot(q, qi, k, base + j * dh, dh);
    sc[j] = s;
    if (s > max) max = s;
  }
  let z = 0;
  for (let j = 0; j < n; j++) z += sc[j] = Math.exp(sc[j] - max);
  return z;
}

export function denseHead(q: Float32Array, k: Float32Array, v: Float32Array, base: number, n: number, dh: number, out: Float32Array, sc: Float64Array, stats?: KernelStats): void {
  for (let i = 0; i < n; i++) {
    const qi = base + i * dh;
    const z = expScores(q, qi, k, base, n, dh, sc);
    const oi = base + i * dh;
    for (let t = 0; t < dh; t++) out[oi + t] = 0;
    for (let j = 0; j < n; j++) {
      const w = sc[j] / z;
      const vj = base + j * dh;
      for (let t = 0; t < dh; t++) out[oi + t] += w * v[vj + t];
      if (stats && w < SPARSITY_THRESHOLD) stats.small++;
    }
    if (stats) {
      stats.rows++;
      stats.activeKeys += n;
      stats.runs += 1;
      stats.entries += n;
    }
  }
}

/**
 * Magnitude pruning of one row's weights in place. `w[p]` holds the weights of positions `pos[0..m)` (the
 * row's support, in the order the kernel reads keys; Σ w = 1). Drops weights < τ except the largest,
 * renormalises the rest, and returns how many were kept; dropped weights are set to 0. Stats are updated
 * here: active keys, contiguous runs in read order, weights < SPARSITY_THRESHOLD over all n entries.
 */
function pruneRow(w: Float64Array, pos: Int32Array, m: number, n: number, tau: number, stats?: KernelStats): number {
  let arg = pos[0];
  for (let a = 1; a < m; a++) if (w[pos[a]] > w[arg]) arg = pos[a];
  let z = 0;
  let kept = 0;
  for (let a = 0; a < m; a++) {
    const p = pos[a];
    if (w[p] >= tau || p === arg) {
      z += w[p];
      kept++;
    } else w[p] = -1;
  }
  let small = n - kept;
  let runs = 0;
  let prev = -2;
  for (let a = 0; a < m; a++) {
    const p = pos[a];
    if (w[p] < 0) {
      w[p] = 0;
      continue;
    }
    w[p] /= z;
    if (w[p] < SPARSITY_THRESHOLD) small++;
    if (p !== prev + 1) runs++;
    prev = p;
  }
  countRow(stats, kept, runs, small, n);
  return kept;
}

/**
 * Dense attention of one head with magnitude pruning at τ (τ = 0 keeps every weight and equals `denseHead`)
 * and an optional sink that sees each row's weights before pruning (for calibrating τ).
 */
export function prunedDenseHead(
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  base: number,
  n: number,
  dh: number,
  tau: number,
  out: Float32Array,
  sc: Float64Array,
  pos: Int32Array,
  stats?: KernelStats,
  sink?: WeightSink,
  layer = 0,
): void {
  for (let j = 0; j < n; j++) pos[j] = j;
  for (let i = 0; i < n; i++) {
    const qi = base + i * dh;
    const z = expScores(q, qi, k, base, n, dh, sc);
    for (let j = 0; j < n; j++) sc[j] /= z;
    if (sink) sink(layer, sc, n);
    pruneRow(sc, pos, n, n, tau, stats);
    const oi = base + i * dh;
    for (let t = 0; t < dh; t++) out[oi + t] = 0;
    for (let j = 0; j < n; j++) {
      const w = sc[j];
      if (w === 0) continue;
      const vj = base + j * dh;
      for (let t = 0; t < dh; t++) out[oi + t] += w * v[vj + t];
    }
  }
}

/** The b-th largest value of xs[0..n) (quickselect on a scratch copy). */
function kthLargest(xs: Float64Array, n: number, b: number, tmp: Float64Array): number {
  for (let i = 0; i < n; i++) tmp[i] = xs[i];
  let lo = 0;
  let hi = n - 1;
  const target = b - 1;
  while (lo < hi) {
    const pivot = tmp[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (tmp[i] > pivot) i++;
      while (tmp[j] < pivot) j--;
      if (i <= j) {
        const t = tmp[i];
        tmp[i] = tmp[j];
        tmp[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return tmp[target];
}

/** Top-b by magnitude of one head: all scores, keep the b largest (ties → lower index), renormalise. */
export function topBHead(
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  base: number,
  n: number,
  dh: number,
  b: number,
  out: Float32Array,
  sc: Float64Array,
  tmp: Float64Array,
  keep: Uint8Array,
  stats?: KernelStats,
): void {
  const budget = Math.min(n, Math.max(1, b));
  for (let i = 0; i < n; i++) {
    const qi = base + i * dh;
    for (let j = 0; j < n; j++) sc[j] = dot(q, qi, k, base + j * dh, dh);
    const thr = kthLargest(sc, n, budget, tmp);
    let above = 0;
    for (let j = 0; j < n; j++) if (sc[j] > thr) above++;
    let ties = budget - above;
    let max = -Infinity;
    for (let j = 0; j < n; j++) {
      keep[j] = sc[j] > thr || (sc[j] === thr && ties-- > 0) ? 1 : 0;
      if (keep[j] && sc[j] > max) max = sc[j];
    }
    let z = 0;
    for (let j = 0; j < n; j++) if (keep[j]) z += sc[j] = Math.exp(sc[j] - max);
    const oi = base + i * dh;
    for (let t = 0; t < dh; t++) out[oi + t] = 0;
    let runs = 0;
    let small = n - budget;
    for (let j = 0; j < n; j++) {
      if (!keep[j]) continue;
      if (j === 0 || !keep[j - 1]) runs++;
      const w = sc[j] / z;
      if (w < SPARSITY_THRESHOLD) small++;
      const vj = base + j * dh;
      for (let t = 0; t < dh; t++) out[oi + t] += w * v[vj + t];
    }
    countRow(stats, budget, runs, small, n);
  }
}

/** Scratch buffers of `blockSparseHead`, allocated once per (n, dh, k). */
export interface BlockScratch {
  ks: Float32Array;
  vs: Float32Array;
  mu: Float64Array;
  logSize: Float64Array;
  g: Float64Array;
  rank: Int32Array;
  ranges: Int32Array;
  sc: Float64Array;
  dense: Float64Array;
  y: Float64Array;
  pos: Int32Array;
}

export function blockScratch(n: number, dh: number, k: number): BlockScratch {
  return {
    ks: new Float32Array(n * dh),
    vs: new Float32Array(n * dh),
    mu: new Float64Array(k * dh),
    logSize: new Float64Array(k),
    g: new Float64Array(k),
    rank: new Int32Array(k),
    ranges: new Int32Array(2 * k),
    sc: new Float64Array(n),
    dense: new Float64Array(n),
    y: new Float64Array(dh),
    pos: new Int32Array(n),
  };
}

/**
 * Block-sparse attention of one head from frozen clusters (see module comment). Returns nothing; writes
 * the head's [n, dh] output block at `base` of `out`.
 */
export function blockSparseHead(
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  base: number,
  n: number,
  dh: number,
  clusters: HeadClusters,
  budget: Budget,
  s: BlockScratch,
  out: Float32Array,
  stats?: KernelStats,
  probe?: TailProbe,
  layer = 0,
  tau = 0,
  sink?: WeightSink,
): void {
  const { order, offsets } = clusters;
  const nc = clusters.k;
  const { ks, vs, mu, logSize, g, rank, ranges, sc } = s;
  for (let p = 0; p < n; p++) {
    const src = base + order[p] * dh;
    for (let t = 0; t < dh; t++) {
      ks[p * dh + t] = k[src + t];
      vs[p * dh + t] = v[src + t];
    }
  }
  for (let c = 0; c < nc; c++) {
    const size = offsets[c + 1] - offsets[c];
    logSize[c] = size > 0 ? Math.log(size) : -Infinity;
    for (let t = 0; t < dh; t++) mu[c * dh + t] = 0;
    for (let p = offsets[c]; p < offsets[c + 1]; p++) for (let t = 0; t < dh; t++) mu[c * dh + t] += ks[p * dh + t];
    if (size > 0) for (let t = 0; t < dh; t++) mu[c * dh + t] /= size;
  }
  const keyBudget = 'keys' in budget ? Math.min(n, Math.max(1, budget.keys)) : n;
  const clusterBudget = 'clusters' in budget ? Math.max(1, budget.clusters) : nc;
  let bNorm = 0;
  if (probe) for (let j = 0; j < n; j++) bNorm = Math.max(bNorm, Math.sqrt(dot(v, base + j * dh, v, base + j * dh, dh)));

  for (let i = 0; i < n; i++) {
    const qi = base + i * dh;
    for (let c = 0; c < nc; c++) {
      let d = 0;
      for (let t = 0; t < dh; t++) d += q[qi + t] * mu[c * dh + t];
      g[c] = d + logSize[c];
      rank[c] = c;
    }
    // Insertion sort of the k cluster ids by descending score (k ≈ √n is small; ties → lower id).
    for (let a = 1; a < nc; a++) {
      const id = rank[a];
      let bI = a - 1;
      while (bI >= 0 && (g[rank[bI]] < g[id] || (g[rank[bI]] === g[id] && rank[bI] > id))) {
        rank[bI + 1] = rank[bI];
        bI--;
      }
      rank[bI + 1] = id;
    }
    let taken = 0;
    let nr = 0;
    let used = 0;
    for (let a = 0; a < nc && taken < keyBudget && used < clusterBudget; a++) {
      const c = rank[a];
      const size = offsets[c + 1] - offsets[c];
      if (size === 0) continue;
      const len = Math.min(size, keyBudget - taken);
      ranges[2 * nr] = offsets[c];
      ranges[2 * nr + 1] = offsets[c] + len;
      nr++;
      taken += len;
      used++;
    }
    let max = -Infinity;
    for (let r = 0; r < nr; r++) {
      for (let p = ranges[2 * r]; p < ranges[2 * r + 1]; p++) {
        const sv = dot(q, qi, ks, p * dh, dh);
        sc[p] = sv;
        if (sv > max) max = sv;
      }
    }
    let z = 0;
    for (let r = 0; r < nr; r++) for (let p = ranges[2 * r]; p < ranges[2 * r + 1]; p++) z += sc[p] = Math.exp(sc[p] - max);
    const oi = base + i * dh;
    for (let t = 0; t < dh; t++) out[oi + t] = 0;
    if (tau > 0 || sink) {
      prunedBlockRow(s, ranges, nr, z, n, dh, tau, out, oi, stats, sink, layer);
      continue;
    }
    let small = n - taken;
    for (let r = 0; r < nr; r++) {
      for (let p = ranges[2 * r]; p < ranges[2 * r + 1]; p++) {
        const w = sc[p] / z;
        if (w < SPARSITY_THRESHOLD) small++;
        for (let t = 0; t < dh; t++) out[oi + t] += w * vs[p * dh + t];
      }
    }
    if (stats) countRow(stats, taken, countRuns(ranges, nr), small, n);
    if (probe) recordTail(probe, q, ks, vs, qi, n, dh, ranges, nr, out, oi, bNorm, s, layer);
  }
}

/** The rest of one block-sparse row under magnitude pruning and/or a weight sink (no Theorem 2 probe). */
function prunedBlockRow(
  s: BlockScratch,
  ranges: Int32Array,
  nr: number,
  z: number,
  n: number,
  dh: number,
  tau: number,
  out: Float32Array,
  oi: number,
  stats: KernelStats | undefined,
  sink: WeightSink | undefined,
  layer: number,
): void {
  const { sc, pos, vs, dense } = s;
  let m = 0;
  for (let r = 0; r < nr; r++) {
    for (let p = ranges[2 * r]; p < ranges[2 * r + 1]; p++) {
      sc[p] /= z;
      pos[m++] = p;
    }
  }
  if (sink) {
    dense.fill(0);
    for (let a = 0; a < m; a++) dense[pos[a]] = sc[pos[a]];
    sink(layer, dense, n);
  }
  pruneRow(sc, pos, m, n, tau, stats);
  for (let a = 0; a < m; a++) {
    const p = pos[a];
    const w = sc[p];
    if (w === 0) continue;
    for (let t = 0; t < dh; t++) out[oi + t] += w * vs[p * dh + t];
  }
}

/** Maximal runs of consecutive positions covered by the (disjoint) ranges. */
function countRuns(ranges: Int32Array, nr: number): number {
  if (nr === 0) return 0;
  const starts: number[] = [];
  for (let r = 0; r < nr; r++) starts.push(r);
  starts.sort((a, b) => ranges[2 * a] - ranges[2 * b]);
  let runs = 1;
  for (let r = 1; r < nr; r++) if (ranges[2 * starts[r]] !== ranges[2 * starts[r - 1] + 1]) runs++;
  return runs;
}

/** Theorem 2 / Lemma 2 probe of one row: dense tail mass outside the kept ranges and the output error. */
function recordTail(
  probe: TailProbe,
  q: Float32Array,
  ks: Float32Array,
  vs: Float32Array,
  qi: number,
  n: number,
  dh: number,
  ranges: Int32Array,
  nr: number,
  out: Float32Array,
  oi: number,
  bNorm: number,
  s: BlockScratch,
  layer: number,
): void {
  const seen = probe.seen++;
  if (seen % probe.every !== 0 || probe.delta.length >= probe.max) return;
  const { dense, y } = s;
  let max = -Infinity;
  for (let p = 0; p < n; p++) {
    dense[p] = dot(q, qi, ks, p * dh, dh);
    if (dense[p] > max) max = dense[p];
  }
  let z = 0;
  for (let p = 0; p < n; p++) z += dense[p] = Math.exp(dense[p] - max);
  for (let t = 0; t < dh; t++) y[t] = 0;
  for (let p = 0; p < n; p++) {
    const w = dense[p] / z;
    dense[p] = w;
    for (let t = 0; t < dh; t++) y[t] += w * vs[p * dh + t];
  }
  let kept = 0;
  for (let r = 0; r < nr; r++) for (let p = ranges[2 * r]; p < ranges[2 * r + 1]; p++) kept += dense[p];
  const delta = Math.max(0, 1 - kept);
  let err = 0;
  for (let t = 0; t < dh; t++) err += (y[t] - out[oi + t]) ** 2;
  probe.delta.push(delta);
  probe.error.push(Math.sqrt(err));
  probe.bound.push(4 * bNorm * delta);
  probe.layer.push(layer);
}

/**
 * A `vitInfer` kernel for a whole layer ([B, H, N, d_h] arrays) in the given mode. `stats[layer]` and
 * `probe` are filled when given. Block-sparse clusters are recomputed per image and head from the frozen
 * anchors (the keys differ per image; the anchors do not).
 */
export function attentionKernel(mode: AttentionMode, stats?: KernelStats[], probe?: TailProbe, sink?: WeightSink): AttentionKernel {
  let cache: { n: number; dh: number; sc: Float64Array; tmp: Float64Array; keep: Uint8Array; pos: Int32Array; block: BlockScratch | null } | null = null;
  return (layer, q, k, v, { b, h, n, dh }) => {
    if (!cache || cache.n !== n || cache.dh !== dh) {
      const kc = mode.kind === 'block-sparse' ? mode.anchors[0][0].length / dh : 0;
      cache = { n, dh, sc: new Float64Array(n), tmp: new Float64Array(n), keep: new Uint8Array(n), pos: new Int32Array(n), block: kc > 0 ? blockScratch(n, dh, kc) : null };
    }
    const tau = mode.kind !== 'top-b' && mode.prune ? (mode.prune.tau[layer] ?? 0) : 0;
    const out = new Float32Array(q.length);
    const st = stats ? (stats[layer] ??= emptyStats()) : undefined;
    for (let img = 0; img < b; img++) {
      for (let head = 0; head < h; head++) {
        const base = (img * h + head) * n * dh;
        if (mode.kind === 'dense') {
          if (tau > 0 || sink) prunedDenseHead(q, k, v, base, n, dh, tau, out, cache.sc, cache.pos, st, sink, layer);
          else denseHead(q, k, v, base, n, dh, out, cache.sc, st);
        }
        else if (mode.kind === 'top-b') topBHead(q, k, v, base, n, dh, mode.keys, out, cache.sc, cache.tmp, cache.keep, st);
        else {
          const anchors = mode.anchors[layer][head];
          const clusters = clusterKeys(k, base, n, dh, anchors);
          if (st) {
            st.clusterEntropy += massEntropy(clusters);
            st.clusterHeads++;
          }
          blockSparseHead(q, k, v, base, n, dh, clusters, mode.budget, cache.block as BlockScratch, out, st, tau > 0 || sink ? undefined : probe, layer, tau, sink);
        }
      }
    }
    return out;
  };
}

/** Sum of per-layer stats. */
export function totalStats(stats: KernelStats[]): KernelStats {
  const t = emptyStats();
  for (const s of stats) {
    if (!s) continue;
    t.rows += s.rows;
    t.activeKeys += s.activeKeys;
    t.runs += s.runs;
    t.small += s.small;
    t.entries += s.entries;
    t.clusterEntropy += s.clusterEntropy;
    t.clusterHeads += s.clusterHeads;
  }
  return t;
}

/** H(p) in nats of the hard cluster masses m_c = |C|/n (App. E.4). */
export function massEntropy(c: HeadClusters): number {
  return entropyNats(clusterMasses(c));
}
