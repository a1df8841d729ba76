/** The experiment kinds (heavy half): only workers import this file; each runner loads on demand. */
import type { ExperimentRun } from './types';

type Loader = () => Promise<{ run: ExperimentRun<never, Record<string, unknown>> }>;

export const runners: Record<string, Loader> = {
  selftest: () => import('./selftest/run'),
  'geometry-timing': () => import('./geometry-timing/run'),
  'entropy-validation': () => import('./entropy-validation/run'),
  'entropynet-train': () => import('./entropynet-train/run'),
  'attention-train': () => import('./attention-train/run'),
  'theory-checks': () => import('./theory-checks/run'),
};
