import { describe, expect, it } from 'vitest';
import { entropyReport } from '../../../../src-worker/entropy/report';
import { createRng } from '../../../../src-worker/entropy/random';
import { hDiffDirect, hSoftDirect } from '../../../../src-worker/entropy/surrogates';
import { structuralTriangulationBound } from '../../../../src-worker/entropy/structural';

describe('entropyReport (what `der entropy` prints)', () => {
  const rng = createRng(4);
  const points = new Float64Array(600).map(() => rng.next());

  it('with given anchors / planes equals the direct evaluation and is deterministic', () => {
    const anchors = Float64Array.of(0.2, 0.2, 0.8, 0.3, 0.5, 0.9);
    const a = entropyReport(points, { anchors, alpha: 7, structural: true });
    expect(a.hdiff_nats).toBe(hDiffDirect(points, anchors, 7));
    expect(a.structural_bits).toBe(structuralTriangulationBound(points).bits);
    expect(a.h).toBe(structuralTriangulationBound(points).h);
    expect(entropyReport(points, { anchors, alpha: 7, structural: true })).toEqual(a);
    const planes = Float64Array.of(1, 0, 0.5, 0, 1, 0.4);
    const b = entropyReport(points, { surrogate: 'hsoft', planes, tau: 0.1 });
    expect(b.hsoft_nats).toBe(hSoftDirect(points, planes, 0.1));
    expect(b.hard_nats).toBeGreaterThan(0);
    expect(b.margin).toBeGreaterThanOrEqual(0);
    expect(b).not.toHaveProperty('structural_bits');
  });

  it('derives parameters from the seed when none are given', () => {
    const r1 = entropyReport(points, { k: 5, seed: 3 });
    const r2 = entropyReport(points, { k: 5, seed: 3 });
    expect(r1).toEqual(r2);
    expect(r1.k).toBe(5);
    expect(entropyReport(points, { surrogate: 'rect' }).hrect_nats).toBeGreaterThan(0);
  });
});
