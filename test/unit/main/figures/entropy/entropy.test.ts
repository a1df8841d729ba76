import type { EChartsOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { renderSvg } from '../../../../../src-main/cli/figure';
import type { MetricSeries } from '../../../../../src-main/api/contract';
import {
  alphaAfterFit,
  cellCount,
  clipLineToBox,
  entropySummary,
  estimatorSetsOption,
  fitStateFigure,
  hardCells,
  joinByStep,
  marginErrorOption,
  marginErrorRows,
  membershipEntropyNats,
  memberships,
  parseFitStates,
  r2Sentence,
  squareBox,
  surrogateFit,
  surrogateTruthOption,
  type EntropySet,
  type FitState,
} from '../../../../../src-main/figures/entropy';
import { countDataPoints } from '../../../../../src-main/figures';
import type { ColorBar } from '../../../../../src-main/figures/color-bar';
import { linearFit } from '../../../../../src-worker/shared/stats';
import { rng } from '../../../../../src-worker/shared/random';
import { alphaCosine } from '../../../../../src-worker/entropy/anchors';
import { nearestAnchorLabels, rectLabels, signPatternLabels } from '../../../../../src-worker/entropy/margin';
import { anchorMassesDirect, rectCellMassesDirect, rectParamsFromCuts, softCellMassesDirect } from '../../../../../src-worker/entropy/surrogates';


function randomPoints(n: number, seed = 1): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: 2 * n }, () => r());
}

const series = (key: string, pts: Array<[number, number | null]>): MetricSeries => ({ key, downsampled: false, points: pts.map(([step, value]) => ({ step, value })) });

/** A summary shaped as entropy-validation writes it (JSON from the store). */
function summaryFixture(): Record<string, unknown> {
  const per_set = [0, 1, 2, 3, 4, 5].map((i) => ({
    index: i,
    family: ['clusters', 'clusters', 'uniform', 'uniform', 'convex', 'convex'][i],
    variant: 'v',
    n: 128,
    k: 3,
    h: 10 + i,
    hdiff_nats: 0.5 + 0.3 * i + (i % 2 ? 0.05 : -0.05),
    hsoft_nats: 2 + 0.1 * i,
    hrect_nats: 2.2,
    struct_tri_bits: i === 5 ? null : 1 + 0.5 * i,
    struct_slab_bits: 1 + 0.4 * i,
  }));
  return {
    backend: 'cpu',
    surrogate_vs_structural: { hdiff: { slope: 0.5, intercept: 0.1, r2: 0.32, points: 5 }, hsoft: { slope: null, intercept: null, r2: null, points: 1 } },
    r2_hdiff: 0.32,
    per_set,
    fit: {
      enabled: true,
      surrogate: 'halfspace',
      logged_steps: 4,
      spearman_margin_vs_err_hard: -0.83,
      spearman_margin_vs_err_struct: -0.59,
      bound_holds_fraction: 1,
      bound_informative_fraction: 0.35,
    },
    estimators: {
      enabled: true,
      families: {
        ball: { mean_struct_drop_bits: 0.06, mean_hull_area_err_pct: 2.1, mean_err_hard_end_nats: 0.02, mean_margin_end: 0.22, r2_start_vs_struct: 0.4 },
        rect: { mean_struct_drop_bits: null, mean_hull_area_err_pct: 1.8, mean_err_hard_end_nats: 0.05, mean_margin_end: 0.09, r2_start_vs_struct: 0.04 },
      },
      note: 'speedups need the timed pipeline.',
    },
    bound_constants: { c: 1, delta: 0.05, note: 'Theorem 1 with τ converted to distance units' },
  };
}

describe('entropySummary', () => {
  it('reads fits, per-set rows, the fit part, constants and the estimator rows with the paper values', () => {
    const s = entropySummary(summaryFixture());
    expect(s.fits.hdiff).toEqual({ slope: 0.5, intercept: 0.1, r2: 0.32, points: 5 });
    expect(s.fits.hsoft.r2).toBeNull();
    expect(s.sets).toHaveLength(6);
    expect(s.sets[5].structTriBits).toBeNull();
    expect(s.sets[2]).toMatchObject({ index: 2, family: 'uniform', h: 12, structTriBits: 2 });
    expect(s.fit).toEqual({ surrogate: 'halfspace', loggedSteps: 4, spearmanHard: -0.83, spearmanStruct: -0.59, boundHoldsFraction: 1, boundInformativeFraction: 0.35 });
    expect(s.boundConstants).toEqual({ c: 1, delta: 0.05, note: 'Theorem 1 with τ converted to distance units' });
    expect(s.estimators.map((r) => r.family)).toEqual(['ball', 'rect']);
    expect(s.estimators[0].paper?.speedup).toBe(4.14);
    expect(s.estimators[1].meanStructDropBits).toBeNull();
    expect(s.estimatorNote).toMatch(/timed pipeline/);
    expect(s.backend).toBe('cpu');
  });

  it('gives empty parts for a missing, partial or malformed summary', () => {
    for (const bad of [null, undefined, {}, { per_set: 'x', fit: { enabled: false }, estimators: { enabled: false }, surrogate_vs_structural: 3 }]) {
      const s = entropySummary(bad as Record<string, unknown> | null);
      expect(s.sets).toEqual([]);
      expect(s.fit).toBeNull();
      expect(s.estimators).toEqual([]);
      expect(s.fits).toEqual({});
    }
    expect(entropySummary({ per_set: [null, { family: 'x' }, { index: 0 }] }).sets).toHaveLength(1);
  });
});

describe('marginErrorRows and marginErrorOption (Fig. 2)', () => {
  const metrics: MetricSeries[] = [
    series('fit/margin', [[0, 0.01], [1, 0.05], [2, 0.2], [3, 0], [4, null]]),
    series('fit/margin_p5', [[0, 0.02], [1, 0.06], [2, 0.25], [3, 0.01], [4, 0.3]]),
    series('fit/err_hard_soft_nats', [[0, 1.2], [1, 0.3], [2, 0.01], [3, 2]]),
    series('fit/err_struct_soft_nats', [[0, 0.5], [2, 0.4], [3, 0.6], [4, 0.7]]),
    series('fit/bound', [[0, 4], [1, 3], [2, 2], [3, 5]]),
    series('fit/bound_p5', [[0, 3.5], [1, 2.5], [2, 1.5], [3, 4.5], [4, 1]]),
    series('fit/set', [[0, 0], [1, 0], [2, 1], [3, 1], [4, 1]]),
    series('fit/iter', [[0, 0], [1, 5], [2, 0], [3, 5], [4, 10]]),
  ];

  it('joins the series by step and keeps only steps with a margin', () => {
    expect(joinByStep(metrics, ['fit/margin', 'fit/err_struct_soft_nats']).get(1)).toEqual([0.05, null]);
    const rows = marginErrorRows(metrics);
    expect(rows.map((r) => r.step)).toEqual([0, 1, 2, 3]);
    expect(rows[1]).toEqual({ step: 1, margin: 0.05, errHard: 0.3, errStruct: null, bound: 3, set: 0, iter: 5 });
    const robust = marginErrorRows(metrics, { robust: true });
    expect(robust.map((r) => r.step)).toEqual([0, 1, 2, 3, 4]);
    expect(robust[4]).toMatchObject({ margin: 0.3, bound: 1, errHard: null, errStruct: 0.7 });
  });

  const opts = {
    surrogate: 'halfspace',
    spearmanHard: -0.83,
    spearmanStruct: -0.59,
    spearmanSource: 'run summary',
    constants: { c: 1, delta: 0.05, note: 'τ in distance units' },
    boundHoldsFraction: 1,
    boundInformativeFraction: 0.35,
  };

  it('draws both errors coloured by step, one bound line per set, and states ρ and the constants', () => {
    const option = marginErrorOption(marginErrorRows(metrics), { ...opts, setLabel: (s) => ['clusters', 'uniform'][s] });
    const s = option.series as Array<{ type: string; name: string; data: number[][] }>;
    expect(s.map((x) => x.type)).toEqual(['scatter', 'scatter', 'line', 'line', 'custom']);
    expect(s[0].name).toBe('|H_hard − H_soft|');
    expect(s[1].name).toBe('|H_struct − H_soft|');
    expect(s[0].data).toEqual([[0.01, 1.2, 0, 0, 0], [0.05, 0.3, 1, 5, 0], [0.2, 0.01, 2, 0, 1], [0, 2, 3, 5, 1]]);
    expect(s[1].data).toHaveLength(3);
    expect(s[2].data).toEqual([[0.01, 4, 0], [0.05, 3, 1]]);
    expect(s[3].data).toEqual([[0.2, 2, 2], [0, 5, 3]]);
    // Points are coloured by step (dimension 2) on the bar's scale, from its first stop at step 0 to its last at 3.
    const bar = (s[4] as unknown as { colorBar: ColorBar }).colorBar;
    expect(bar).toMatchObject({ min: 0, max: 3 });
    const colorOf = (i: number, d: number[]) => ((s[i] as unknown as { itemStyle: { color: (p: { value: number[] }) => string } }).itemStyle.color)({ value: d });
    expect(colorOf(0, s[0].data[0])).toBe(bar.stops[0]);
    expect(colorOf(1, s[0].data[3])).toBe(bar.stops[bar.stops.length - 1]);
    const sub = (option.title as { subtext: string }).subtext;
    expect(sub).toContain('−0.830');
    expect(sub).toContain('−0.590');
    expect(sub).toContain('c = 1, δ = 0.05');
    expect(sub).toContain('ρ: run summary');
    expect(sub).toContain('holds at 100%');
    expect((option.title as { text: string }).text).toContain('Fig. 2');
  });

  it('colours by fit iteration on request, drops what a log axis cannot place, and can hide the structural error', () => {
    const option = marginErrorOption(marginErrorRows(metrics), { ...opts, colorBy: 'iter', logX: true, logY: true, showStruct: false });
    const s = option.series as Array<{ type: string; data: number[][] }>;
    expect(s.map((x) => x.type)).toEqual(['scatter', 'line', 'line', 'custom']);
    expect(s[0].data.map((d) => d[2])).toEqual([0, 1, 2]);
    // Coloured by the fit iteration (dimension 3): same iteration, same colour, whatever the step.
    const bar = (s[3] as unknown as { colorBar: ColorBar }).colorBar;
    const colorOf = (d: number[]) => ((s[0] as unknown as { itemStyle: { color: (p: { value: number[] }) => string } }).itemStyle.color)({ value: d });
    expect(bar.text[0]).toMatch(/^iter /);
    expect(colorOf([0, 0, 0, bar.max])).toBe(bar.stops[bar.stops.length - 1]);
    expect(colorOf([0, 0, bar.max, bar.min])).toBe(bar.stops[0]);
    expect((option.xAxis as { type: string }).type).toBe('log');
    expect((option.title as { subtext: string }).subtext).toMatch(/1 step with γ̂ ≤ 0 not on the log axis/);
    expect((option.title as { subtext: string }).subtext).not.toContain('H_struct');
  });

  it('renders headless to an SVG with the points and the bound', () => {
    const svg = renderSvg(marginErrorOption(marginErrorRows(metrics), opts));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toMatch(/<path|<circle/);
    expect(renderSvg(marginErrorOption([], { ...opts, constants: null, spearmanHard: null, spearmanStruct: null }))).toContain('<svg');
  });
});

describe('surrogateTruthOption (Fig. 4)', () => {
  const sets = entropySummary(summaryFixture()).sets;

  it('plots bits against nats per family with the run’s line redrawn in bits, and says the measured R²', () => {
    const fit = { slope: 0.5, intercept: 0.1, r2: 0.32, points: 5 };
    const option = surrogateTruthOption(sets, { surrogate: 'hdiff', fit, fitSource: 'run summary' });
    const s = option.series as Array<{ type: string; name: string; data: number[][] }>;
    expect(s.map((x) => x.name)).toEqual(['clusters', 'uniform', 'convex', 'least squares']);
    expect(s[2].data).toHaveLength(1);
    expect(countDataPoints({ series: s.slice(0, 3) } as EChartsOption)).toBe(5);
    for (const [x, y] of s[3].data) expect(y).toBeCloseTo(0.5 * Math.LN2 * x + 0.1, 12);
    expect((option.title as { text: string }).text).toBe('H_diff vs structural entropy (Fig. 4)\nR² measured here: 0.320 (the paper claims 0.96)');
    expect((option.title as { subtext: string }).subtext).toMatch(/1 set without a bound \(hull over structuralMaxHull\) not shown/);
    expect((option.title as { subtext: string }).subtext).toMatch(/UPPER BOUND/);
  });

  it('the line in bits is the least-squares line of the plotted points (R² does not depend on the unit)', () => {
    const fitNats = surrogateFit(sets, 'hdiff');
    const fitBits = linearFit(
      sets.map((s) => s.structTriBits ?? NaN),
      sets.map((s) => s.hdiffNats ?? NaN),
    );
    expect(fitNats.slope! * Math.LN2).toBeCloseTo(fitBits.slope!, 12);
    expect(fitNats.intercept!).toBeCloseTo(fitBits.intercept!, 12);
    expect(fitNats.r2!).toBeCloseTo(fitBits.r2!, 12);
  });

  it('says whose R² the paper claims, draws no line without a fit, and renders headless', () => {
    expect(r2Sentence(0.5, 'hsoft')).toBe("R² measured here: 0.500 (the paper's 0.96 is for H_diff)");
    expect(r2Sentence(null, 'hdiff')).toBe('R² measured here: not available (the paper claims 0.96)');
    const noLine = surrogateTruthOption(sets, { surrogate: 'hsoft', fit: null, fitSource: '' });
    expect((noLine.series as Array<{ type: string }>).every((s) => s.type === 'scatter')).toBe(true);
    expect(renderSvg(surrogateTruthOption(sets, { surrogate: 'hdiff', fit: surrogateFit(sets, 'hdiff'), fitSource: 'view' }))).toMatch(/<path|<circle/);
    expect(renderSvg(surrogateTruthOption([] as EntropySet[], { surrogate: 'hrect', fit: null, fitSource: '' }))).toContain('<svg');
  });
});

describe('fit states: soft assignment, hard cells and the overlay', () => {
  const points = randomPoints(300, 3);
  const anchors = Float64Array.from([0.2, 0.2, 0.8, 0.3, 0.5, 0.8, 0.1, 0.9]);
  const planes = Float64Array.from([1, 0, 0.5, 0, 1, 0.4, 0.7071, 0.7071, 0.8]);
  const cuts = [0.3, 0.6, 0.2, 0.7];
  const rect = rectParamsFromCuts(cuts, 2, 2);
  const snapOf = (over: Partial<FitState['before']>): FitState['before'] => ({ points, surrogateNats: null, anchors: null, planes: null, rect: null, ...over });

  it('parses the artifact (flat arrays as JSON) and skips what it cannot read', () => {
    const json = JSON.parse(
      JSON.stringify([
        { set: 2, family: 'uniform', surrogate: 'halfspace', before: { points: [0, 0, 1, 1], surrogateNats: 1, planes: [1, 0, 0.5] }, after: { points: [0, 0, 1, 1], surrogateNats: 0.5, planes: [1, 0, 0.4] } },
        { set: 3, family: 'convex', surrogate: 'rect', before: { points: [0, 0], rect: { d: 2, r: 2, start: [0, 0], gaps: [0.1, 0.2] } }, after: { points: [0, 0], rect: { d: 2, r: 2, start: [0, 0], gaps: [0.1, 0.2] } } },
        { set: 4, surrogate: 'nope', before: {}, after: {} },
        { set: 5, surrogate: 'ball', before: { points: 'x' }, after: { points: [] } },
        null,
      ]),
    );
    const states = parseFitStates(json);
    expect(states.map((s) => s.set)).toEqual([2, 3]);
    expect(Array.from(states[0].after.planes!)).toEqual([1, 0, 0.4]);
    expect(states[1].before.rect?.r).toBe(2);
    expect(parseFitStates({})).toEqual([]);
  });

  it('memberships sum to 1 per point and their means equal the direct formulas of Eqs. 2, 4–6 and H.4', () => {
    const cases = [
      { family: 'ball' as const, snap: snapOf({ anchors }), masses: anchorMassesDirect(points, anchors, 7) },
      { family: 'halfspace' as const, snap: snapOf({ planes }), masses: softCellMassesDirect(points, planes, 0.05) },
      { family: 'rect' as const, snap: snapOf({ rect }), masses: rectCellMassesDirect(points, rect, 0.05) },
    ];
    for (const c of cases) {
      const m = memberships(c.snap, c.family, { alpha: 7, tau: 0.05 })!;
      expect(m.cells).toBe(cellCount(c.snap, c.family));
      expect(m.cells).toBe(c.masses.length);
      for (let i = 0; i < m.n; i++) {
        let s = 0;
        for (let j = 0; j < m.cells; j++) s += m.p[i * m.cells + j];
        expect(s).toBeCloseTo(1, 12);
      }
      let h = 0;
      for (let j = 0; j < m.cells; j++) {
        let q = 0;
        for (let i = 0; i < m.n; i++) q += m.p[i * m.cells + j];
        expect(q / m.n).toBeCloseTo(c.masses[j], 12);
        if (c.masses[j] > 0) h -= c.masses[j] * Math.log(c.masses[j]);
      }
      expect(membershipEntropyNats(m)).toBeCloseTo(h, 10);
    }
    expect(memberships(snapOf({}), 'ball', { alpha: 1, tau: 1 })).toBeNull();
  });

  it('hard cells equal the run’s nearest-anchor, sign-pattern and grid labels', () => {
    expect(Array.from(hardCells(snapOf({ anchors }), 'ball')!)).toEqual(Array.from(nearestAnchorLabels(points, anchors)));
    expect(Array.from(hardCells(snapOf({ planes }), 'halfspace')!)).toEqual(Array.from(signPatternLabels(points, planes)));
    expect(Array.from(hardCells(snapOf({ rect }), 'rect')!)).toEqual(Array.from(rectLabels(points, rect)));
  });

  it('the α of the "after" snapshot is the cosine schedule at the last step', () => {
    for (const steps of [1, 2, 3, 10, 60, 400]) expect(alphaAfterFit(steps, 10, 5)).toBeCloseTo(alphaCosine(steps - 1, steps, 10, 5), 12);
  });

  it('clips a line to the box: both ends on the boundary and on the line, null when it misses', () => {
    const box = { x0: -1, y0: -2, x1: 3, y1: 1 };
    const r = rng(11);
    for (let t = 0; t < 200; t++) {
      const w1 = r() * 2 - 1;
      const w2 = r() * 2 - 1;
      const b = r() * 6 - 3;
      const seg = clipLineToBox(w1, w2, b, box);
      // Oracle: the line meets the box iff the corners are not all strictly on one side.
      const sides = [[box.x0, box.y0], [box.x1, box.y0], [box.x0, box.y1], [box.x1, box.y1]].map(([x, y]) => w1 * x + w2 * y - b);
      const meets = Math.min(...sides) <= 0 && Math.max(...sides) >= 0;
      expect(seg !== null).toBe(meets);
      if (!seg) continue;
      const scale = Math.hypot(w1, w2);
      for (const [x, y] of [[seg[0], seg[1]], [seg[2], seg[3]]]) {
        expect(Math.abs(w1 * x + w2 * y - b) / scale).toBeLessThan(1e-9);
        expect(x).toBeGreaterThanOrEqual(box.x0 - 1e-9);
        expect(x).toBeLessThanOrEqual(box.x1 + 1e-9);
        expect(y).toBeGreaterThanOrEqual(box.y0 - 1e-9);
        expect(y).toBeLessThanOrEqual(box.y1 + 1e-9);
        const onEdge = Math.min(Math.abs(x - box.x0), Math.abs(x - box.x1), Math.abs(y - box.y0), Math.abs(y - box.y1));
        expect(onEdge).toBeLessThan(1e-9);
      }
    }
    expect(clipLineToBox(1, 0, 0.5, { x0: 0, y0: 0, x1: 1, y1: 1 })).toEqual([0.5, 0, 0.5, 1]);
    expect(clipLineToBox(0, 0, 1, box)).toBeNull();
  });

  const state = (surrogate: FitState['surrogate'], over: Partial<FitState['before']>): FitState => ({
    set: 1,
    family: 'uniform',
    surrogate,
    before: snapOf(over),
    after: snapOf({ ...over, surrogateNats: 0.9 }),
  });

  it('draws planes as clipped lines, anchors as diamonds and cuts as axis lines, points coloured by soft assignment', () => {
    const box = squareBox([snapOf({})]);
    const planesFig = fitStateFigure(state('halfspace', { planes }), 'after', { alpha: 10, tau: 0.05, box });
    const ps = planesFig.option.series as Array<{ type: string; name: string; data: unknown[] }>;
    expect(ps[0].name).toBe('points');
    expect(ps[0].data).toHaveLength(300);
    expect(ps.filter((s) => s.name === 'planes')).toHaveLength(3);
    expect(planesFig.colorMode).toBe('soft');
    expect(planesFig.recomputedNats!).toBeCloseTo(membershipEntropyNats(memberships(snapOf({ planes }), 'halfspace', { alpha: 10, tau: 0.05 })!), 12);
    expect((planesFig.option.title as { subtext: string }).subtext).toMatch(/soft assignment/);
    expect((planesFig.option.title as { subtext: string }).subtext).toContain('0.9000 nats (run)');

    const ballFig = fitStateFigure(state('ball', { anchors }), 'before', { alpha: 10, tau: 0.05, colorMode: 'hard' });
    const bs = ballFig.option.series as Array<{ name: string; symbol?: string; data: Array<{ itemStyle: { color: string } }> }>;
    expect(bs[1]).toMatchObject({ name: 'anchors', symbol: 'diamond' });
    expect(bs[1].data).toHaveLength(4);
    expect(ballFig.colorMode).toBe('hard');
    expect((ballFig.option.title as { subtext: string }).subtext).toMatch(/nearest anchor/);
    // Hard colouring gives every point its anchor's colour.
    const labels = nearestAnchorLabels(points, anchors);
    expect(bs[0].data.every((d, i) => d.itemStyle.color === bs[1].data[labels[i]].itemStyle.color)).toBe(true);

    const rectFig = fitStateFigure(state('rect', { rect }), 'after', { alpha: 10, tau: 0.05 });
    const rs = rectFig.option.series as Array<{ name: string; data: number[][] }>;
    const lines = rs.filter((s) => s.name === 'cuts');
    expect(lines).toHaveLength(4);
    expect(lines[0].data[0][0]).toBeCloseTo(0.3, 12);
    expect(lines[0].data[1][0]).toBeCloseTo(0.3, 12);
    expect(lines[3].data[0][1]).toBeCloseTo(0.7, 12);

    for (const fig of [planesFig, ballFig, rectFig]) expect(renderSvg(fig.option, 520, 460)).toMatch(/<path|<circle/);
  });

  it('the box holds the points and the anchors near them; a runaway anchor is counted as outside instead', () => {
    const near = Float64Array.from([1.8, 1.9, 0.5, 0.5]);
    const far = Float64Array.from([40, 0, 0.5, 0.5]);
    const box = squareBox([snapOf({ anchors: near })]);
    expect(box.x1 - box.x0).toBeCloseTo(box.y1 - box.y0, 12);
    expect(box.x1).toBeGreaterThan(1.8);
    expect(box.y1).toBeGreaterThan(1.9);
    for (let i = 0; i < points.length; i += 2) expect(points[i] >= box.x0 && points[i] <= box.x1 && points[i + 1] >= box.y0 && points[i + 1] <= box.y1).toBe(true);
    const farBox = squareBox([snapOf({ anchors: far })]);
    expect(farBox.x1).toBeLessThan(1.2);
    const fig = fitStateFigure(state('ball', { anchors: far }), 'after', { alpha: 10, tau: 0.05 });
    const anchorsShown = (fig.option.series as Array<{ name: string; data: unknown[] }>).find((x) => x.name === 'anchors')!;
    expect(anchorsShown.data).toHaveLength(1);
    expect((fig.option.title as { subtext: string }).subtext).toMatch(/1 anchor outside the plot/);
  });

  it('falls back to hard colouring, and says so, when the snapshot lacks what the soft assignment needs', () => {
    const s = state('halfspace', { planes: null });
    const fig = fitStateFigure(s, 'after', { alpha: 10, tau: 0.05 });
    expect(fig.colorMode).toBe('hard');
    expect(fig.recomputedNats).toBeNull();
    expect(renderSvg(fig.option)).toContain('<svg');
  });
});

describe('estimatorSetsOption (Table 15 per set)', () => {
  it('draws one bar per estimator family for every set, and renders headless', () => {
    const metrics = [
      series('est/ball/struct_drop_bits', [[0, 0.1], [1, 0.2], [2, 0.05]]),
      series('est/rect/struct_drop_bits', [[0, 0.3], [2, null]]),
      series('est/halfspace/hull_area_err_pct', [[0, 1]]),
    ];
    const option = estimatorSetsOption(metrics, 'struct_drop_bits', { setLabel: (s) => ['clusters', 'mixture', 'uniform'][s] });
    const s = option.series as Array<{ type: string; name: string; data: Array<number | null> }>;
    expect(s.map((x) => x.name)).toEqual(['Ball-based (H_diff)', 'Axis-aligned rectangles (H_rect)']);
    expect(s[1].data).toEqual([0.3, null, null]);
    expect((option.xAxis as { data: string[] }).data).toEqual(['clusters', 'mixture', 'uniform']);
    expect(renderSvg(option)).toContain('<path');
  });
});
