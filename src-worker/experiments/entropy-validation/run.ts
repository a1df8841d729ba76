/**
 * The heavy half of `entropy-validation` (workers only). Three parts, each optional except (a), one file each
 * (surrogates-vs-truth.ts, margin-vs-error.ts, estimators.ts; parameters.ts holds what they share):
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
import type { ExperimentRun } from '../types';
import type { EntropyValidationConfig } from './config';
import { generatePointSet } from './point-sets';
import { initBackend } from '../../models/backend';
import { createRng } from '../../entropy/random';
import type { EntropyValidationResult } from '../../shared/results/entropy-validation';
import { fitSetsFor, type GeneratedSet, type WorkProgress } from './parameters';
import { surrogatesVsTruth } from './surrogates-vs-truth';
import { marginVsError } from './margin-vs-error';
import { estimators } from './estimators';

export const run: ExperimentRun<EntropyValidationConfig, EntropyValidationResult> = async (config, ctx) => {
  const started = performance.now();
  const info = await initBackend(config.backend === 'auto' ? undefined : config.backend);
  ctx.backend(info.name, { ...info });
  // One generator for the whole run, drawn in a fixed order (sets, fit sets, estimator sets, then each part's
  // parameters): the same seed gives the same run.
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
  const work: WorkProgress = {
    step: () => void done++,
    report: (message) => ctx.progress(Math.min(1, done / Math.max(1, totalWork)), message),
  };

  const truth = await surrogatesVsTruth(sets, config, rng, ctx, work);
  const fit = await marginVsError(fitSets, config, rng, ctx, work);
  const estimatorSummary = await estimators(estSets, config, rng, ctx, work);

  ctx.progress(1, 'done');
  return {
    backend: info.name,
    sets: sets.length,
    units: { surrogates: 'nats', structural: 'bits (triangulation and slab upper bounds); *_nats columns converted with ln 2' },
    surrogate_vs_structural: truth.fits,
    r2_hdiff: truth.fits.hdiff.r2,
    r2_hsoft: truth.fits.hsoft.r2,
    r2_hrect: truth.fits.hrect.r2,
    max_tfjs_minus_direct_nats: truth.maxTfjsGap,
    structural_bound: 'upper bounds: best triangulation of the hull polygon (convex hull), upper-hull slabs (upper hull)',
    bound_constants: { c: config.boundC, delta: config.boundDelta, note: 'Theorem 1 with τ converted to distance units' },
    fit: fit.summary,
    estimators: estimatorSummary,
    per_set: truth.perSet,
    seconds: (performance.now() - started) / 1000,
    // The cross-sectional R² above is not the paper's E.3 quantity (across training): see ./claims.ts.
    claims: fit.claims,
  };
};
