import { z } from 'zod';
import type { ExperimentDefinition } from '../types';

export const configSchema = z.strictObject({
  steps: z.number().int().min(1).max(10_000_000).default(50).describe('Steps to run; each logs a few metrics'),
  delayMs: z.number().min(0).max(60_000).default(20).describe('Pause after each step (ms)'),
  failAt: z.number().int().min(0).nullable().default(null).describe('Throw an error at this step (tests the failed path)'),
  crashAt: z.number().int().min(0).nullable().default(null).describe('Hard-exit the worker at this step (tests the crashed path)'),
  seed: z.number().int().default(42).describe('Seed of the noise'),
  exclusiveAt: z.number().int().min(0).nullable().default(null).describe('At this step, hold the machine alone for exclusiveMs (tests the exclusive slot)'),
  exclusiveMs: z.number().min(0).max(60_000).default(300).describe('How long the exclusive phase lasts (ms)'),
  logClock: z.boolean().default(false).describe('Log the worker clock (ms since the epoch) as metric `clock` each step'),
});
export type SelftestConfig = z.infer<typeof configSchema>;

export const definition: ExperimentDefinition<typeof configSchema> = {
  kind: 'selftest',
  title: 'Self-test',
  description: 'Logs synthetic metrics and one artifact; can fail or crash on request. Proves the whole path: worker, store, API, UI.',
  configSchema,
  presets: {
    Default: {},
    Quick: { steps: 20, delayMs: 5 },
    Fail: { steps: 20, delayMs: 5, failAt: 10 },
    Crash: { steps: 20, delayMs: 5, crashAt: 10 },
  },
  timing: false,
};
