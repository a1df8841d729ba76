/** Results of a `sweep`: the grid it ran and one line per child run (runs in main, no worker). */
import { z } from 'zod';
import type { ResultDescriptor } from './common';
import { sweepView } from './views';

export const sweepChild = z.looseObject({
  runId: z.string(),
  params: z.record(z.string(), z.unknown()).default({}),
  status: z.string(),
  error: z.string().nullable().default(null),
  summary: z.record(z.string(), z.unknown()).nullable().default(null),
});
export type SweepChildResult = z.infer<typeof sweepChild>;

export const sweepSummary = z.looseObject({
  kind: z.string(),
  grid: z.record(z.string(), z.array(z.unknown())).default({}),
  variants: z.array(z.record(z.string(), z.unknown())).default([]),
  done: z.number().int().nullable().default(null),
  total: z.number().int().nullable().default(null),
  children: z.array(sweepChild).default([]),
});
export type SweepSummary = z.infer<typeof sweepSummary>;

/** A `child-NNNN.json` artifact: which run is the sweep's NNNN-th grid point, with its parameters. */
export const sweepChildRef = z.looseObject({ runId: z.string(), params: z.record(z.string(), z.unknown()).default({}) });

export const sweepResults: ResultDescriptor<typeof sweepSummary> = {
  ...sweepView,
  summary: sweepSummary,
  artifacts: [{ name: /^child-\d{4,}\.json$/, schema: sweepChildRef }],
};
