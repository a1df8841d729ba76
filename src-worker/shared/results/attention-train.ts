/** Results of `attention-train`: the tiny-ViT table (Tables 4/5/18/27 analogues), pruning curves and per-model facts. */
import { z } from 'zod';
import { claimsField, measured } from './schema-parts';
import type { ResultDescriptor } from './common';
import { attentionTrainView } from './views';

/** A mean over seeds with its 95% interval [lo, hi] (null with fewer than two seeds). */
export const meanCI = z.looseObject({
  mean: measured,
  ci95: z.tuple([z.number(), z.number()]).nullable().default(null),
  n: z.number().int().default(0),
});
export type MeanCIResult = z.infer<typeof meanCI>;

/** One row of the table: a model in one inference mode, its cells by column key. */
export const attentionTableRow = z.looseObject({
  row: z.string(),
  model: z.string().default(''),
  mode: z.string().default(''),
  /** How many seeds the row's means are over. */
  seeds: z.number().int().default(0),
  cells: z.record(z.string(), meanCI).default({}),
});
export type AttentionTableRowResult = z.infer<typeof attentionTableRow>;

/** One point of a magnitude-pruning curve (Table 19 analogue), over seeds; percentages. */
export const pruningRow = z.looseObject({
  model: z.string(),
  base: z.string(),
  target: z.number(),
  seeds: z.number().int(),
  accuracy: meanCI,
  sparsity: meanCI,
  activeKeys: meanCI,
});
export type PruningRowResult = z.infer<typeof pruningRow>;

export const attentionTrainSummary = z.looseObject({
  backend: z.unknown().optional(),
  columns: z.record(z.string(), z.unknown()).default({}),
  table: z.array(attentionTableRow).default([]),
  pruning: z.array(pruningRow).default([]),
  models: z.array(z.looseObject({ name: z.string() })).default([]),
  artifacts: z.array(z.string()).default([]),
  wallSeconds: z.number().nullable().optional(),
  claims: claimsField,
});
export type AttentionTrainSummary = z.infer<typeof attentionTrainSummary>;
/** What a run returns (the schema's input: fields with defaults may be left out). */
export type AttentionTrainResult = z.input<typeof attentionTrainSummary>;

/** One test image of a gallery: pixels, the exact mask, CLS attention per layer and head, rollout, IoUs. */
export const galleryImage = z.looseObject({
  index: z.number().int(),
  label: z.number().int(),
  className: z.string(),
  texture: z.string(),
  prediction: z.number().int(),
  probabilities: z.array(z.number()),
  objectArea: z.number(),
  /** RGB bytes (HWC) and the exact pixel mask, base64. */
  rgbBase64: z.string(),
  maskBase64: z.string(),
  patchTruth: z.array(z.number()),
  /** [layer][head][grid²]: CLS attention to each patch. */
  cls: z.array(z.array(z.array(z.number()))),
  rollout: z.array(z.number()),
  /** The worker's IoU per mask rule (same order as the gallery's `rules`); null in older layouts. */
  iou: z.array(z.looseObject({ layerHead: z.array(z.array(z.number())), lastLayerMean: z.number(), rollout: z.number() })).nullable().default(null),
});
export type GalleryImageResult = z.infer<typeof galleryImage>;

/** A `gallery/<model>.json` artifact. */
export const gallery = z.looseObject({
  model: z.string(),
  method: z.string().optional(),
  lambda: z.number().nullable().optional(),
  seed: z.number().nullable().optional(),
  imageSize: z.number().int(),
  patch: z.number().int(),
  grid: z.number().int(),
  layers: z.number().int(),
  heads: z.number().int(),
  classNames: z.array(z.string()).default([]),
  rules: z.array(z.looseObject({ kind: z.string(), keep: z.number().optional(), description: z.string().optional() })).optional(),
  images: z.array(galleryImage),
});

/** An `eval/<model>.json` artifact: one trained model's measurements (the table is built from these). */
export const modelEvaluation = z.looseObject({ model: z.string(), method: z.string(), seed: z.number() });

/** The `table.json` artifact: the table and pruning curves with the protocol they were measured under. */
export const attentionTable = z.looseObject({
  protocol: z.record(z.string(), z.unknown()),
  columns: z.record(z.string(), z.unknown()),
  rows: z.array(attentionTableRow),
  pruning: z.array(pruningRow).default([]),
  claims: z.unknown().optional(),
});

export const attentionTrainResults: ResultDescriptor<typeof attentionTrainSummary> = {
  ...attentionTrainView,
  summary: attentionTrainSummary,
  artifacts: [
    { name: /^gallery\/.+\.json$/, schema: gallery },
    { name: /^eval\/.+\.json$/, schema: modelEvaluation },
    { name: 'table.json', schema: attentionTable },
  ],
};
export { ATTENTION_METRIC_PATTERN } from './views';
