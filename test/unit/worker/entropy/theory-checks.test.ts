import { describe, expect, it } from 'vitest';
import {
  anchorGradientDerived,
  anchorGradientFiniteDifference,
  anchorGradientPaper,
  cosine,
  relativeError,
} from '../../../../src-worker/entropy/anchor-gradient';
import { adversarialMasses, minimalCover, paperCoverBound, validCoverBound } from '../../../../src-worker/entropy/mass-cover';
import { createRng } from '../../../../src-worker/entropy/random';

describe('E.2 anchor gradient of H_diff', () => {
  const rng = createRng(7);
  const points = Float64Array.from({ length: 100 }, () => rng.next());
  const anchors = Float64Array.from({ length: 8 }, () => rng.next());
  const fd = anchorGradientFiniteDifference(points, anchors, 3);
  it('the derived closed form matches central finite differences', () => {
    expect(relativeError(anchorGradientDerived(points, anchors, 3), fd)).toBeLessThan(1e-6);
  });
  it('the printed formula does not (I25)', () => {
    const paper = anchorGradientPaper(points, anchors, 3);
    expect(relativeError(paper, fd)).toBeGreaterThan(0.1);
    expect(cosine(paper, fd)).toBeLessThan(0.99);
  });
});

describe('Proposition 1 mass cover', () => {
  it('the exact cover counts the largest masses', () => {
    expect(minimalCover([0.5, 0.3, 0.2], 0.25)).toBe(2);
    expect(minimalCover([0.25, 0.25, 0.25, 0.25], 0.1)).toBe(4);
  });
  it('the catalogue counterexample breaks the printed bound and keeps the valid one (I24)', () => {
    const p = adversarialMasses(0.8, 1_000_000);
    expect(minimalCover(p, 0.1)).toBe(500_001);
    expect(paperCoverBound(p, 0.1)).toBe(262);
    expect(minimalCover(p, 0.1)).toBeLessThanOrEqual(validCoverBound(p, 0.1));
  });
});
