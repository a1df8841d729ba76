import { describe, expect, it } from 'vitest';
import {
  anchorEffectiveTau,
  anchorMargins,
  empiricalMargin,
  nearestAnchorLabels,
  partitionEntropyNats,
  partitionMasses,
  planeEffectiveTau,
  planeMargins,
  rectLabels,
  rectMargins,
  robustMargin,
  signPatternLabels,
  theorem1Bound,
  theorem4Bound,
} from '../../../../src-worker/entropy/margin';
import { createRng } from '../../../../src-worker/entropy/random';
import { rectParamsFromCuts } from '../../../../src-worker/entropy/surrogates';

describe('hard partitions', () => {
  it('nearest anchor, sign pattern and grid cell agree with hand-computed cases', () => {
    const pts = Float64Array.of(0, 0, 1, 0.2, 0.9, 0.9, -1, 2);
    expect(Array.from(nearestAnchorLabels(pts, Float64Array.of(0, 0, 1, 1)))).toEqual([0, 1, 1, 0]);
    // planes: x − 0.5 ≥ 0 (bit 0), y − 0.5 ≥ 0 (bit 1)
    expect(Array.from(signPatternLabels(pts, Float64Array.of(1, 0, 0.5, 0, 1, 0.5)))).toEqual([0, 1, 3, 2]);
    const params = rectParamsFromCuts(Float64Array.of(0.5, 1.5, 0.5, 1.5), 2, 2);
    expect(Array.from(rectLabels(pts, params))).toEqual([0, 1, 4, 6]);
  });

  it('partition entropy in nats: uniform over k cells is ln k, one cell is 0', () => {
    expect(partitionEntropyNats(Uint32Array.of(0, 1, 2, 3, 0, 1, 2, 3))).toBeCloseTo(Math.log(4), 14);
    expect(partitionEntropyNats(Uint32Array.of(5, 5, 5))).toBe(0);
    const q = partitionMasses(Uint32Array.of(0, 0, 1, 3), 4);
    expect(Array.from(q)).toEqual([0.5, 0.25, 0, 0.25]);
  });
});

describe('margins', () => {
  it('plane margin is the normalised distance |wᵀx − b| / ‖w‖', () => {
    const m = planeMargins(Float64Array.of(3, 4, 0, 0), Float64Array.of(3, 4, 0, 0, 2, 1));
    // point (3,4): |25|/5 = 5 to plane 1, |8 − 1|/2 = 3.5 to plane 2; point (0,0): 0 and 0.5.
    expect(m[0]).toBeCloseTo(3.5, 14);
    expect(m[1]).toBe(0);
  });

  it('anchor margin equals the distance to the nearest Voronoi bisector (brute force along the segment)', () => {
    const rng = createRng(5);
    const pts = new Float64Array(200).map(() => rng.next());
    const anchors = new Float64Array(10).map(() => rng.next());
    const margins = anchorMargins(pts, anchors);
    const labels = nearestAnchorLabels(pts, anchors);
    for (let i = 0; i < 100; i++) {
      // Walking from x towards each direction: the first point that changes label is at distance ≥ margin,
      // and along the direction normal to the binding bisector it is at distance = margin.
      let smallest = Infinity;
      for (let b = 0; b < 5; b++) {
        if (b === labels[i]) continue;
        const a = labels[i];
        const nx = anchors[2 * b] - anchors[2 * a];
        const ny = anchors[2 * b + 1] - anchors[2 * a + 1];
        const len = Math.hypot(nx, ny);
        const mx = (anchors[2 * a] + anchors[2 * b]) / 2;
        const my = (anchors[2 * a + 1] + anchors[2 * b + 1]) / 2;
        const dist = ((mx - pts[2 * i]) * nx + (my - pts[2 * i + 1]) * ny) / len;
        smallest = Math.min(smallest, dist);
      }
      expect(margins[i]).toBeCloseTo(smallest, 12);
      expect(margins[i]).toBeGreaterThanOrEqual(0);
    }
  });

  it('rect margin is the distance to the nearest cut; γ̂ is the minimum; robust margin the 5th percentile', () => {
    const params = rectParamsFromCuts(Float64Array.of(0.5, 0.25), 2, 1);
    expect(Array.from(rectMargins(Float64Array.of(0.6, 0.9, 0.1, 0.3), params)).map((v) => +v.toFixed(12))).toEqual([0.1, 0.05]);
    const margins = Float64Array.from({ length: 101 }, (_, i) => i / 100);
    expect(empiricalMargin(margins)).toBe(0);
    expect(robustMargin(margins)).toBeCloseTo(0.05, 14);
    expect(robustMargin(margins, 0.5)).toBeCloseTo(0.5, 14);
  });

  it('effective temperatures convert τ to distance units', () => {
    expect(planeEffectiveTau(Float64Array.of(3, 4, 1, 0, 2, 0), 0.1)).toBeCloseTo(0.05, 14);
    expect(anchorEffectiveTau(Float64Array.of(0, 0, 2, 0, 0, 5), 10)).toBeCloseTo(1 / 40, 14);
  });
});

describe('bounds', () => {
  it('Theorem 1 evaluates the printed formula with the stated constants', () => {
    const r = theorem1Bound({ gamma: 0.4, tau: 0.05, n: 10_000, m: 6, K: 64 });
    const x = Math.exp(-0.4 / 0.2) + Math.sqrt((2 * Math.log(6) + Math.log(128 / 0.05)) / 10_000);
    expect(r.deviation).toBeCloseTo(x, 14);
    expect(r.valueNats).toBeCloseTo(x * Math.log(64 / x), 14);
    expect(r.constants).toEqual({ c: 1, delta: 0.05, d: 2 });
    expect(r.tauCondition).toBe(true);
    expect(r.informative).toBe(true);
    const c2 = theorem1Bound({ gamma: 0.4, tau: 0.05, n: 10_000, m: 6, K: 64, c: 2, delta: 0.01 });
    expect(c2.constants).toEqual({ c: 2, delta: 0.01, d: 2 });
    expect(c2.sampleTerm).toBeGreaterThan(r.sampleTerm);
  });

  it('the smoothing term decays with the margin; tiny margins make the bound uninformative', () => {
    const values = [0.01, 0.1, 0.5, 1].map((g) => theorem1Bound({ gamma: g, tau: 0.05, n: 1e6, m: 4, K: 16 }).smoothTerm);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThan(values[i - 1]);
    const small = theorem1Bound({ gamma: 0, tau: 0.05, n: 100, m: 4, K: 16 });
    expect(small.informative).toBe(false);
    expect(small.tauCondition).toBe(false);
  });

  it('Theorem 4 includes the 1/(4τ) Rademacher factor and the √(ln(2/δ)/2n) term', () => {
    const r = theorem4Bound({ gamma: 0.2, tau: 0.1, n: 4000, m: 3, K: 8 });
    const rad = (1 / 0.4) * Math.sqrt((2 * Math.log(3)) / 4000);
    expect(r.sampleTerm).toBeCloseTo(2 * rad + Math.sqrt(Math.log(40) / 8000), 14);
    expect(r.theorem).toBe('Theorem 4');
  });
});
