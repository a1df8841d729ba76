/**
 * `entropy-validation`: the entropy lab's validation runs (paper Fig. 2, Fig. 4 / App. E.3,
 * Table 15 / App. E.5). Light on purpose: main imports this file for the schema and presets only.
 */
import { z } from 'zod';
import type { ExperimentDefinition } from '../types';

/** Point-set families, roughly from most to least structured (lowest to highest structural entropy). */
export const POINT_SET_FAMILIES = ['clusters', 'mixture', 'contraction', 'uniform', 'convex'] as const;
export type PointSetFamily = (typeof POINT_SET_FAMILIES)[number];

export const SURROGATE_FAMILIES = ['ball', 'halfspace', 'rect'] as const;

const fitSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** Which surrogate is fitted for the margin-vs-error data (Theorem 1 is stated for halfspaces). */
    family: z.enum(SURROGATE_FAMILIES).default('halfspace'),
    /** Points per fitted set (one set per point-set family, variant 0 … variants−1 cycled). */
    n: z.number().int().min(16).max(20_000).default(512),
    steps: z.number().int().min(1).max(20_000).default(200),
    logEvery: z.number().int().min(1).max(1000).default(5),
    learningRate: z.number().positive().max(10).default(0.02),
    /** Bounded displacement S′ = S + σ·tanh(Δ) (normalised units); 0 fits the parameters alone. */
    sigma: z.number().min(0).max(1).default(0.05),
    /** Entropy weight λ and displacement weight μ of L = λ·H + μ·mean‖S′ − S‖². */
    lambda: z.number().min(0).default(1),
    mu: z.number().min(0).default(1),
  })
  .prefault({});

const estimatorsSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    families: z.array(z.enum(SURROGATE_FAMILIES)).min(1).default(['ball', 'halfspace', 'rect']),
    n: z.number().int().min(16).max(20_000).default(512),
    steps: z.number().int().min(1).max(20_000).default(150),
    learningRate: z.number().positive().max(10).default(0.02),
    sigma: z.number().min(0).max(1).default(0.05),
    lambda: z.number().min(0).default(1),
    mu: z.number().min(0).default(1),
  })
  .prefault({});

export const configSchema = z.strictObject({
  families: z.array(z.enum(POINT_SET_FAMILIES)).min(1).default([...POINT_SET_FAMILIES]),
  /** Structure levels per family (e.g. cluster spread, contraction factor, annulus width). */
  variants: z.number().int().min(1).max(6).default(3),
  sizes: z.array(z.number().int().min(16).max(100_000)).min(1).default([256, 1024, 4096]),
  /** Anchors: 'elbow' (k-means elbow, k ≤ kMax), 'default' (min(16, ⌊n/4⌋)) or a fixed number. */
  k: z.union([z.enum(['elbow', 'default']), z.number().int().min(1).max(256)]).default('elbow'),
  kMax: z.number().int().min(2).max(64).default(16),
  anchorInit: z.enum(['kmeans++', 'random']).default('kmeans++'),
  /** Lloyd iterations after seeding (0 = use the seeds as anchors). */
  lloydIterations: z.number().int().min(0).max(500).default(25),
  /** α of Eq. 2 at evaluation, and the cosine schedule's start → end when fitting anchors (App. G.11). */
  alpha: z.number().positive().default(10),
  alphaEnd: z.number().positive().default(5),
  /** Planes for H_soft (m ≤ 10) and their temperature τ (normalised units). */
  m: z.number().int().min(1).max(10).default(6),
  tau: z.number().positive().default(0.05),
  /** Cuts per axis of the rectangle family (grid of (r+1)² cells). */
  rectCuts: z.number().int().min(1).max(15).default(3),
  /** Structural entropy is skipped (logged as missing) for hulls larger than this: the DP is O(27·h³). */
  structuralMaxHull: z.number().int().min(3).max(2000).default(600),
  /** Constants of the Theorem 1 bound, which the paper leaves unspecified (c) or chooses freely (δ). */
  boundC: z.number().positive().default(1),
  boundDelta: z.number().positive().lt(1).default(0.05),
  fit: fitSchema,
  estimators: estimatorsSchema,
  backend: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'),
  seed: z.number().int().default(42),
});

export type EntropyValidationConfig = z.infer<typeof configSchema>;

export const definition: ExperimentDefinition<typeof configSchema> = {
  kind: 'entropy-validation',
  title: 'Entropy lab: surrogates vs structural entropy',
  description:
    'H_diff (Eqs. 2–3), H_soft (Eqs. 4–6) and an axis-aligned-rectangle surrogate against hard partition entropy ' +
    'and the structural-entropy upper bounds (best hull triangulation; upper-hull slabs) on point sets from ' +
    'clustered to convex position: least-squares fit and R² (Fig. 4 / App. E.3); margin γ̂, |H_hard − H_soft|, ' +
    '|H_struct − H_soft| and the Theorem 1 bound while fitting (Fig. 2); ball vs halfspace vs rectangle ' +
    'estimators (Table 15).',
  configSchema,
  presets: {
    Quick: {
      sizes: [128, 512],
      variants: 2,
      fit: { n: 256, steps: 60, logEvery: 5 },
      estimators: { n: 256, steps: 40 },
    },
    'Fig. 4 surrogate vs truth': {
      sizes: [256, 1024, 4096],
      variants: 4,
      fit: { enabled: false },
      estimators: { enabled: false },
    },
    'Fig. 2 margin vs error': {
      sizes: [512],
      variants: 2,
      fit: { n: 512, steps: 400, logEvery: 4 },
      estimators: { enabled: false },
    },
    // E.3's R² is H_diff (the ball surrogate) against H_R across training: one fitted set per point-set family.
    'E.3 R² across training': {
      sizes: [256],
      variants: 1,
      fit: { family: 'ball', n: 256, steps: 120, logEvery: 6 },
      estimators: { enabled: false },
    },
    'Table 15 estimators': {
      sizes: [512, 2048],
      variants: 2,
      fit: { enabled: false },
      estimators: { n: 512, steps: 200, families: ['ball', 'halfspace', 'rect'] },
    },
  },
  timing: false,
};
