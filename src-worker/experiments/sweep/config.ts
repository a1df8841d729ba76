/**
 * A sweep: a parent run that queues one child run per point of a grid over config keys of another kind, and
 * ends with a summary that tabulates the children. It computes nothing itself, so main runs it (no worker).
 */
import { z } from 'zod';
import type { ExperimentDefinition } from '../types';

export const configSchema = z.strictObject({
  kind: z.string().min(1).default('selftest').describe('Experiment kind of the child runs'),
  preset: z.string().optional().describe('Preset of that kind the children start from'),
  base: z.record(z.string(), z.unknown()).default({}).describe('Config keys set in every child (over the preset)'),
  grid: z
    .record(z.string(), z.array(z.unknown()).min(1).max(100))
    .default({ steps: [10, 20] })
    .describe('Key → values; one child per combination (dotted keys nest)'),
  variants: z
    .array(z.record(z.string(), z.unknown()))
    .max(100)
    .default([])
    .describe('Named settings that change several keys together (ablations); each is crossed with the grid. Key "variant" names it.'),
  maxChildren: z.number().int().min(1).max(1000).default(200),
  retries: z
    .number()
    .int()
    .min(0)
    .max(5)
    .default(0)
    .describe('On cluster agents: a child whose agent or worker died is started again as a new run linked to the crashed one, up to this many times'),
});
export type SweepConfig = z.infer<typeof configSchema>;

export const definition: ExperimentDefinition<typeof configSchema> = {
  kind: 'sweep',
  title: 'Sweep',
  description: 'Queues child runs over a grid of config values of another kind and tabulates their summaries.',
  configSchema,
  presets: {
    'Selftest grid': { kind: 'selftest', base: { delayMs: 1 }, grid: { steps: [10, 20, 40] } },
    // EntropyNet sweeps of the paper, on the Quick preset so that they finish here in minutes; set
    // preset "Paper" for the paper's scale.
    'Table 16 (anchors k)': { kind: 'entropynet-train', preset: 'Quick', grid: { k: [8, 16, 32, 64] } },
    'Table 17 (ablations)': {
      kind: 'entropynet-train',
      preset: 'Quick',
      grid: {},
      variants: [
        { variant: 'full' },
        { variant: 'fixed anchors', learnAnchors: false },
        { variant: 'alpha = 1', alphaStart: 1, alphaEnd: 1 },
        { variant: 'lambda = 1.0', lambda: 1.0 },
      ],
    },
    'Fig. 6 (lambda trade-off)': { kind: 'entropynet-train', preset: 'Quick', grid: { lambda: [0.01, 0.03, 0.1, 0.3, 1.0] } },
    'Fig. 5 (k x alpha heatmap)': {
      kind: 'entropynet-train',
      preset: 'Quick',
      grid: { k: [8, 16, 32, 64] },
      variants: [1, 5, 10, 20].map((a) => ({ variant: `alpha = ${a}`, alphaStart: a, alphaEnd: a })),
    },
    'Table 15 (estimator family)': { kind: 'entropynet-train', preset: 'Quick', grid: { surrogate: ['hDiff', 'hSoft', 'hRect'] } },
  },
  timing: false,
  runsInMain: true,
};

/** Every combination of the variants (outer) and the grid (key order, then value order). */
export function expandGrid(grid: Record<string, unknown[]>, variants: ReadonlyArray<Record<string, unknown>> = []): Array<Record<string, unknown>> {
  let points: Array<Record<string, unknown>> = variants.length > 0 ? variants.map((v) => ({ ...v })) : [{}];
  for (const [key, values] of Object.entries(grid)) points = points.flatMap((p) => values.map((v) => ({ ...p, [key]: v })));
  return points;
}

/** Sets a dotted key in a copy of config. */
export function withKey(config: Record<string, unknown>, dotted: string, value: unknown): Record<string, unknown> {
  const out = structuredClone(config);
  const path = dotted.split('.');
  let target = out;
  for (const p of path.slice(0, -1)) {
    if (typeof target[p] !== 'object' || target[p] === null || Array.isArray(target[p])) target[p] = {};
    target = target[p] as Record<string, unknown>;
  }
  target[path[path.length - 1]] = value;
  return out;
}
