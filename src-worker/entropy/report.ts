/**
 * One-shot exact (Float64) entropy report of a point set — what `der entropy` prints. Every
 * value comes from the direct evaluators, so with given anchors or planes the output is deterministic and
 * equals Eqs. 2–3 / 4–6 exactly; without them the parameters are derived from `seed` (anchors: k-means++ or
 * random-subset seeds, then `lloydIterations` Lloyd rounds, default 0; planes: `canonicalPlanes`; cuts:
 * `quantileCuts`).
 */
import { kDefault, kMeans } from './anchors';
import {
  anchorMargins,
  empiricalMargin,
  nearestAnchorLabels,
  partitionEntropyNats,
  planeMargins,
  rectLabels,
  rectMargins,
  signPatternLabels,
} from './margin';
import { createRng } from './random';
import { canonicalPlanes, quantileCuts } from './separators';
import { structuralTriangulationBound } from './structural';
import { hDiffDirect, hRectDirect, hSoftDirect } from './surrogates';

export interface EntropyReportOptions {
  surrogate?: 'hdiff' | 'hsoft' | 'rect';
  /** Anchors, flat [k·2]; otherwise `k` (default min(16, ⌊n/4⌋)) anchors from `init`. */
  anchors?: Float64Array;
  k?: number;
  init?: 'kmeans++' | 'random';
  lloydIterations?: number;
  alpha?: number;
  /** Planes, flat rows (w1, w2, b); otherwise `m` (default 6) canonical planes. */
  planes?: Float64Array;
  m?: number;
  tau?: number;
  /** Cuts per axis for the rectangle family (default 3). */
  rectCuts?: number;
  structural?: boolean;
  seed?: number;
}

export interface EntropyReport {
  hdiff_nats?: number;
  hsoft_nats?: number;
  hrect_nats?: number;
  /** Entropy of the hard partition of the same parameters (nearest anchor / sign pattern / grid cell). */
  hard_nats?: number;
  /** γ̂(S): smallest distance of a point to a separator (Voronoi bisector, plane or cut line). */
  margin?: number;
  /** Best-triangulation upper bound on the convex-hull structural entropy. */
  structural_bits?: number;
  structural_bound?: 'triangulation (upper bound)';
  h?: number;
  k?: number;
  m?: number;
}

export function entropyReport(points: Float64Array, options: EntropyReportOptions = {}): EntropyReport {
  const n = points.length / 2;
  const out: EntropyReport = {};
  const rng = createRng(options.seed ?? 42);
  const surrogate = options.surrogate ?? 'hdiff';
  if (surrogate === 'hdiff') {
    const alpha = options.alpha ?? 10;
    const anchors =
      options.anchors ??
      kMeans(points, Math.min(n, options.k ?? kDefault(n)), rng, 2, options.lloydIterations ?? 0, options.init ?? 'kmeans++').centers;
    out.hdiff_nats = hDiffDirect(points, anchors, alpha);
    out.hard_nats = partitionEntropyNats(nearestAnchorLabels(points, anchors));
    out.margin = empiricalMargin(anchorMargins(points, anchors));
    out.k = anchors.length / 2;
  } else if (surrogate === 'hsoft') {
    const tau = options.tau ?? 0.05;
    const planes = options.planes ?? canonicalPlanes(points, options.m ?? 6);
    out.hsoft_nats = hSoftDirect(points, planes, tau);
    out.hard_nats = partitionEntropyNats(signPatternLabels(points, planes));
    out.margin = empiricalMargin(planeMargins(points, planes));
    out.m = planes.length / 3;
  } else {
    const tau = options.tau ?? 0.05;
    const rect = quantileCuts(points, options.rectCuts ?? 3);
    out.hrect_nats = hRectDirect(points, rect, tau);
    out.hard_nats = partitionEntropyNats(rectLabels(points, rect));
    out.margin = empiricalMargin(rectMargins(points, rect));
  }
  if (options.structural) {
    const s = structuralTriangulationBound(points);
    out.structural_bits = s.bits;
    out.structural_bound = 'triangulation (upper bound)';
    out.h = s.h;
  }
  return out;
}
