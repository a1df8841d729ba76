/**
 * Part (b) of `entropy-validation`, margin vs error (Fig. 2): one set per family at n = fit.n, the chosen
 * surrogate minimised by Adam over its parameters and a bounded displacement of the points (entropy/fit.ts).
 * Every `logEvery` steps it logs γ̂ and its 5th percentile, the surrogate, hard and structural entropies, the two
 * errors and the Theorem 1 bound; the fitted states before and after go to `fit-states.json`.
 */
import type { z } from 'zod';
import type { ExperimentContext } from '../types';
import type { EntropyValidationConfig } from './config';
import { alphaCosine } from '../../entropy/anchors';
import type { Rng } from '../../entropy/random';
import { SurrogateFitter } from '../../entropy/fit';
import type { ClaimLink } from '../../shared/claim-link';
import { linearFit, spearman } from '../../shared/stats';
import type { fitSummary } from '../../shared/results/entropy-validation';
import { entropyValidationClaims } from './claims';
import { LN2, chooseParameters, evaluateState, fitInit, structuralBits, type GeneratedSet, type WorkProgress } from './parameters';

type FitSummaryResult = z.input<typeof fitSummary>;

export async function marginVsError(
  fitSets: readonly GeneratedSet[], config: EntropyValidationConfig, rng: Rng, ctx: ExperimentContext, work: WorkProgress,
): Promise<{ summary: FitSummaryResult; claims: Record<string, ClaimLink> }> {
  if (!config.fit.enabled) return { summary: { enabled: false }, claims: {} };
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
    await ctx.tick();
    const params = chooseParameters(set.points, config, rng);
    const fitter = new SurrogateFitter(fitInit(fc.family, set.points, params, config, fc));
    try {
      const initial = await fitter.snapshot();
      for (let iter = 0; iter <= fc.steps; iter++) {
        if (iter % fc.logEvery === 0 || iter === fc.steps) {
          await ctx.tick();
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
        work.step();
        if (iter % 20 === 0) work.report(`fit ${fc.family} on ${set.family}: step ${iter}/${fc.steps}`);
      }
    } finally {
      fitter.dispose();
    }
  }
  const acrossTraining = linearFit(structTrace, softTrace);
  const summary: FitSummaryResult = {
    enabled: true,
    surrogate: fc.family,
    logged_steps: logStep,
    spearman_margin_vs_err_hard: spearman(margins, errHard),
    spearman_margin_vs_err_struct: spearman(margins, errStruct),
    bound_holds_fraction: logStep > 0 ? boundHolds / logStep : null,
    bound_informative_fraction: logStep > 0 ? boundInformative / logStep : null,
    struct_vs_surrogate_across_training: acrossTraining,
  };
  const claims = entropyValidationClaims({
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
  return { summary, claims };
}

/** Typed arrays as plain arrays rounded to 1e-6: the artifact is for drawing, not for re-fitting. */
function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Float64Array || value instanceof Float32Array) return Array.from(value, (v) => Math.round(v * 1e6) / 1e6);
  return value;
}
