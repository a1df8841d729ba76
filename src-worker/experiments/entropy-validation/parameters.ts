/**
 * What the three parts of `entropy-validation` share: the point sets, the surrogate parameters chosen on a set
 * (anchors, planes, rectangle cuts), the structural-entropy bound, and the direct evaluation of a fitted state.
 */
import type { EntropyValidationConfig, PointSetFamily } from './config';
import { generatePointSet } from './point-sets';
import { kDefault, kElbow, kMeans } from '../../entropy/anchors';
import type { Rng } from '../../entropy/random';
import { convexHull } from '../../geometry/hull/index';
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
import { structuralTriangulationBound } from '../../entropy/structural';
import { hDiffDirect, hRectDirect, hSoftDirect, type RectParams64 } from '../../entropy/surrogates';
import type { SurrogateFamily } from '../../entropy/fit';
import { canonicalPlanes, quantileCuts } from '../../entropy/separators';

export const LN2 = Math.log(2);

/** How far the run is, over all three parts: `step` counts units of work, `report` sends progress. */
export interface WorkProgress {
  step(): void;
  report(message: string): void;
}

export function hullArea(points: Float64Array): number {
  const hull = convexHull(points);
  let a = 0;
  for (let t = 0; t < hull.length; t++) {
    const i = hull[t];
    const j = hull[(t + 1) % hull.length];
    a += points[2 * i] * points[2 * j + 1] - points[2 * j] * points[2 * i + 1];
  }
  return Math.abs(a) / 2;
}

export interface Parameters {
  anchors: Float64Array;
  k: number;
  planes: Float64Array;
  rect: RectParams64;
}

export function chooseParameters(points: Float64Array, config: EntropyValidationConfig, rng: Rng): Parameters {
  const n = points.length / 2;
  let k: number;
  if (config.k === 'elbow') k = kElbow(points, Math.min(config.kMax, n), rng).k;
  else if (config.k === 'default') k = kDefault(n);
  else k = Math.min(config.k, n);
  const anchors = kMeans(points, k, rng, 2, config.lloydIterations, config.anchorInit).centers;
  return { anchors, k, planes: canonicalPlanes(points, config.m), rect: quantileCuts(points, config.rectCuts) };
}

/** Triangulation upper bound in bits, or NaN when the hull is over the configured limit. */
export function structuralBits(points: Float64Array, maxHull: number): { bits: number; h: number } {
  const h = convexHull(points).length;
  if (h > maxHull) return { bits: NaN, h };
  return { bits: structuralTriangulationBound(points, { maxHullSize: maxHull }).bits, h };
}

export interface FamilyState {
  surrogateNats: number;
  hardNats: number;
  margin: number;
  marginP5: number;
  bound: BoundResult;
  boundP5: BoundResult;
}

/** Direct (Float64) evaluation of a fitted state of one surrogate family. */
export function evaluateState(
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

export interface GeneratedSet {
  index: number;
  family: PointSetFamily;
  variant: number;
  n: number;
  points: Float64Array;
}

export function fitInit(family: SurrogateFamily, points: Float64Array, params: Parameters, config: EntropyValidationConfig, opts: {
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

export function fitSetsFor(config: EntropyValidationConfig, n: number, rng: Rng): GeneratedSet[] {
  const variant = Math.floor((config.variants - 1) / 2);
  return config.families.map((family, index) => ({ index, family, variant, n, points: generatePointSet(family, variant, n, rng) }));
}
