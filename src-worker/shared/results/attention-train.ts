/** Results of `attention-train`: the tiny-ViT table (Tables 4/5/18/27 analogues), pruning curves and per-model facts. */
import { z } from 'zod';
import { claimsField, type ResultDescriptor } from './common';

/** Per model: `<model>/train/…` and `<model>/val/…` curves. */
export const ATTENTION_METRIC_PATTERN = '<model>/(train|val)/<key>';

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

export const attentionTrainResults: ResultDescriptor<typeof attentionTrainSummary> = {
  kind: 'attention-train',
  title: 'Attention lab: entropy-regularised tiny ViT',
  summary: attentionTrainSummary,
  metricKeys: [ATTENTION_METRIC_PATTERN],
  headline: [{ path: 'wallSeconds', label: 'wall time', unit: 's' }],
  panel: 'attention',
  figures: ['accuracy-sparsity', 'pruning-curves', 'gallery'],
};
