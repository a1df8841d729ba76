import { describe, expect, it } from 'vitest';
import {
  anchorMemberships,
  cellMasses,
  entropyNats,
  hDiffDirect,
  halfspaceMemberships,
  hRectDirect,
  hSoftDirect,
  rectCuts64,
  rectMemberships,
  rectParamsFromCuts,
} from '../../../../src-worker/shared/surrogates-direct';

const sigma = (u: number): number => 1 / (1 + Math.exp(-u));

describe('shared/surrogates-direct', () => {
  it('entropy of a distribution in nats, 0·log 0 = 0', () => {
    expect(entropyNats([0.5, 0.5])).toBeCloseTo(Math.LN2, 15);
    expect(entropyNats([1, 0, 0])).toBe(0);
    expect(entropyNats([0.25, 0.25, 0.25, 0.25])).toBeCloseTo(Math.log(4), 15);
  });

  it('Eq. 2 by hand: two anchors, one point, softmax of −α·d²', () => {
    // x = (0, 0), c1 = (1, 0), c2 = (0, 2): logits −α·1, −α·4
    const m = anchorMemberships([0, 0], [1, 0, 0, 2], 0.5);
    const e1 = Math.exp(-0.5);
    const e2 = Math.exp(-2);
    expect(m.p[0]).toBeCloseTo(e1 / (e1 + e2), 15);
    expect(m.p[1]).toBeCloseTo(e2 / (e1 + e2), 15);
  });

  it('H_diff tends to log k as α → 0 and to the hard-assignment entropy as α grows', () => {
    const pts = [0, 0, 0.1, 0, 1, 1, 1.1, 1, 0.9, 1];
    const anchors = [0, 0, 1, 1, 5, 5];
    expect(hDiffDirect(pts, anchors, 1e-12)).toBeCloseTo(Math.log(3), 9);
    // hard: 2 points at the first anchor, 3 at the second, none at the third
    expect(hDiffDirect(pts, anchors, 1e4)).toBeCloseTo(entropyNats([0.4, 0.6]), 9);
  });

  it('Eqs. 4–5 by hand: one plane gives the cells (1 − σ(u), σ(u)); two planes multiply', () => {
    const tau = 0.3;
    // plane x − 0.2 = 0 (w = (1, 0), b = 0.2); point (0.5, 0): u = 0.3 / τ = 1
    const one = halfspaceMemberships([0.5, 0], [1, 0, 0.2], tau);
    expect(one.p[0]).toBeCloseTo(1 - sigma(1), 15);
    expect(one.p[1]).toBeCloseTo(sigma(1), 15);
    // add y − 0.6 = 0: u₂ = −0.6/τ = −2; cell j has bit t = plane t
    const two = halfspaceMemberships([0.5, 0], [1, 0, 0.2, 0, 1, 0.6], tau);
    const h1 = sigma(1);
    const h2 = sigma(-2);
    expect(Array.from(two.p).map((v) => +v.toFixed(12))).toEqual([(1 - h1) * (1 - h2), h1 * (1 - h2), (1 - h1) * h2, h1 * h2].map((v) => +v.toFixed(12)));
    expect(hSoftDirect([0.5, 0], [1, 0, 0.2], tau)).toBeCloseTo(entropyNats([1 - h1, h1]), 14);
  });

  it('App. H.4 by hand: one cut per axis gives four cells, products of the per-axis interval memberships', () => {
    const tau = 0.5;
    const cuts = [0, 1]; // θ_x = 0, θ_y = 1
    const m = rectMemberships([0.5, 0.5], cuts, 1, tau);
    const sx = sigma(0.5 / tau);
    const sy = sigma(-0.5 / tau);
    // cell c = l_x + 2·l_y; interval 0 has μ = 1 − σ, interval 1 has μ = σ
    expect(m.p[0]).toBeCloseTo((1 - sx) * (1 - sy), 15);
    expect(m.p[1]).toBeCloseTo(sx * (1 - sy), 15);
    expect(m.p[2]).toBeCloseTo((1 - sx) * sy, 15);
    expect(m.p[3]).toBeCloseTo(sx * sy, 15);
    expect(hRectDirect([0.5, 0.5], rectParamsFromCuts(cuts, 2, 1), tau)).toBeCloseTo(entropyNats(m.p), 14);
  });

  it('cuts survive the softplus parameterisation, and unsorted cuts are refused', () => {
    const cuts = [-1, 0.25, 2, 0, 0.001, 40];
    const back = rectCuts64(rectParamsFromCuts(cuts, 2, 3));
    cuts.forEach((c, i) => expect(back[i]).toBeCloseTo(c, 9));
    expect(() => rectParamsFromCuts([1, 0], 1, 2)).toThrow(/increasing/);
  });

  it('memberships are distributions per point and their column means are the masses', () => {
    const pts = [0.1, 0.2, 0.7, 0.4, 0.5, 0.9, 0.3, 0.3];
    for (const m of [anchorMemberships(pts, [0, 0, 1, 1, 0.5, 0.5], 3), halfspaceMemberships(pts, [1, 1, 0.8, 1, -1, 0], 0.1), rectMemberships(pts, [0.3, 0.6, 0.2, 0.5], 2, 0.1)]) {
      for (let i = 0; i < m.n; i++) expect(m.p.subarray(i * m.cells, (i + 1) * m.cells).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(cellMasses(m).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
  });
});
