/** Results of `geometry-timing`: one case per (task, dataset, n, algorithm, preprocessor) with times over seeds. */
import { z } from 'zod';
import { claimsField, openInterval, unmeasured } from './schema-parts';
import type { ResultDescriptor } from './common';
import { geometryTimingView } from './views';

export const hostInfo = z.looseObject({
  cpuModel: z.string(),
  cores: z.number().int(),
  node: z.string(),
  platform: z.string(),
  arch: z.string(),
  totalMemoryGiB: z.number(),
});
export type HostInfoResult = z.infer<typeof hostInfo>;

/** One method (preprocessor + algorithm) on one dataset and size, across seeds: a row of `summary.cases`. */
export const geometryCase = z
  .looseObject({
    task: z.string().default('hull'),
    dataset: z.string(),
    n: z.number().int(),
    algorithm: z.string(),
    preprocess: z.string(),
    method: z.string().optional(),
    seeds: z.array(z.number()).default([]),
    samples: z.number().int().default(0),
    truncatedCases: z.number().int().default(0),
    perSeedMeanMs: z.array(z.number()).default([]),
    meanMs: unmeasured,
    ci95Ms: openInterval,
    medianMs: unmeasured,
    sdMs: unmeasured,
    /** Geometric mean over seeds of raw time / this method's time (end to end, preprocessing included). */
    speedup: unmeasured,
    speedupCi95: openInterval,
    tVsRaw: unmeasured,
    pValueVsRaw: unmeasured,
    hullErrorPct: unmeasured,
    hausdorff: unmeasured,
    hausdorffPoints: unmeasured,
    h: unmeasured,
    precision: unmeasured,
    recall: unmeasured,
    points: unmeasured,
    /** The algorithm alone on the preprocessed points (preprocessing not timed), mean ms over seeds. */
    algorithmOnlyMs: unmeasured,
    /** raw time / algorithm-only time: what the preprocessor buys the algorithm, ignoring its own cost. */
    algorithmSpeedup: unmeasured,
    algorithmSpeedupCi95: openInterval,
  })
  .transform((c) => ({ ...c, method: c.method ?? `${c.preprocess}+${c.algorithm}` }));
export type GeometryCaseResult = z.infer<typeof geometryCase>;

/** The `preview.json` artifact: a point set (every `stride`-th point, ≤ 20k) and its exact hull. */
export const pointPreview = z.looseObject({
  dataset: z.string(),
  n: z.number().int(),
  seed: z.number(),
  /** Points in the full set (after de-duplication). */
  count: z.number().int(),
  stride: z.number().int(),
  /** Flat [x0, y0, x1, y1, …]. */
  points: z.array(z.number()),
  /** The hull polygon, flat [x0, y0, …], counter-clockwise, not closed. */
  hull: z.array(z.number()),
  hullIndices: z.array(z.number().int()).default([]),
});
export type PointPreviewResult = z.infer<typeof pointPreview>;

export const geometryTimingSummary = z.looseObject({
  host: hostInfo.optional(),
  cases: z.array(geometryCase).default([]),
  claims: claimsField,
});
export type GeometryTimingSummary = z.infer<typeof geometryTimingSummary>;
/** What a run returns (the schema's input: fields with defaults may be left out). */
export type GeometryTimingResult = z.input<typeof geometryTimingSummary>;

export const geometryTimingResults: ResultDescriptor<typeof geometryTimingSummary> = {
  ...geometryTimingView,
  summary: geometryTimingSummary,
  artifacts: [{ name: 'preview.json', schema: pointPreview }],
};
