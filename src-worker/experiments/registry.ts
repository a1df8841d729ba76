/**
 * The experiment kinds (light half). Main imports this file; it must stay free of heavy imports (tfjs, geometry).
 * Adding a kind = a folder under experiments/ plus one line here and one in runners.ts.
 */
import type { ExperimentDefinition } from './types';
import { definition as attentionTrain } from './attention-train/config';
import { definition as entropyValidation } from './entropy-validation/config';
import { definition as entropynetTrain } from './entropynet-train/config';
import { definition as geometryTiming } from './geometry-timing/config';
import { definition as selftest } from './selftest/config';
import { definition as sweep } from './sweep/config';
import { definition as theoryChecks } from './theory-checks/config';

export const experiments: readonly ExperimentDefinition[] = [selftest, geometryTiming, entropyValidation, entropynetTrain, attentionTrain, theoryChecks, sweep];

export function findExperiment(kind: string): ExperimentDefinition | undefined {
  return experiments.find((e) => e.kind === kind);
}
