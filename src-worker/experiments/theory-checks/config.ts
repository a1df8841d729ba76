/**
 * theory-checks: the paper's formulas and bounds tested numerically (light half: main imports it).
 * E.2's anchor gradient (as printed, as derived, tfjs autodiff, central finite differences) and its stationary
 * point; Proposition 1's mass-cover bound against the exact cover on adversarial and random distributions; the
 * entropy-continuity inequality of Theorem 3's proof; the 1/(4τ) Lipschitz constant of the sigmoid cells.
 */
import { z } from 'zod';
import type { ExperimentDefinition } from '../types';

export const configSchema = z.strictObject({
  gradientConfigs: z.number().int().min(1).max(10_000).default(200).describe('Random (points, anchors, α) configurations for the E.2 gradient check'),
  maxPoints: z.number().int().min(4).max(5000).default(200).describe('Points per gradient configuration: n drawn in [8, maxPoints]'),
  maxAnchors: z.number().int().min(2).max(64).default(8).describe('Anchors per gradient configuration: k drawn in [2, maxAnchors]'),
  alphaRange: z.tuple([z.number().positive(), z.number().positive()]).default([0.5, 20]).describe('α drawn log-uniformly in this range'),
  finiteDifferenceStep: z.number().positive().max(1e-2).default(1e-6),
  stationaryIterations: z.number().int().min(1).max(10_000).default(300).describe('Iterations of E.2\'s stationary-point map before the true gradient is measured there'),
  coverDistributions: z.number().int().min(1).max(100_000).default(2000).describe('Random (Dirichlet) mass distributions for Proposition 1, besides the adversarial family'),
  maxLightClusters: z.number().int().min(10).max(2_000_000).default(1_000_000).describe('Largest number of light clusters in the adversarial family'),
  continuityPairs: z.number().int().min(1).max(1_000_000).default(20_000),
  attentionRows: z.number().int().min(1).max(1_000_000).default(20_000).describe('Random attention rows for Lemma 2 (‖y − ỹ‖ ≤ 4Bδ)'),
  backend: z.enum(['auto', 'tensorflow', 'wasm', 'cpu']).default('auto'),
  seed: z.number().int().default(42),
});
export type TheoryChecksConfig = z.infer<typeof configSchema>;

export const definition: ExperimentDefinition<typeof configSchema> = {
  kind: 'theory-checks',
  title: 'Theory checks: E.2 gradient, Proposition 1, Theorem 3 continuity',
  description:
    'Appendix E.2\'s closed-form anchor gradient of H_diff vs the derived one vs tfjs autodiff vs central finite ' +
    'differences (cosine and relative error per configuration) and its stationary point; Proposition 1\'s bound ' +
    'R ≤ min{k, ⌈e^H/δ⌉} vs the exact minimal cover on adversarial and random masses (worst ratio); the entropy-' +
    'continuity step of Theorem 3 with and without ‖p − q‖₁ ≤ ½; the sigmoid cells\' 1/(4τ) Lipschitz constant.',
  configSchema,
  presets: {
    Quick: { gradientConfigs: 40, maxPoints: 80, coverDistributions: 300, maxLightClusters: 100_000, continuityPairs: 2000, attentionRows: 2000 },
    Full: {},
  },
  timing: false,
};
