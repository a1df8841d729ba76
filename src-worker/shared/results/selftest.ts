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
/** What a run returns (the schema's input). */
export type SelftestResult = z.input<typeof selftestSummary>;

/** The `report.json` artifact. */
export const selftestReport = z.looseObject({ steps: z.number().int(), finalLoss: measured });

export const selftestResults: ResultDescriptor<typeof selftestSummary> = {
  ...selftestView,
  summary: selftestSummary,
  artifacts: [{ name: 'report.json', schema: selftestReport }],
};
export { SELFTEST_METRICS } from './views';
