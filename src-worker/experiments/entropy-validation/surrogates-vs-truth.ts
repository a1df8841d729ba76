/**
 * Part (a) of `entropy-validation`, surrogate vs truth (Fig. 4 / App. E.3): for every set, the surrogates in
 * tfjs (logged) and in float64 (the self-check gap), the hard partition entropies of the same parameters, and
 * the structural upper bounds; then the least-squares line of each against the triangulation bound, in nats.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ExperimentContext } from '../types';
import type { EntropyValidationConfig } from './config';
import { variantLabel } from './point-sets';
import type { Rng } from '../../entropy/random';
import { nearestAnchorLabels, partitionEntropyNats, rectLabels, signPatternLabels } from '../../entropy/margin';
import { structuralSlabBound } from '../../entropy/structural';
import { hDiff, hDiffDirect, hRect, hRectDirect, hSoft, hSoftDirect, pointsTensor, rectParamsTensors } from '../../entropy/surrogates';
import { linearFit, type LinearFit } from '../../shared/stats';
import type { EntropySetResult } from '../../shared/results/entropy-validation';
import { LN2, chooseParameters, structuralBits, type GeneratedSet, type WorkProgress } from './parameters';

export interface SurrogatesVsTruth {
  /** Each surrogate and hard entropy (y, nats) against the triangulation bound (x, nats), across sets. */
  fits: Record<'hdiff' | 'hsoft' | 'hrect' | 'hard_anchor' | 'hard_plane' | 'hard_rect', LinearFit>;
  perSet: EntropySetResult[];
  /** Largest |tfjs float32 − direct float64| over every surrogate value, nats. */
  maxTfjsGap: number;
}

export async function surrogatesVsTruth(
  sets: readonly GeneratedSet[], config: EntropyValidationConfig, rng: Rng, ctx: ExperimentContext, work: WorkProgress,
): Promise<SurrogatesVsTruth> {
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
  const perSet: EntropySetResult[] = [];
  for (const set of sets) {
    await ctx.tick();
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
    perSet.push({
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
    work.step();
    work.report(`set ${s + 1}/${sets.length}: ${set.family} (${variantLabel(set.family, set.variant)}), n = ${n}`);
  }
  const fits = {
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
  return { fits, perSet, maxTfjsGap };
}
