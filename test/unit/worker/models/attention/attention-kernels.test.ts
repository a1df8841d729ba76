import { describe, expect, it } from 'vitest';
import { clusterKeys, clusterMasses } from '../../../../../src-worker/models/attention/clusters';
import {
  attentionKernel,
  blockScratch,
  blockSparseHead,
  createProbe,
  denseHead,
  emptyStats,
  topBHead,
  type Budget,
} from '../../../../../src-worker/models/attention/kernels';
import { WeightCollector } from '../../../../../src-worker/models/attention/pruning';
import { headFlops } from '../../../../../src-worker/models/attention/flops';
import { rollout } from '../../../../../src-worker/models/attention/rollout';
import { createRng } from '../../../../../src-worker/entropy/random';

function randomArray(len: number, seed: number, scale = 1): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: len }, () => scale * rng.normal());
}

/** v = identity (dh = n): the output row of query i is then exactly its attention weights. */
function identityValues(n: number): Float32Array {
  const v = new Float32Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  return v;
}

/** Softmax(q·kᵀ) rows computed directly in Float64 (the oracle). */
function denseWeights(q: Float32Array, k: Float32Array, n: number, dh: number): Float64Array {
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < dh; t++) s += q[i * dh + t] * k[j * dh + t];
      w[i * n + j] = s;
      max = Math.max(max, s);
    }
    let z = 0;
    for (let j = 0; j < n; j++) z += w[i * n + j] = Math.exp(w[i * n + j] - max);
    for (let j = 0; j < n; j++) w[i * n + j] /= z;
  }
  return w;
}

function anchorsFrom(k: Float32Array, dh: number, count: number): Float32Array {
  return k.slice(0, count * dh);
}

function runBlock(q: Float32Array, k: Float32Array, v: Float32Array, n: number, dh: number, anchors: Float32Array, budget: Budget): Float32Array {
  const out = new Float32Array(n * dh);
  const clusters = clusterKeys(k, 0, n, dh, anchors);
  blockSparseHead(q, k, v, 0, n, dh, clusters, budget, blockScratch(n, dh, anchors.length / dh), out);
  return out;
}

describe('frozen key clusters', () => {
  it('order every key exactly once, each cluster contiguous and labelled by its nearest anchor', () => {
    for (const [n, dh, kc, seed] of [[65, 16, 8, 1], [40, 4, 6, 2], [7, 3, 3, 3]]) {
      const keys = randomArray(n * dh, seed);
      const anchors = randomArray(kc * dh, seed + 100);
      const c = clusterKeys(keys, 0, n, dh, anchors);
      expect(Array.from(c.order).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      expect(c.offsets[0]).toBe(0);
      expect(c.offsets[kc]).toBe(n);
      for (let j = 0; j < kc; j++) {
        expect(c.offsets[j + 1]).toBeGreaterThanOrEqual(c.offsets[j]);
        for (let p = c.offsets[j]; p < c.offsets[j + 1]; p++) expect(c.labels[c.order[p]]).toBe(j);
      }
      for (let i = 0; i < n; i++) {
        const d = (j: number) => Array.from({ length: dh }, (_, t) => (keys[i * dh + t] - anchors[j * dh + t]) ** 2).reduce((s, x) => s + x, 0);
        for (let j = 0; j < kc; j++) expect(d(c.labels[i])).toBeLessThanOrEqual(d(j) + 1e-9);
      }
      const m = clusterMasses(c);
      expect(m.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    }
  });
});

describe('attention kernels', () => {
  const n = 24;
  const dh = n;
  const q = randomArray(n * dh, 11, 0.3);
  const k = randomArray(n * dh, 12, 0.3);
  const v = identityValues(n);
  const oracle = denseWeights(q, k, n, dh);

  it('dense equals the direct softmax', () => {
    const out = new Float32Array(n * dh);
    denseHead(q, k, v, 0, n, dh, out, new Float64Array(n));
    for (let i = 0; i < n * n; i++) expect(out[i]).toBeCloseTo(oracle[i], 6);
  });

  it('block-sparse equals dense when every cluster is kept (b = k clusters, or b = n keys)', () => {
    const anchors = anchorsFrom(randomArray(n * dh, 13), dh, 5);
    for (const budget of [{ clusters: 5 }, { keys: n }] as Budget[]) {
      const out = runBlock(q, k, v, n, dh, anchors, budget);
      for (let i = 0; i < n * n; i++) expect(out[i]).toBeCloseTo(oracle[i], 6);
    }
  });

  it('every row renormalises to 1 on exactly the budgeted support', () => {
    const anchors = anchorsFrom(randomArray(n * dh, 14), dh, 5);
    for (const b of [1, 3, 7, 13]) {
      const outs = {
        block: runBlock(q, k, v, n, dh, anchors, { keys: b }),
        topb: (() => {
          const o = new Float32Array(n * dh);
          topBHead(q, k, v, 0, n, dh, b, o, new Float64Array(n), new Float64Array(n), new Uint8Array(n));
          return o;
        })(),
      };
      for (const out of Object.values(outs)) {
        for (let i = 0; i < n; i++) {
          const row = Array.from(out.subarray(i * n, (i + 1) * n));
          expect(row.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 5);
          expect(row.filter((x) => x > 0).length).toBe(b);
          expect(row.every((x) => x >= 0)).toBe(true);
        }
      }
      // top-b keeps the b largest dense weights, and its kept weights are those renormalised.
      for (let i = 0; i < n; i++) {
        const dense = Array.from(oracle.subarray(i * n, (i + 1) * n));
        const kept = dense.map((_, j) => j).filter((j) => outs.topb[i * n + j] > 0);
        const thr = [...dense].sort((a, c) => c - a)[b - 1];
        for (const j of kept) expect(dense[j]).toBeGreaterThanOrEqual(thr - 1e-12);
        const mass = kept.reduce((s, j) => s + dense[j], 0);
        for (const j of kept) expect(outs.topb[i * n + j]).toBeCloseTo(dense[j] / mass, 5);
      }
    }
  });

  it('block-sparse keeps whole clusters in centroid-score order, the last one cut to a prefix of its block', () => {
    const anchors = anchorsFrom(randomArray(n * dh, 15), dh, 4);
    const clusters = clusterKeys(k, 0, n, dh, anchors);
    const out = runBlock(q, k, v, n, dh, anchors, { keys: 9 });
    for (let i = 0; i < n; i++) {
      // Expected clusters: rank by g_C = q·μ_C + log|C| (centroid of the cluster's keys), fill 9 keys.
      const score: Array<[number, number]> = [];
      for (let c = 0; c < 4; c++) {
        const size = clusters.offsets[c + 1] - clusters.offsets[c];
        if (size === 0) continue;
        let g = 0;
        for (let t = 0; t < dh; t++) {
          let mu = 0;
          for (let p = clusters.offsets[c]; p < clusters.offsets[c + 1]; p++) mu += k[clusters.order[p] * dh + t];
          g += (q[i * dh + t] * mu) / size;
        }
        score.push([c, g + Math.log(size)]);
      }
      score.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      let left = 9;
      const expected = new Map<number, number>();
      for (const [c] of score) {
        if (left === 0) break;
        const take = Math.min(left, clusters.offsets[c + 1] - clusters.offsets[c]);
        expected.set(c, take);
        left -= take;
      }
      for (let c = 0; c < 4; c++) {
        let kept = 0;
        for (let p = clusters.offsets[c]; p < clusters.offsets[c + 1]; p++) if (out[i * n + clusters.order[p]] > 0) kept++;
        expect(kept).toBe(expected.get(c) ?? 0);
      }
      // Positions (in cluster order) of the kept keys form at most one partial cluster, as a prefix.
      let partial = 0;
      for (let c = 0; c < 4; c++) {
        const pos = [];
        for (let p = clusters.offsets[c]; p < clusters.offsets[c + 1]; p++) pos.push(out[i * n + clusters.order[p]] > 0);
        const keptCount = pos.filter(Boolean).length;
        if (keptCount > 0 && keptCount < pos.length) {
          partial++;
          expect(pos.slice(0, keptCount).every(Boolean)).toBe(true);
        }
      }
      expect(partial).toBeLessThanOrEqual(1);
    }
  });

  it('Lemma 2 holds on every probed row: ‖y − ỹ‖ ≤ 4Bδ when δ ≤ ½', () => {
    const N = 33;
    const D = 8;
    const qq = randomArray(3 * 2 * N * D, 21);
    const kk = randomArray(3 * 2 * N * D, 22);
    const vv = randomArray(3 * 2 * N * D, 23);
    const anchors = [[anchorsFrom(randomArray(N * D, 24), D, 5), anchorsFrom(randomArray(N * D, 25), D, 5)]];
    const probe = createProbe(1, 10_000);
    const stats = [emptyStats()];
    attentionKernel({ kind: 'block-sparse', budget: { keys: 8 }, anchors }, stats, probe)(0, qq, kk, vv, { b: 3, h: 2, n: N, dh: D });
    expect(probe.delta.length).toBe(3 * 2 * N);
    let checked = 0;
    probe.delta.forEach((delta, r) => {
      if (delta <= 0.5) {
        checked++;
        expect(probe.error[r]).toBeLessThanOrEqual(probe.bound[r] + 1e-6);
      }
    });
    expect(checked).toBeGreaterThan(0);
    expect(stats[0].activeKeys).toBe(3 * 2 * N * 8);
    expect(stats[0].clusterHeads).toBe(6);
  });

  it('layer kernel treats images and heads independently and matches per-head dense', () => {
    const N = 10;
    const D = 4;
    const qq = randomArray(2 * 3 * N * D, 31);
    const kk = randomArray(2 * 3 * N * D, 32);
    const vv = randomArray(2 * 3 * N * D, 33);
    const out = attentionKernel({ kind: 'dense' })(0, qq, kk, vv, { b: 2, h: 3, n: N, dh: D });
    const one = new Float32Array(qq.length);
    for (let g = 0; g < 6; g++) denseHead(qq, kk, vv, g * N * D, N, D, one, new Float64Array(N));
    expect(out).toEqual(one);
  });
});

describe('magnitude pruning (Table 19 analogue)', () => {
  const N = 20;
  const D = 6;
  const q = randomArray(2 * 2 * N * D, 41, 0.8);
  const k = randomArray(2 * 2 * N * D, 42, 0.8);
  const v = randomArray(2 * 2 * N * D, 43);
  const dims = { b: 2, h: 2, n: N, dh: D };
  const anchors = [[anchorsFrom(randomArray(N * D, 44), D, 4), anchorsFrom(randomArray(N * D, 45), D, 4)]];

  it('τ = 0 leaves dense and block-sparse outputs as they are', () => {
    const dense = attentionKernel({ kind: 'dense' })(0, q, k, v, dims);
    const pruned = attentionKernel({ kind: 'dense', prune: { tau: [0] } }, undefined, undefined, () => {})(0, q, k, v, dims);
    for (let i = 0; i < dense.length; i++) expect(pruned[i]).toBeCloseTo(dense[i], 6);
    const bs = { kind: 'block-sparse' as const, budget: { keys: 7 }, anchors };
    const block = attentionKernel(bs)(0, q, k, v, dims);
    const blockSink = attentionKernel({ ...bs, prune: { tau: [0] } }, undefined, undefined, () => {})(0, q, k, v, dims);
    for (let i = 0; i < block.length; i++) expect(blockSink[i]).toBeCloseTo(block[i], 6);
  });

  it('drops exactly the weights below τ (never the largest), renormalises, and counts what it kept', () => {
    const n = 24;
    const qq = randomArray(n * n, 51, 0.5);
    const kk = randomArray(n * n, 52, 0.5);
    const oracle = denseWeights(qq, kk, n, n);
    const tau = 0.05;
    const stats = [emptyStats()];
    const out = attentionKernel({ kind: 'dense', prune: { tau: [tau] } }, stats)(0, qq, kk, identityValues(n), { b: 1, h: 1, n, dh: n });
    let kept = 0;
    let small = 0;
    for (let i = 0; i < n; i++) {
      const row = oracle.subarray(i * n, (i + 1) * n);
      const max = Math.max(...row);
      const keep = Array.from(row, (w) => w >= tau || w === max);
      const mass = Array.from(row).reduce((s, w, j) => s + (keep[j] ? w : 0), 0);
      let sum = 0;
      for (let j = 0; j < n; j++) {
        const expected = keep[j] ? row[j] / mass : 0;
        expect(out[i * n + j]).toBeCloseTo(expected, 6);
        sum += out[i * n + j];
        if (expected < 0.01) small++;
      }
      expect(sum).toBeCloseTo(1, 5);
      kept += keep.filter(Boolean).length;
    }
    expect(stats[0].activeKeys).toBe(kept);
    expect(stats[0].small).toBe(small);
    expect(stats[0].entries).toBe(n * n);
    // A τ above every weight keeps one key per row: the largest.
    const one = [emptyStats()];
    attentionKernel({ kind: 'dense', prune: { tau: [2] } }, one)(0, qq, kk, identityValues(n), { b: 1, h: 1, n, dh: n });
    expect(one[0].activeKeys).toBe(n);
  });

  it('on block-sparse, prunes inside the kept clusters only', () => {
    const bs = { kind: 'block-sparse' as const, budget: { keys: 9 }, anchors };
    const base = attentionKernel(bs)(0, q, k, v, dims);
    const stats = [emptyStats()];
    attentionKernel({ ...bs, prune: { tau: [0.2] } }, stats)(0, q, k, v, dims);
    expect(stats[0].rows).toBe(2 * 2 * N);
    expect(stats[0].activeKeys).toBeLessThan(2 * 2 * N * 9);
    expect(stats[0].activeKeys).toBeGreaterThanOrEqual(2 * 2 * N);
    expect(base.length).toBe(q.length);
  });

  it('thresholds calibrated on a pass reach the target sparsity on that same pass', () => {
    const collector = new WeightCollector(1, 2 * 2 * N * N);
    attentionKernel({ kind: 'dense' }, undefined, undefined, collector.sink)(0, q, k, v, dims);
    expect(collector.count(0)).toBe(2 * 2 * N * N);
    const targets = [0, 0.5, 0.8];
    const taus = collector.thresholds(targets);
    taus.forEach(([tau], t) => {
      const stats = [emptyStats()];
      attentionKernel({ kind: 'dense', prune: { tau: [tau] } }, stats)(0, q, k, v, dims);
      const dropped = 1 - stats[0].activeKeys / stats[0].entries;
      // At most the target is dropped (ties and the always-kept maximum can only keep more).
      expect(dropped).toBeLessThanOrEqual(targets[t] + 1e-9);
      expect(dropped).toBeGreaterThanOrEqual(targets[t] - 0.05);
    });
    expect(() => collector.thresholds([1])).toThrow(/target sparsity/);
  });
});

describe('FLOPs and rollout', () => {
  it('counts dense attention as 4n²d and block-sparse as 4nkd + nd + 4nbd', () => {
    expect(headFlops('dense', 65, 16)).toBe(4 * 65 * 65 * 16);
    expect(headFlops('top-b', 65, 16, 17)).toBe(2 * 65 * 65 * 16 + 2 * 65 * 17 * 16);
    expect(headFlops('block-sparse', 65, 16, 17, 8)).toBe(4 * 65 * 8 * 16 + 65 * 16 + 4 * 65 * 17 * 16);
  });

  it('rollout equals the product of the residual-mixed, renormalised, head-averaged layers', () => {
    const n = 5;
    const heads = 2;
    const rng = createRng(7);
    const layers = [0, 1, 2].map(() => {
      const a = new Float64Array(heads * n * n);
      for (let h = 0; h < heads; h++) {
        for (let i = 0; i < n; i++) {
          let z = 0;
          for (let j = 0; j < n; j++) z += a[h * n * n + i * n + j] = rng.next();
          for (let j = 0; j < n; j++) a[h * n * n + i * n + j] /= z;
        }
      }
      return a;
    });
    const mix = (a: Float64Array) => {
      const m = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => 0.5 * ((a[i * n + j] + a[n * n + i * n + j]) / 2) + (i === j ? 0.5 : 0)));
      return m.map((row) => row.map((x) => x / row.reduce((s, y) => s + y, 0)));
    };
    const mul = (a: number[][], b: number[][]) => a.map((row) => b[0].map((_, j) => row.reduce((s, x, m) => s + x * b[m][j], 0)));
    const r = mul(mix(layers[2]), mul(mix(layers[1]), mix(layers[0])));
    const got = rollout(layers, heads, n);
    for (let j = 1; j < n; j++) expect(got[j - 1]).toBeCloseTo(r[0][j], 12);
  });
});
