/**
 * A sweep: a parent run that queues one child run per point of a grid over config keys of another kind, and
 * ends with a summary that tabulates the children. It computes nothing itself, so main runs it (no worker).
 */
import { z } from 'zod';
import type { ExperimentDefinition } from '../types';

export const configSchema = z.object({
  kind: z.string().min(1).default('selftest').describe('Experiment kind of the child runs'),
  preset: z.string().optional().describe('Preset of that kind the children start from'),
  base: z.record(z.string(), z.unknown()).default({}).describe('Config keys set in every child (over the preset)'),
  grid: z
    .record(z.string(), z.array(z.unknown()).min(1).max(100))
    .default({ steps: [10, 20] })
    .describe('Key → values; one child per combination (dotted keys nest)'),
  maxChildren: z.number().int().min(1).max(1000).default(200),
});
export type SweepConfig = z.infer<typeof configSchema>;

export const definition: ExperimentDefinition<typeof configSchema> = {
  kind: 'sweep',
  title: 'Sweep',
  description: 'Queues child runs over a grid of config values of another kind and tabulates their summaries.',
  configSchema,
  presets: {
    'Selftest grid': { kind: 'selftest', base: { delayMs: 1 }, grid: { steps: [10, 20, 40] } },
  },
  timing: false,
  runsInMain: true,
};

/** Every combination of the grid, in key order then value order. */
export function expandGrid(grid: Record<string, unknown[]>): Array<Record<string, unknown>> {
  let points: Array<Record<string, unknown>> = [{}];
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
