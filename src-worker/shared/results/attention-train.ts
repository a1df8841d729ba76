/** Results of `attention-train`: the tiny-ViT table (Tables 4/5/18/27 analogues), pruning curves and per-model facts. */
import { z } from 'zod';
import { claimsField } from './schema-parts';
import type { ResultDescriptor } from './common';
import { attentionTrainView } from './views';


export const attentionTableRow = z.looseObject({
  row: z.string(),
  model: z.string().optional(),
  mode: z.string().optional(),
  /** How many seeds the row's means are over. */
  seeds: z.number().int().optional(),
  cells: z.record(z.string(), z.unknown()).default({}),
});

export const attentionTrainSummary = z.looseObject({
  backend: z.unknown().optional(),
  columns: z.record(z.string(), z.unknown()).default({}),
  table: z.array(attentionTableRow).default([]),
  pruning: z.array(z.record(z.string(), z.unknown())).default([]),
  models: z.array(z.looseObject({ name: z.string() })).default([]),
  artifacts: z.array(z.string()).default([]),
  wallSeconds: z.number().nullable().optional(),
  claims: claimsField,
});
export type AttentionTrainSummary = z.infer<typeof attentionTrainSummary>;

export const attentionTrainResults: ResultDescriptor<typeof attentionTrainSummary> = { ...attentionTrainView, summary: attentionTrainSummary };
export { ATTENTION_METRIC_PATTERN } from './views';
