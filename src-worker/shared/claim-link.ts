/**
 * What a run measured for one of the paper's claims: the value in the claim's own unit and the setting it was
 * measured in. Workers write these under `summary.claims[<claim id>]`; main parses them with this schema and
 * judges them against the catalogue's setting, so a verdict follows from declared facts, never from free text.
 *
 * `portability` says whether the number can be compared across machines at all: a ratio of two timings taken
 * in one run, an error, an accuracy, an entropy or a count is portable; an absolute time, a throughput or a
 * memory figure is machine-bound and is shown beside the paper's number, never judged.
 */
import { z } from 'zod';

export const Portability = z.enum(['portable', 'machine-bound']);
export type Portability = z.infer<typeof Portability>;

/** `real`: the data set the paper names, or a generator that is its definition (uniform points); `stand-in`: something else in its place. */
export const DatasetKind = z.enum(['real', 'stand-in']);
export type DatasetKind = z.infer<typeof DatasetKind>;

/** `paper`: the model or method at the paper's scale; `small-scale`: a reduced analogue (a tiny ViT for ViT-B). */
export const Scale = z.enum(['paper', 'small-scale']);
export type Scale = z.infer<typeof Scale>;

/** Outcome of a theory check (a formula or bound tested numerically): `holds` or a counterexample was found. */
export const CheckOutcome = z.enum(['holds', 'fails']);
export type CheckOutcome = z.infer<typeof CheckOutcome>;

export const ClaimLink = z.object({
  value: z.number(),
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  unit: z.string(),
  quantity: z.string().min(1),
  portability: Portability,
  dataset: z.object({ name: z.string(), kind: DatasetKind }),
  n: z.number().nullable(),
  method: z.string(),
  seeds: z.number().int().min(0),
  scale: Scale,
  check: CheckOutcome.optional(),
  /**
   * Choices a check had to make where the paper leaves them open (an unstated universal constant, a failure
   * probability). A check that holds under them is consistent with the claim but cannot confirm it.
   */
  assumed: z.array(z.string().min(1)).optional(),
  note: z.string().optional(),
});
export type ClaimLink = z.infer<typeof ClaimLink>;

/**
 * The static half of a link, declared once per claim id by the experiment that can measure it (value, CI,
 * n and seeds come from the run). A unit test walks every declaration against the catalogue.
 */
export interface LinkSpec {
  claim: string;
  quantity: string;
  unit: string;
  portability: Portability;
}

export { MACHINE_BOUND_UNITS } from './claim-units';

export function linkFrom(spec: LinkSpec, measured: Omit<ClaimLink, 'unit' | 'quantity' | 'portability'>): ClaimLink {
  return { ...measured, unit: spec.unit, quantity: spec.quantity, portability: spec.portability };
}
