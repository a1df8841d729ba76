/** Results of the `selftest` kind: a fake training loop that exercises the whole pipeline. */
import { z } from 'zod';
import { measured, type ResultDescriptor } from './common';

export const SELFTEST_METRICS = { loss: 'loss', accuracy: 'accuracy', lr: 'lr' } as const;

export const selftestSummary = z.looseObject({
  steps: z.number().int(),
  final_loss: measured,
});
export type SelftestSummary = z.infer<typeof selftestSummary>;

export const selftestResults: ResultDescriptor<typeof selftestSummary> = {
  kind: 'selftest',
  title: 'Self-test',
  summary: selftestSummary,
  metricKeys: Object.values(SELFTEST_METRICS),
  headline: [
    { path: 'final_loss', label: 'final loss', unit: '' },
    { path: 'steps', label: 'steps', unit: '' },
  ],
  panel: 'generic',
  figures: ['metrics'],
};
