/** Results of the `selftest` kind: a fake training loop that exercises the whole pipeline. */
import { z } from 'zod';
import { measured } from './schema-parts';
import type { ResultDescriptor } from './common';
import { selftestView } from './views';


export const selftestSummary = z.looseObject({
  steps: z.number().int(),
  final_loss: measured,
});
export type SelftestSummary = z.infer<typeof selftestSummary>;

export const selftestResults: ResultDescriptor<typeof selftestSummary> = { ...selftestView, summary: selftestSummary };
export { SELFTEST_METRICS } from './views';
