/**
 * The heavy half of `entropy-validation` (workers only). Three parts, each optional except (a):
 *
 * (a) Surrogate vs truth (Fig. 4 / App. E.3). For every family × variant × n (set index s = metric step):
 *     anchors by k-means (k by the elbow rule unless fixed), m canonical planes (directions θ_t = πt/m through
 *     the median projection), r quantile cuts per axis; H_diff, H_soft, H_rect (tfjs, nats), the hard
 *     partition entropies of the same parameters (nats), and the structural-entropy UPPER BOUNDS (best hull
 *     triangulation, upper-hull slabs; bits, and the triangulation bound also in nats). Least-squares line and
 *     R² of each surrogate (y, nats) against the triangulation bound (x, nats) across sets.
 * (b) Margin vs error (Fig. 2). One set per family at n = fit.n; the chosen surrogate is minimised by Adam over
 *     its parameters and a bounded displacement of the points (fit.ts). Every `logEvery` steps: γ̂ and its 5th
 *     percentile, H_surrogate, H_hard, H_struct(S′) (triangulation bound, converted to nats), the two errors,
 *     and the Theorem 1 bound at γ̂ with the effective temperature in distance units. Metric step = global
 *     logged-step counter; `fit/set` and `fit/iter` say where it came from.
 * (c) Estimators (Table 15). The same sets, each surrogate family fitted the same way; start/end values,
 *     structural-entropy drop (bits) and hull-area change (%) as proxies — the paper's speedup column needs
 *     the timed pipeline (geometry-timing), not this run.
 *
 * Values are evaluated with the Float64 direct formulas for the logs (the tfjs float32 value of part (a) is
 * logged too, and the largest tfjs − direct gap goes into the summary as a self-check).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ExperimentContext, ExperimentRun } from '../types';
import type { EntropyValidationConfig, PointSetFamily } from './config';
import { generatePointSet, variantLabel } from './point-sets';
import { initBackend } from '../../models/backend';
import { alphaCosine, kDefault, kElbow, kMeans } from '../../entropy/anchors';
import { createRng, type Rng } from '../../entropy/random';
import { localConvexHull } from '../../entropy/local-hull';
import {
  anchorEffectiveTau,
  anchorMargins,
  empiricalMargin,
  nearestAnchorLabels,
  partitionEntropyNats,
  planeEffectiveTau,
  planeMargins,
  rectLabels,
  rectMargins,
  robustMargin,
  signPatternLabels,
  theorem1Bound,
  type BoundResult,
} from '../../entropy/margin';
import { structuralSlabBound, structuralTriangulationBound } from '../../entropy/structural';
import {
  hDiff,
  hDiffDirect,
  hRect,
  hRectDirect,
  hSoft,
  hSoftDirect,
  pointsTensor,
  rectParamsTensors,
  type RectParams64,
} from '../../entropy/surrogates';
import { SurrogateFitter, type SurrogateFamily } from '../../entropy/fit';
import { canonicalPlanes, quantileCuts } from '../../entropy/separators';
import type { ClaimLink } from '../../shared/claim-link';
import { entropyValidationClaims } from './claims';
import { linearFit, spearman, type LinearFit } from '../../shared/stats';

const LN2 = Math.log(2);

function checkCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new Error('cancelled');
}

/** Let IPC messages (cancel) in between units of work. */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function hullArea(points: Float64Array): number {
  const hull = localConvexHull(points);
  let a = 0;
  for (let t = 0; t < hull.length; t++) {
    const i = hull[t];
    const j = hull[(t + 1) % hull.length];
    a += points[2 * i] * points[2 * j + 1] - points[2 * j] * points[2 * i + 1];
  }
  return Math.abs(a) / 2;
}

interface Parameters {
  anchors: Float64Array;
  k: number;
  planes: Float64Array;
  rect: RectParams64;
}

function chooseParameters(points: Float64Array, config: EntropyValidationConfig, rng: Rng): Parameters {
  const n = points.length / 2;
  let k: number;
  if (config.k === 'elbow') k = kElbow(points, Math.min(config.kMax, n), rng).k;
  else if (config.k === 'default') k = kDefault(n);
  else k = Math.min(config.k, n);
  const anchors = kMeans(points, k, rng, 2, config.lloydIterations, config.anchorInit).centers;
  return { anchors, k, planes: canonicalPlanes(points, config.m), rect: quantileCuts(points, config.rectCuts) };
}

/** Triangulation upper bound in bits, or NaN when the hull is over the configured limit. */
function structuralBits(points: Float64Array, maxHull: number): { bits: number; h: number } {
  const h = localConvexHull(points).length;
  if (h > maxHull) return { bits: NaN, h };
  return { bits: structuralTriangulationBound(points, { maxHullSize: maxHull }).bits, h };
}

interface FamilyState {
  surrogateNats: number;
  hardNats: number;
  margin: number;
  marginP5: number;
  bound: BoundResult;
  boundP5: BoundResult;
}

/** Direct (Float64) evaluation of a fitted state of one surrogate family. */
function evaluateState(
  family: SurrogateFamily,
  points: Float64Array,
  snap: { anchors?: Float64Array; planes?: Float64Array; rect?: RectParams64 },
  alpha: number,
  config: EntropyValidationConfig,
): FamilyState {
  const n = points.length / 2;
  let surrogate: number;
  let hard: number;
  let margins: Float64Array;
  let tauEff: number;
  let mStar: number;
  let K: number;
  if (family === 'ball') {
    const anchors = snap.anchors!;
    const k = anchors.length / 2;
    surrogate = hDiffDirect(points, anchors, alpha);
    hard = partitionEntropyNats(nearestAnchorLabels(points, anchors));
    margins = anchorMargins(points, anchors);
    tauEff = anchorEffectiveTau(anchors, alpha);
    mStar = Math.max(1, (k * (k - 1)) / 2);
    K = k;
  } else if (family === 'halfspace') {
    const planes = snap.planes!;
    surrogate = hSoftDirect(points, planes, config.tau);
    hard = partitionEntropyNats(signPatternLabels(points, planes));
    margins = planeMargins(points, planes);
    tauEff = planeEffectiveTau(planes, config.tau);
    mStar = planes.length / 3;
    K = 2 ** mStar;
  } else {
    const rect = snap.rect!;
    surrogate = hRectDirect(points, rect, config.tau);
    hard = partitionEntropyNats(rectLabels(points, rect));
    margins = rectMargins(points, rect);
    tauEff = config.tau;
    mStar = rect.d * rect.r;
    K = (rect.r + 1) ** rect.d;
  }
  const margin = empiricalMargin(margins);
  const marginP5 = robustMargin(margins);
  const boundAt = (gamma: number): BoundResult =>
    theorem1Bound({ gamma, tau: tauEff, n, m: mStar, K, d: 2, delta: config.boundDelta, c: config.boundC });
  return { surrogateNats: surrogate, hardNats: hard, margin, marginP5, bound: boundAt(margin), boundP5: boundAt(marginP5) };
}

interface GeneratedSet {
  index: number;
  family: PointSetFamily;
  variant: number;
  n: number;
  points: Float64Array;
}

function fitInit(family: SurrogateFamily, points: Float64Array, params: Parameters, config: EntropyValidationConfig, opts: {
  learningRate: number;
  sigma: number;
  lambda: number;
  mu: number;
}) {
  return {
    family,
    points,
    anchors: family === 'ball' ? params.anchors : undefined,
    planes: family === 'halfspace' ? params.planes : undefined,
    rect: family === 'rect' ? params.rect : undefined,
    alpha: config.alpha,
    tau: config.tau,
    ...opts,
  };
}

function fitSetsFor(config: EntropyValidationConfig, n: number, rng: Rng): GeneratedSet[] {
  const variant = Math.floor((config.variants - 1) / 2);
  return config.families.map((family, index) => ({ index, family, variant, n, points: generatePointSet(family, variant, n, rng) }));
}

export const run: ExperimentRun<EntropyValidationConfig> = async (config, ctx: ExperimentContext) => {
  const started = performance.now();
  const info = await initBackend(config.backend === 'auto' ? undefined : config.backend);
  ctx.backend(info.name, { ...info });
  const rng = createRng(config.seed);

  const sets: GeneratedSet[] = [];
  for (const family of config.families) {
    for (let variant = 0; variant < config.variants; variant++) {
      for (const n of config.sizes) sets.push({ index: sets.length, family, variant, n, points: generatePointSet(family, variant, n, rng) });
    }
  }
  const fitSets = config.fit.enabled ? fitSetsFor(config, config.fit.n, rng) : [];
  const estSets = config.estimators.enabled ? fitSetsFor(config, config.estimators.n, rng) : [];
  const totalWork =
    sets.length + fitSets.length * config.fit.steps + estSets.length * config.estimators.families.length * config.estimators.steps;
  let done = 0;
  const progress = (message: string): void => ctx.progress(Math.min(1, done / Math.max(1, totalWork)), message);

  // ---------------------------------------------------------------- (a) surrogate vs truth
  const columns = {
    struct: [] as number[],
    hdiff: [] as number[],
    hsoft: [] as number[],
    hrect: [] as number[],
    hardAnchor: [] as number[],
    hardPlane: [] as number[],
    hardRect: [] as number[],
  };
  let maxTfjsGap = 0;
  const setsSummary: Array<Record<string, unknown>> = [];
  for (const set of sets) {
    checkCancelled(ctx.signal);
    await yieldToEvents();
    const { points, n } = set;
    const params = chooseParameters(points, config, rng);
    const [tfDiff, tfSoft, tfRect] = tf.tidy(() => {
      const x = pointsTensor(points);
      const w = tf.tensor2d(Float32Array.from(params.planes.filter((_, i) => i % 3 !== 2)), [config.m, 2]);
      const b = tf.tensor1d(Float32Array.from(params.planes.filter((_, i) => i % 3 === 2)));
      return [hDiff(x, pointsTensor(params.anchors), config.alpha), hSoft(x, w, b, config.tau), hRect(x, rectParamsTensors(params.rect), config.tau)];
    });
    const values = [(await tfDiff.data())[0], (await tfSoft.data())[0], (await tfRect.data())[0]];
    tf.dispose([tfDiff, tfSoft, tfRect]);
    const direct = [hDiffDirect(points, params.anchors, config.alpha), hSoftDirect(points, params.planes, config.tau), hRectDirect(points, params.rect, config.tau)];
    for (let i = 0; i < 3; i++) maxTfjsGap = Math.max(maxTfjsGap, Math.abs(values[i] - direct[i]));
    const hardAnchor = partitionEntropyNats(nearestAnchorLabels(points, params.anchors));
    const hardPlane = partitionEntropyNats(signPatternLabels(points, params.planes));
    const hardRect = partitionEntropyNats(rectLabels(points, params.rect));
    const tri = structuralBits(points, config.structuralMaxHull);
    const slab = structuralSlabBound(points);
    if (!Number.isFinite(tri.bits)) ctx.log(`set ${set.index} (${set.family}, n=${n}): hull of ${tri.h} vertices > structuralMaxHull; structural bound skipped`, 'warn');
    const s = set.index;
    ctx.metric('val/family_index', s, config.families.indexOf(set.family));
    ctx.metric('val/variant', s, set.variant);
    ctx.metric('val/n', s, n);
    ctx.metric('val/k', s, params.k);
    ctx.metric('val/h', s, tri.h);
    ctx.metric('val/hdiff_nats', s, values[0]);
    ctx.metric('val/hsoft_nats', s, values[1]);
    ctx.metric('val/hrect_nats', s, values[2]);
    ctx.metric('val/hard_anchor_nats', s, hardAnchor);
    ctx.metric('val/hard_plane_nats', s, hardPlane);
    ctx.metric('val/hard_rect_nats', s, hardRect);
    ctx.metric('val/struct_tri_bits', s, tri.bits);
    ctx.metric('val/struct_tri_nats', s, tri.bits * LN2);
    ctx.metric('val/struct_slab_bits', s, slab.bits);
    columns.struct.push(tri.bits * LN2);
    columns.hdiff.push(values[0]);
    columns.hsoft.push(values[1]);
    columns.hrect.push(values[2]);
    columns.hardAnchor.push(hardAnchor);
    columns.hardPlane.push(hardPlane);
    columns.hardRect.push(hardRect);
    setsSummary.push({
      index: s,
      family: set.family,
      variant: variantLabel(set.family, set.variant),
      n,
      k: params.k,
      h: tri.h,
      hdiff_nats: values[0],
      hsoft_nats: values[1],
      hrect_nats: values[2],
      struct_tri_bits: Number.isFinite(tri.bits) ? tri.bits : null,
      struct_slab_bits: slab.bits,
    });
    done++;
    progress(`set ${s + 1}/${sets.length}: ${set.family} (${variantLabel(set.family, set.variant)}), n = ${n}`);
  }
  const fits: Record<string, LinearFit> = {
    hdiff: linearFit(columns.struct, columns.hdiff),
    hsoft: linearFit(columns.struct, columns.hsoft),
    hrect: linearFit(columns.struct, columns.hrect),
    hard_anchor: linearFit(columns.struct, columns.hardAnchor),
    hard_plane: linearFit(columns.struct, columns.hardPlane),
    hard_rect: linearFit(columns.struct, columns.hardRect),
  };
  for (const [name, fit] of Object.entries(fits)) {
    ctx.metric(`val/fit_${name}_slope`, 0, fit.slope ?? NaN);
    ctx.metric(`val/fit_${name}_intercept`, 0, fit.intercept ?? NaN);
    ctx.metric(`val/fit_${name}_r2`, 0, fit.r2 ?? NaN);
  }
  ctx.log(`surrogate vs structural (nats): R² H_diff = ${fits.hdiff.r2?.toFixed(3)}, H_soft = ${fits.hsoft.r2?.toFixed(3)}, H_rect = ${fits.hrect.r2?.toFixed(3)}`);

  // ---------------------------------------------------------------- (b) margin vs error
  const fitSummary: Record<string, unknown> = { enabled: config.fit.enabled };
  let fitClaims: Record<string, ClaimLink> = {};
  if (config.fit.enabled) {
    const fc = config.fit;
    let logStep = 0;
    const margins: number[] = [];
    const errHard: number[] = [];
    const errStruct: number[] = [];
    const structTrace: number[] = [];
    const softTrace: number[] = [];
    const setTrace: number[] = [];
    let boundHolds = 0;
    let boundInformative = 0;
    const states: Array<Record<string, unknown>> = [];
    for (const set of fitSets) {
      checkCancelled(ctx.signal);
      const params = chooseParameters(set.points, config, rng);
      const fitter = new SurrogateFitter(fitInit(fc.family, set.points, params, config, fc));
      try {
        const initial = await fitter.snapshot();
        for (let iter = 0; iter <= fc.steps; iter++) {
          if (iter % fc.logEvery === 0 || iter === fc.steps) {
            checkCancelled(ctx.signal);
            await yieldToEvents();
            const snap = await fitter.snapshot();
            const st = evaluateState(fc.family, snap.points, snap, fitter.alpha, config);
            const struct = structuralBits(snap.points, config.structuralMaxHull).bits * LN2;
            const eh = Math.abs(st.hardNats - st.surrogateNats);
            const es = Math.abs(struct - st.surrogateNats);
            ctx.metric('fit/set', logStep, set.index);
            ctx.metric('fit/iter', logStep, iter);
            ctx.metric('fit/margin', logStep, st.margin);
            ctx.metric('fit/margin_p5', logStep, st.marginP5);
            ctx.metric('fit/h_soft_nats', logStep, st.surrogateNats);
            ctx.metric('fit/h_hard_nats', logStep, st.hardNats);
            ctx.metric('fit/struct_nats', logStep, struct);
            ctx.metric('fit/err_hard_soft_nats', logStep, eh);
            ctx.metric('fit/err_struct_soft_nats', logStep, es);
            ctx.metric('fit/bound', logStep, st.bound.valueNats);
            ctx.metric('fit/bound_p5', logStep, st.boundP5.valueNats);
            ctx.metric('fit/bound_informative', logStep, st.bound.informative ? 1 : 0);
            if (fc.family === 'ball') ctx.metric('fit/alpha', logStep, fitter.alpha);
            margins.push(st.margin);
            errHard.push(eh);
            errStruct.push(es);
            structTrace.push(struct);
            softTrace.push(st.surrogateNats);
            setTrace.push(set.index);
            if (eh <= st.bound.valueNats) boundHolds++;
            if (st.bound.informative) boundInformative++;
            logStep++;
            if (iter === fc.steps) {
              states.push({ set: set.index, family: set.family, surrogate: fc.family, before: initial, after: snap });
            }
          }
          if (iter === fc.steps) break;
          if (fc.family === 'ball') fitter.alpha = alphaCosine(iter, fc.steps, config.alpha, config.alphaEnd);
          fitter.step();
          done++;
          if (iter % 20 === 0) progress(`fit ${fc.family} on ${set.family}: step ${iter}/${fc.steps}`);
        }
      } finally {
        fitter.dispose();
      }
    }
    const acrossTraining = linearFit(structTrace, softTrace);
    Object.assign(fitSummary, {
      surrogate: fc.family,
      logged_steps: logStep,
      spearman_margin_vs_err_hard: spearman(margins, errHard),
      spearman_margin_vs_err_struct: spearman(margins, errStruct),
      bound_holds_fraction: logStep > 0 ? boundHolds / logStep : null,
      bound_informative_fraction: logStep > 0 ? boundInformative / logStep : null,
      struct_vs_surrogate_across_training: acrossTraining,
    });
    fitClaims = entropyValidationClaims({
      surrogate: fc.family,
      n: fc.n,
      trace: { struct: structTrace, surrogate: softTrace, set: setTrace },
      boundHeld: boundHolds,
      boundSteps: logStep,
      boundConstants: { c: config.boundC, delta: config.boundDelta },
    });
    ctx.metric('fit/r2_struct_vs_soft', 0, acrossTraining.r2 ?? NaN);
    ctx.artifact('fit-states.json', 'application/json', new TextEncoder().encode(JSON.stringify(states, replacer)), {
      kind: 'fit-states',
      surrogate: fc.family,
    });
  }

  // ---------------------------------------------------------------- (c) estimator comparison
  const estimatorSummary: Record<string, unknown> = { enabled: config.estimators.enabled };
  if (config.estimators.enabled) {
    const ec = config.estimators;
    const perFamily: Record<string, { structDrop: number[]; areaErr: number[]; err: number[]; margin: number[]; start: number[]; structStart: number[] }> = {};
    for (const set of estSets) {
      const params = chooseParameters(set.points, config, rng);
      const structStart = structuralBits(set.points, config.structuralMaxHull).bits;
      const areaStart = hullArea(set.points);
      for (const family of ec.families) {
        checkCancelled(ctx.signal);
        await yieldToEvents();
        const fitter = new SurrogateFitter(fitInit(family, set.points, params, config, ec));
        let startState: FamilyState;
        let endState: FamilyState;
        let moved: Float64Array;
        try {
          const first = await fitter.snapshot();
          startState = evaluateState(family, first.points, first, fitter.alpha, config);
          for (let iter = 0; iter < ec.steps; iter++) {
            if (family === 'ball') fitter.alpha = alphaCosine(iter, ec.steps, config.alpha, config.alphaEnd);
            fitter.step();
            done++;
            if (iter % 25 === 0) {
              checkCancelled(ctx.signal);
              await yieldToEvents();
              progress(`estimator ${family} on ${set.family}: step ${iter}/${ec.steps}`);
            }
          }
          const last = await fitter.snapshot();
          endState = evaluateState(family, last.points, last, fitter.alpha, config);
          moved = last.points;
        } finally {
          fitter.dispose();
        }
        const structEnd = structuralBits(moved, config.structuralMaxHull).bits;
        const areaErr = (100 * Math.abs(hullArea(moved) - areaStart)) / areaStart;
        const s = set.index;
        const key = (name: string): string => `est/${family}/${name}`;
        ctx.metric(key('surrogate_start_nats'), s, startState.surrogateNats);
        ctx.metric(key('surrogate_end_nats'), s, endState.surrogateNats);
        ctx.metric(key('hard_end_nats'), s, endState.hardNats);
        ctx.metric(key('err_hard_end_nats'), s, Math.abs(endState.hardNats - endState.surrogateNats));
        ctx.metric(key('margin_end'), s, endState.margin);
        ctx.metric(key('bound_end'), s, endState.bound.valueNats);
        ctx.metric(key('struct_start_bits'), s, structStart);
        ctx.metric(key('struct_end_bits'), s, structEnd);
        ctx.metric(key('struct_drop_bits'), s, structStart - structEnd);
        ctx.metric(key('hull_area_err_pct'), s, areaErr);
        const pf = (perFamily[family] ??= { structDrop: [], areaErr: [], err: [], margin: [], start: [], structStart: [] });
        pf.structDrop.push(structStart - structEnd);
        pf.areaErr.push(areaErr);
        pf.err.push(Math.abs(endState.hardNats - endState.surrogateNats));
        pf.margin.push(endState.margin);
        pf.start.push(startState.surrogateNats);
        pf.structStart.push(structStart * LN2);
      }
    }
    const mean = (v: number[]): number | null => {
      const f = v.filter(Number.isFinite);
      return f.length ? f.reduce((a, b) => a + b, 0) / f.length : null;
    };
    estimatorSummary.families = Object.fromEntries(
      Object.entries(perFamily).map(([family, v]) => [
        family,
        {
          mean_struct_drop_bits: mean(v.structDrop),
          mean_hull_area_err_pct: mean(v.areaErr),
          mean_err_hard_end_nats: mean(v.err),
          mean_margin_end: mean(v.margin),
          r2_start_vs_struct: linearFit(v.structStart, v.start).r2,
        },
      ]),
    );
    estimatorSummary.note =
      'Structural-entropy drop and hull-area change stand in for Table 15\'s speedup and hull error; speedups need the timed pipeline.';
  }

  ctx.progress(1, 'done');
  return {
    backend: info.name,
    sets: sets.length,
    units: { surrogates: 'nats', structural: 'bits (triangulation and slab upper bounds); *_nats columns converted with ln 2' },
    surrogate_vs_structural: fits,
    r2_hdiff: fits.hdiff.r2,
    r2_hsoft: fits.hsoft.r2,
    r2_hrect: fits.hrect.r2,
    max_tfjs_minus_direct_nats: maxTfjsGap,
    structural_bound: 'upper bounds: best triangulation of the hull polygon (convex hull), upper-hull slabs (upper hull)',
    bound_constants: { c: config.boundC, delta: config.boundDelta, note: 'Theorem 1 with τ converted to distance units' },
    fit: fitSummary,
    estimators: estimatorSummary,
    per_set: setsSummary,
    seconds: (performance.now() - started) / 1000,
    // The cross-sectional R² above is not the paper's E.3 quantity (across training): see ./claims.ts.
    claims: fitClaims,
  };
};

function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Float64Array || value instanceof Float32Array) return Array.from(value, (v) => Math.round(v * 1e6) / 1e6);
  return value;
}
