/**
 * Attention masks against ground truth (F.4, Table 18): binarisation rules for a per-patch saliency map and
 * the IoU of two masks. One copy for the worker that scores a run and the view that rescores any layer/head.
 *
 * A binarisation rule is data, stored with the run, so any IoU can be recomputed from the stored maps:
 *   { kind: 'object-area' }    keep the top ⌈a·P⌉ patches, a = the object's pixel area fraction (default)
 *   { kind: 'fraction', keep } keep the top ⌈keep·P⌉ patches (e.g. 0.25: "75% sparsity")
 * Ties are broken by the lower patch index and non-finite scores rank last, so a rule gives one answer for
 * one map.
 */

export type MaskRule = { kind: 'object-area' } | { kind: 'fraction'; keep: number };

export function describeRule(rule: MaskRule): string {
  return rule.kind === 'object-area' ? 'top-k% patches, k% = object pixel area' : `top ${Math.round(rule.keep * 100)}% patches`;
}

/** How many patches a rule keeps: k% = the object's pixel area (object-area) or `keep`; at least 1, at most all. */
export function keepCount(rule: MaskRule, patches: number, objectArea: number): number {
  const frac = rule.kind === 'object-area' ? objectArea : rule.keep;
  if (!Number.isFinite(frac) || patches <= 0) return Math.max(0, Math.min(patches, 1));
  return Math.min(patches, Math.max(1, Math.ceil(frac * patches - 1e-9)));
}

/** 1 for the `keep` largest scores (ties → lower index), else 0. Non-finite scores (NaN, ±∞) rank last. */
export function topKMask(scores: ArrayLike<number>, keep: number): Uint8Array {
  const n = scores.length;
  const v = (i: number): number => (Number.isFinite(scores[i]) ? scores[i] : -Infinity);
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => v(b) - v(a) || a - b);
  const out = new Uint8Array(n);
  for (let i = 0; i < Math.min(keep, n); i++) out[idx[i]] = 1;
  return out;
}

/** The binary patch mask of an attention map under a rule. */
export function binarize(scores: ArrayLike<number>, rule: MaskRule, objectArea: number): Uint8Array {
  return topKMask(scores, keepCount(rule, scores.length, objectArea));
}

/** |A ∩ B| / |A ∪ B| of two masks (any non-zero is in); 1 when both are empty. */
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
