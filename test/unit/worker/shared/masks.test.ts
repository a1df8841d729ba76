import { describe, expect, it } from 'vitest';
import { binarize, describeRule, iou, keepCount, topKMask } from '../../../../src-worker/shared/masks';

/** Brute-force oracle: the indices of the `keep` largest finite scores, lower index first on ties, then the rest in index order. */
function topKOracle(scores: number[], keep: number): Set<number> {
  const finite = scores.map((s, i) => ({ s, i })).filter((p) => Number.isFinite(p.s));
  const rest = scores.map((s, i) => ({ s, i })).filter((p) => !Number.isFinite(p.s));
  const chosen = new Set<number>();
  while (chosen.size < Math.min(keep, scores.length)) {
    let best: { s: number; i: number } | null = null;
    for (const p of finite) if (!chosen.has(p.i) && (best === null || p.s > best.s)) best = p;
    if (best) chosen.add(best.i);
    else chosen.add(rest.find((p) => !chosen.has(p.i))!.i);
  }
  return chosen;
}

describe('shared/masks', () => {
  it('top-k agrees with a brute-force selection, with ties and NaN', () => {
    let state = 12345;
    const draw = (): number => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) % 7) - 3;
    for (let trial = 0; trial < 50; trial++) {
      const scores = Array.from({ length: 12 }, () => draw());
      if (trial % 3 === 0) scores[trial % 12] = NaN;
      const keep = trial % 13;
      const got = topKMask(scores, keep);
      const want = topKOracle(scores, keep);
      expect([...got].map((v, i) => (v ? i : -1)).filter((i) => i >= 0)).toEqual([...want].sort((a, b) => a - b));
    }
  });

  it('ranks NaN and ±∞ last, whatever their position', () => {
    expect([...topKMask([NaN, 1, 2, NaN], 2)]).toEqual([0, 1, 1, 0]);
    expect([...topKMask([Infinity, 0, -1], 1)]).toEqual([0, 1, 0]);
    expect([...topKMask([NaN, NaN], 1)]).toEqual([1, 0]);
  });

  it('keeps ⌈a·P⌉ patches for the object-area rule and ⌈keep·P⌉ for a fraction, at least one', () => {
    expect(keepCount({ kind: 'object-area' }, 16, 0.25)).toBe(4);
    expect(keepCount({ kind: 'object-area' }, 16, 0.26)).toBe(5);
    expect(keepCount({ kind: 'object-area' }, 16, 0)).toBe(1);
    expect(keepCount({ kind: 'object-area' }, 16, NaN)).toBe(1);
    expect(keepCount({ kind: 'fraction', keep: 0.25 }, 64, 0.9)).toBe(16);
    expect(binarize([0.1, 0.9, 0.5, 0.3], { kind: 'fraction', keep: 0.5 }, 0).reduce((a, b) => a + b, 0)).toBe(2);
    expect(describeRule({ kind: 'fraction', keep: 0.25 })).toBe('top 25% patches');
  });

  it('IoU is |A∩B|/|A∪B|, 1 for two empty masks, and refuses masks of different sizes', () => {
    expect(iou([1, 1, 0, 0], [0, 1, 1, 0])).toBeCloseTo(1 / 3, 12);
    expect(iou([0, 0], [0, 0])).toBe(1);
    expect(iou([2, 0], [1, 0])).toBe(1);
    expect(() => iou([1], [1, 0])).toThrow(RangeError);
  });
});
