/** Results of `geometry-timing`: one case per (task, dataset, n, algorithm, preprocessor) with times over seeds. */
import { z } from 'zod';
import { claimsField, interval, measured } from './schema-parts';
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

export const geometryCase = z.looseObject({
  task: z.string().default('hull'),
  dataset: z.string(),
  n: z.number().int(),
  algorithm: z.string(),
  preprocess: z.string(),
  seeds: z.array(z.number()).default([]),
  samples: z.number().int().optional(),
  meanMs: measured,
  ci95Ms: interval.nullable().default(null),
  speedup: measured.optional(),
  speedupCi95: interval.nullable().optional(),
  hullErrorPct: measured.optional(),
});
export type GeometryCaseResult = z.infer<typeof geometryCase>;

export const geometryTimingSummary = z.looseObject({
  host: hostInfo.optional(),
  cases: z.array(geometryCase).default([]),
  claims: claimsField,
});
export type GeometryTimingSummary = z.infer<typeof geometryTimingSummary>;

export const geometryTimingResults: ResultDescriptor<typeof geometryTimingSummary> = { ...geometryTimingView, summary: geometryTimingSummary };
