/**
 * Paper value vs our measurement → verdict. Pure: the same function serves the Api, the CLI and the tests.
 *
 * Rules (stated in the Claims view too):
 * - a hyper-parameter is a setting, not a result;
 * - a claim whose experiment needs what this machine lacks (ImageNet, LLMs, GPUs) is "not runnable here";
 * - no measurement yet: "not run";
 * - an upper bound ("< 0.2 %") is reproduced when our 95% CI lies at or under it;
 * - a claim with a stated interval (range, ± or 95% CI) is reproduced when ours overlaps it;
 * - a point claim is reproduced when it lies inside our 95% CI, or when we do at least as well in its direction
 *   (our whole CI on the better side);
 * - a measurement without a CI is compared as a point with a ±5 % relative tolerance, and says so;
 * - an agreement found with a CI wider than ±25 % of our value is "inconclusive": a noisy measurement must not
 *   confirm a claim just by being wide (it can still refute one);
 * - a measurement of a small-scale analogue of the paper's setting (a tiny ViT for ImageNet) is shown as
 *   "analogue": a number beside the paper's, never a verdict on it.
 */
import type { Claim } from './catalog';

export type Verdict = 'reproduced' | 'not reproduced' | 'inconclusive' | 'analogue' | 'not run' | 'not runnable here' | 'setting';

/** A CI whose half-width exceeds this fraction of the value cannot confirm a claim, only refute it. */
export const MAX_CONFIRMING_HALF_WIDTH = 0.25;

export interface Measurement {
  value: number;
  ci95: [number, number] | null;
  unit: string;
  runId: string;
  runName: string;
  /** e.g. "n = 1000, wasm backend, small-scale analogue" */
  note?: string;
  /** Measured on a small-scale stand-in of the paper's setting (tiny ViT, procedural images): shown, never judged. */
  analogue?: boolean;
}

/** Units as the claim list and our experiments write them ("×" and "x" are one unit). */
const normUnit = (u: string): string => u.replace('×', 'x').trim();

export function paperInterval(c: Claim): [number, number] | null {
  if (c.range && c.range.length === 2) return [c.range[0], c.range[1]];
  if (c.ci95 && c.ci95.length === 2) return [c.ci95[0], c.ci95[1]];
  if (c.value !== null && typeof c.plus_minus === 'number') return [c.value - c.plus_minus, c.value + c.plus_minus];
  return null;
}

export function verdictFor(c: Claim, m: Measurement | null): { verdict: Verdict; reason: string } {
  if (c.metric === 'hyperparameter') return { verdict: 'setting', reason: 'a setting of the paper, not a result' };
  if (!m) {
    return c.runnable_on_cpu_workstation
      ? { verdict: 'not run', reason: 'no finished run measures this yet' }
      : { verdict: 'not runnable here', reason: 'needs data, models or hardware this workstation does not have' };
  }
  if (m.analogue) return { verdict: 'analogue', reason: `measured on a small-scale analogue${m.note ? ` (${m.note})` : ''}: shown beside the paper's number, not judged against it` };
  if (c.value === null) return { verdict: 'not run', reason: 'the paper states no number to compare' };
  if (normUnit(m.unit) !== normUnit(c.unit ?? '')) return { verdict: 'not reproduced', reason: `units differ (paper ${c.unit}, ours ${m.unit})` };
  const ours: [number, number] = m.ci95 ?? [m.value - Math.abs(m.value) * 0.05, m.value + Math.abs(m.value) * 0.05];
  const how = m.ci95 ? 'our 95% CI' : 'our value ±5% (no CI)';
  const tooWide = m.ci95 !== null && (m.ci95[1] - m.ci95[0]) / 2 > MAX_CONFIRMING_HALF_WIDTH * Math.max(Math.abs(m.value), 1e-12);
  const agree = (reason: string): { verdict: Verdict; reason: string } =>
    tooWide ? { verdict: 'inconclusive', reason: `${reason}, but our CI is wider than ±${MAX_CONFIRMING_HALF_WIDTH * 100}% of our value` } : { verdict: 'reproduced', reason };
  if (/upper_bound$/.test(c.metric)) {
    return ours[1] <= c.value
      ? agree(`${how} lies at or under the bound`)
      : { verdict: 'not reproduced', reason: `${how} reaches above the bound` };
  }
  const paper = paperInterval(c);
  if (paper) {
    return ours[0] <= paper[1] && paper[0] <= ours[1]
      ? agree(`${how} overlaps the paper's interval`)
      : { verdict: 'not reproduced', reason: `${how} does not overlap the paper's interval [${paper[0]}, ${paper[1]}]` };
  }
  if (ours[0] <= c.value && c.value <= ours[1]) return agree(`the paper's value lies inside ${how}`);
  if (c.direction === 'higher_is_better' && ours[0] >= c.value) return agree(`${how} lies above the paper's value`);
  if (c.direction === 'lower_is_better' && ours[1] <= c.value) return agree(`${how} lies below the paper's value`);
  return { verdict: 'not reproduced', reason: `the paper's value lies outside ${how}` };
}
