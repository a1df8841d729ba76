/** Results of `theory-checks`: numeric probes of E.2's gradient, Proposition 1, the continuity bound and Lemma 2. */
import { z } from 'zod';
import { claimsField, measured } from './schema-parts';
import type { ResultDescriptor } from './common';
import { theoryChecksView } from './views';

const gradientStats = z.object({ medianCos: measured, minCos: measured, medianRelErr: measured, maxRelErr: measured });

export const theoryChecksSummary = z.looseObject({
  backend: z.string().nullable().optional(),
  gradient: z.object({
    configs: z.number().int(),
    paper: gradientStats,
    derived: gradientStats,
    autodiff: gradientStats,
    stationary: z.object({ converged: z.number().int(), collapsed: z.number().int(), medianGradRatio: measured, maxGradRatio: measured }),
  }),
  cover: z.object({
    cases: z.number().int(),
    worst: z.object({ ratio: measured, R: measured, bound: measured, delta: measured, heavy: measured, light: measured, k: measured, entropy: measured }),
    validHeld: z.number().int(),
  }),
  continuity: z.object({ pairs: z.number().int(), worstRatio: measured, violations: z.number().int(), pairsHalf: z.number().int(), violationsHalf: z.number().int() }),
  lipschitz: z.object({ maxSlopeTimesTau: measured }),
  lemma2: z.object({ rows: z.number().int(), violations: z.number().int(), worstRatio: measured }),
  claims: claimsField,
});
export type TheoryChecksSummary = z.infer<typeof theoryChecksSummary>;
/** What a run returns (the schema's input). */
export type TheoryChecksResult = z.input<typeof theoryChecksSummary>;

export const theoryChecksResults: ResultDescriptor<typeof theoryChecksSummary> = { ...theoryChecksView, summary: theoryChecksSummary, artifacts: [] };
