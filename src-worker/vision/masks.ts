/**
 * Masks against ground truth (F.4, Table 18; issue 6 item 4): patch-level truth from exact pixel masks,
 * binarisation rules for a per-patch saliency map, IoU, and mean ± 95% CI summaries.
 *
 * A binarisation rule is data, stored with the run, so any IoU can be recomputed from the stored maps:
 *   { kind: 'object-area' }    keep the top ⌈a·P⌉ patches, a = the object's pixel area fraction (default)
 *   { kind: 'fraction', keep } keep the top ⌈keep·P⌉ patches (e.g. 0.25: "75% sparsity")
 * Ties are broken by the lower patch index, so a rule gives one answer for one map.
 */
import { summarize } from '../geometry/timing';

export type MaskRule = { kind: 'object-area' } | { kind: 'fraction'; keep: number };

export function describeRule(rule: MaskRule): string {
  return rule.kind === 'object-area' ? 'top-k% patches, k% = object pixel area' : `top ${Math.round(rule.keep * 100)}% patches`;
}

/**
 * Patch ground truth of one image: patch (py, px) is object iff the object covers at least half of its
 * pixels (issue 6 item 4). mask: [size, size] 0/1 starting at `offset`; result [(size/patch)²], row-major.
 */
export function patchTruth(mask: ArrayLike<number>, size: number, patch: number, offset = 0): Uint8Array {
  const g = size / patch;
  const out = new Uint8Array(g * g);
  const half = (patch * patch) / 2;
  for (let py = 0; py < g; py++) {
    for (let px = 0; px < g; px++) {
      let s = 0;
      for (let dy = 0; dy < patch; dy++) {
        const row = offset + (py * patch + dy) * size + px * patch;
        for (let dx = 0; dx < patch; dx++) s += mask[row + dx];
      }
      out[py * g + px] = s >= half ? 1 : 0;
    }
  }
  return out;
}

/** Number of patches a rule keeps for an image of object area fraction `area` among `patches` patches. */
export function keepCount(rule: MaskRule, patches: number, area: number): number {
  const frac = rule.kind === 'object-area' ? area : rule.keep;
  return Math.min(patches, Math.max(1, Math.ceil(frac * patches - 1e-9)));
}

/** 1 for the `keep` largest entries of `scores` (ties → lower index), else 0. */
export function topKMask(scores: ArrayLike<number>, keep: number): Uint8Array {
  const n = scores.length;
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => scores[b] - scores[a] || a - b);
  const out = new Uint8Array(n);
  for (let i = 0; i < Math.min(keep, n); i++) out[idx[i]] = 1;
  return out;
}

export function binarize(scores: ArrayLike<number>, rule: MaskRule, area: number): Uint8Array {
  return topKMask(scores, keepCount(rule, scores.length, area));
}

/** |A ∩ B| / |A ∪ B| of two 0/1 masks; 1 when both are empty. */
export function iou(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`iou: lengths differ (${a.length} vs ${b.length})`);
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] !== 0;
    const y = b[i] !== 0;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return union === 0 ? 1 : inter / union;
}

export interface MeanCI {
  mean: number;
  /** Student-t 95% interval [lo, hi] (the workbench's one convention, as summaries, claims and the view read it); null when n < 2. */
  ci95: [number, number] | null;
  n: number;
}

/** mean and [mean ∓ t(0.975, n−1)·sd/√n]. */
export function meanCI(values: ArrayLike<number>): MeanCI {
  const s = summarize(values);
  return { mean: s.mean, ci95: s.n >= 2 ? [s.ci95[0], s.ci95[1]] : null, n: s.n };
}
