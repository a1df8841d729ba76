/**
 * Part (c) of `entropy-validation`, the estimators (Table 15): the same sets, each surrogate family fitted the
 * same way; start and end values, the structural-entropy drop (bits) and the hull-area change (%) as proxies
 * (the paper's speedup column needs the timed pipeline, geometry-timing, not this run).
 */
import type { z } from 'zod';
import type { ExperimentContext } from '../types';
import type { EntropyValidationConfig } from './config';
import { alphaCosine } from '../../entropy/anchors';
import type { Rng } from '../../entropy/random';
import { SurrogateFitter } from '../../entropy/fit';
import { linearFit } from '../../shared/stats';
import type { estimatorSummary } from '../../shared/results/entropy-validation';
import { chooseParameters, evaluateState, fitInit, hullArea, LN2, structuralBits, type FamilyState, type GeneratedSet, type WorkProgress } from './parameters';

type EstimatorSummaryResult = z.input<typeof estimatorSummary>;

export async function estimators(
  estSets: readonly GeneratedSet[], config: EntropyValidationConfig, rng: Rng, ctx: ExperimentContext, work: WorkProgress,
): Promise<EstimatorSummaryResult> {
  if (!config.estimators.enabled) return { enabled: false };
  const ec = config.estimators;
  const perFamily: Record<string, { structDrop: number[]; areaErr: number[]; err: number[]; margin: number[]; start: number[]; structStart: number[] }> = {};
  for (const set of estSets) {
    const params = chooseParameters(set.points, config, rng);
    const structStart = structuralBits(set.points, config.structuralMaxHull).bits;
    const areaStart = hullArea(set.points);
    for (const family of ec.families) {
      await ctx.tick();
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
          work.step();
          if (iter % 25 === 0) {
            await ctx.tick();
            work.report(`estimator ${family} on ${set.family}: step ${iter}/${ec.steps}`);
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
  const families = Object.fromEntries(
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
  return {
    enabled: true,
    families,
    note: 'Structural-entropy drop and hull-area change stand in for Table 15\'s speedup and hull error; speedups need the timed pipeline.',
  };
}
