/** The entropy-validation summary as the figures read it: constants of the paper, the per-set rows, the fit and estimator parts. */
import type { JsonObject } from '../../api/contract';
import type { LinearFit } from '../../../src-worker/shared/stats';
import { num, obj, str } from './look';

/** The paper's R² of H_diff against ground-truth H_R (Sec. 1, Sec. 3, App. E.3 / Fig. 4). */
export const PAPER_R2 = 0.96;

export type SurrogateKey = 'hdiff' | 'hsoft' | 'hrect';
export const SURROGATE_KEYS: readonly SurrogateKey[] = ['hdiff', 'hsoft', 'hrect'];
export const SURROGATE_LABEL: Record<SurrogateKey, string> = { hdiff: 'H_diff', hsoft: 'H_soft', hrect: 'H_rect' };

/** Estimator families of the fitter, and the surrogate each one minimises. */
export type EstimatorFamily = 'ball' | 'halfspace' | 'rect';
export const ESTIMATOR_FAMILIES: readonly EstimatorFamily[] = ['ball', 'halfspace', 'rect'];
const FAMILY_SURROGATE: Record<EstimatorFamily, string> = { ball: 'H_diff', halfspace: 'H_soft', rect: 'H_rect' };
export const FAMILY_LABEL: Record<EstimatorFamily, string> = {
  ball: 'Ball-based (H_diff)',
  halfspace: 'Halfspace-aware (H_soft)',
  rect: 'Axis-aligned rectangles (H_rect)',
};

/** The surrogate symbol of a fitted family ('halfspace' → 'H_soft'); the name itself when unknown. */
export function surrogateOfFamily(family: string | null | undefined): string {
  return family && family in FAMILY_SURROGATE ? FAMILY_SURROGATE[family as EstimatorFamily] : 'H_surrogate';
}

/** Table 15 of the paper, for reference beside our proxies: speedup and hull error % (mean ± sd). */
export const TABLE_15: Record<EstimatorFamily, { speedup: number; hullErrorPct: number; hullErrorPm: number; use: string }> = {
  ball: { speedup: 4.14, hullErrorPct: 0.11, hullErrorPm: 0.04, use: 'Universal geometric tasks' },
  halfspace: { speedup: 4.82, hullErrorPct: 0.09, hullErrorPm: 0.03, use: 'Convex hull, Voronoi' },
  rect: { speedup: 3.87, hullErrorPct: 0.13, hullErrorPm: 0.05, use: 'Range queries, kd-trees' },
};

// ────────────────────────────────────────────────────────────────────────────────────────── summary

export type { LinearFit };

/** One row of `summary.per_set` (or the same values read from the `val/*` metrics while the run goes on). */
export interface EntropySet {
  index: number;
  family: string;
  variant: string;
  n: number | null;
  k: number | null;
  h: number | null;
  hdiffNats: number | null;
  hsoftNats: number | null;
  hrectNats: number | null;
  /** Best-triangulation upper bound on the structural entropy, bits (null when the hull was too large). */
  structTriBits: number | null;
  structSlabBits: number | null;
}

export interface FitSummary {
  surrogate: string | null;
  loggedSteps: number | null;
  spearmanHard: number | null;
  spearmanStruct: number | null;
  boundHoldsFraction: number | null;
  boundInformativeFraction: number | null;
}

export interface BoundConstants {
  c: number | null;
  delta: number | null;
  note: string;
}

export interface EstimatorRow {
  family: string;
  label: string;
  meanStructDropBits: number | null;
  meanHullAreaErrPct: number | null;
  meanErrHardEndNats: number | null;
  meanMarginEnd: number | null;
  r2StartVsStruct: number | null;
  paper: (typeof TABLE_15)[EstimatorFamily] | null;
}

export interface EntropySummary {
  /** Least-squares fits of each surrogate / hard entropy (y, nats) against the triangulation bound (x, nats). */
  fits: Record<string, LinearFit>;
  sets: EntropySet[];
  /** Part (b); null when the run did not fit (or has not finished). */
  fit: FitSummary | null;
  boundConstants: BoundConstants | null;
  /** Part (c); empty when the run did not compare estimators. */
  estimators: EstimatorRow[];
  estimatorNote: string | null;
  backend: string | null;
}

function parseFit(v: unknown): LinearFit | null {
  const f = obj(v);
  if (!f) return null;
  return { slope: num(f.slope), intercept: num(f.intercept), r2: num(f.r2), points: num(f.points) ?? 0 };
}

/** The parts of an entropy-validation summary the figures use; empty parts where the summary has none. */
export function entropySummary(summary: JsonObject | null | undefined): EntropySummary {
  const s = summary ?? {};
  const fits: Record<string, LinearFit> = {};
  for (const [name, v] of Object.entries(obj(s.surrogate_vs_structural) ?? {})) {
    const f = parseFit(v);
    if (f) fits[name] = f;
  }
  const sets: EntropySet[] = [];
  if (Array.isArray(s.per_set)) {
    for (const item of s.per_set) {
      const r = obj(item);
      const index = r ? num(r.index) : null;
      if (!r || index === null) continue;
      sets.push({
        index,
        family: str(r.family, '?'),
        variant: str(r.variant),
        n: num(r.n),
        k: num(r.k),
        h: num(r.h),
        hdiffNats: num(r.hdiff_nats),
        hsoftNats: num(r.hsoft_nats),
        hrectNats: num(r.hrect_nats),
        structTriBits: num(r.struct_tri_bits),
        structSlabBits: num(r.struct_slab_bits),
      });
    }
  }
  const f = obj(s.fit);
  const fit: FitSummary | null =
    f && f.enabled !== false && (f.logged_steps !== undefined || f.surrogate !== undefined)
      ? {
          surrogate: typeof f.surrogate === 'string' ? f.surrogate : null,
          loggedSteps: num(f.logged_steps),
          spearmanHard: num(f.spearman_margin_vs_err_hard),
          spearmanStruct: num(f.spearman_margin_vs_err_struct),
          boundHoldsFraction: num(f.bound_holds_fraction),
          boundInformativeFraction: num(f.bound_informative_fraction),
        }
      : null;
  const bc = obj(s.bound_constants);
  const est = obj(s.estimators);
  const estimators: EstimatorRow[] = [];
  for (const [family, v] of Object.entries(obj(est?.families) ?? {})) {
    const r = obj(v);
    if (!r) continue;
    const known = family in TABLE_15 ? (family as EstimatorFamily) : null;
    estimators.push({
      family,
      label: known ? FAMILY_LABEL[known] : family,
      meanStructDropBits: num(r.mean_struct_drop_bits),
      meanHullAreaErrPct: num(r.mean_hull_area_err_pct),
      meanErrHardEndNats: num(r.mean_err_hard_end_nats),
      meanMarginEnd: num(r.mean_margin_end),
      r2StartVsStruct: num(r.r2_start_vs_struct),
      paper: known ? TABLE_15[known] : null,
    });
  }
  return {
    fits,
    sets,
    fit,
    boundConstants: bc ? { c: num(bc.c), delta: num(bc.delta), note: str(bc.note) } : null,
    estimators,
    estimatorNote: est && typeof est.note === 'string' ? est.note : null,
    backend: typeof s.backend === 'string' ? s.backend : null,
  };
}
