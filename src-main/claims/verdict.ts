/**
 * Paper value vs our measurement → verdict. Pure: the same function serves the Api, the CLI, the report and the
 * tests. The rules, in the order they apply (the Claims view's legend states them from RULES below):
 *
 * 1. a hyper-parameter is a setting, not a result;
 * 2. nothing measured: "not run" when an experiment here links the claim, "no experiment" (with the reason)
 *    when none can, "not checkable" for a theory claim no numeric check covers, "not runnable here" when it
 *    needs data, models or hardware this machine lacks;
 * 3. a machine-bound quantity (an absolute time, throughput or memory figure) is shown beside the paper's
 *    number with our machine and backend, never judged;
 * 4. stand-in data, a small-scale model or a claim the catalogue marks not runnable here → "analogue"; any
 *    other difference of setting (n, unit, algorithm) → "different setting"; either names the difference;
 * 5. a theory check reports whether the formula or bound held on every configuration tried;
 * 6. the paper's interval: a range as printed; a ± that is a 95% CI as printed; a ± that is a standard
 *    deviation over N runs gives the mean's CI ±1.96·sd/√N (a point when N is not stated); a ± of unstated kind
 *    is taken as printed, and the reason says so;
 * 7. fewer than 3 seeds (no CI) never confirm: such a value refutes only when it misses the paper's interval on
 *    the worse side by more than half the paper's value, else it is "inconclusive";
 * 8. one direction rule for points, ranges and bounds: our CI overlapping the paper's interval reproduces it
 *    (inconclusive when our CI is wider than ±25 % of our value); wholly on the better side of the whole
 *    interval it "exceeds" it; wholly on the worse side it does not reproduce it. A bound ("< 0.2 %") is an
 *    interval open on its better side, so a CI wholly inside it reproduces it.
 */
import type { ClaimMeasurement, ClaimVerdict } from '../api/contract';
import { MACHINE_BOUND_UNITS } from '../../src-worker/shared/claim-link';
import type { Claim } from './catalog';
import { settingDifferences } from './setting';

export type Verdict = ClaimVerdict;
export type Measurement = ClaimMeasurement;

/** A CI whose half-width exceeds this fraction of the value cannot confirm a claim, only refute it. */
export const MAX_CONFIRMING_HALF_WIDTH = 0.25;
/** Fewer seeds than this give no CI that may confirm a claim. */
export const MIN_CONFIRMING_SEEDS = 3;

/** The legend of the Claims view and the report: one sentence per rule. */
export const RULES: ReadonlyArray<{ verdict: string; rule: string }> = [
  { verdict: 'setting', rule: 'A hyper-parameter is a setting of the paper, not a result.' },
  { verdict: 'not run', rule: 'An experiment here can measure the claim, but no finished run has.' },
  { verdict: 'no experiment', rule: 'No experiment of this workbench can measure the claim; the reason is given.' },
  { verdict: 'not checkable', rule: 'A theory claim no numeric check here can test (a complexity statement, a definition); the reason is given.' },
  { verdict: 'not runnable here', rule: 'The claim needs data, models or hardware this machine does not have.' },
  { verdict: 'machine-bound', rule: 'An absolute time, throughput or memory figure: shown beside the paper\'s number with our machine and backend, never judged.' },
  { verdict: 'analogue', rule: 'Measured on stand-in data or a small-scale model (or for a claim needing what this machine lacks): shown, never judged; the difference is named.' },
  { verdict: 'different setting', rule: 'Measured at another n, unit or algorithm than the paper\'s; the difference is named. The run shown for a claim is one whose setting matches when there is one, not the newest.' },
  { verdict: 'reproduced', rule: 'Our 95% CI over at least 3 seeds overlaps the paper\'s interval (or lies wholly inside a bound), and is no wider than ±25 % of our value.' },
  { verdict: 'exceeds', rule: 'Our 95% CI lies wholly on the better side of the whole claimed interval.' },
  { verdict: 'not reproduced', rule: 'Our 95% CI lies wholly on the worse side of the claimed interval; with fewer than 3 seeds, only when we miss it by more than half the paper\'s value.' },
  { verdict: 'inconclusive', rule: 'Fewer than 3 seeds (no CI) never confirm; a CI wider than ±25 % of our value cannot confirm either. A run of an earlier build is judged on the setting its stored config gives (the reason says so); where the config does not give it, the missing field is named and the row is inconclusive. A theory check run under constants the paper leaves open (Theorem 1\'s universal c) is inconclusive whether it holds or fails: consistent at most, never a confirmation.' },
  { verdict: 'break-even', rule: 'A break-even row (N = T / ((1 − 1/S) · t_batch)) shows N recomputed from the paper\'s own inputs (its BE badge opens the arithmetic) and ours: with our speedup ≤ 1 there is no break-even, and the row shows the measured speedup. Ours rests on this machine\'s times, so it is machine-bound (or an analogue when the setting differs), never judged.' },
  { verdict: 'same as', rule: 'A restatement of another claim: shown with its original\'s measurement and verdict, counted once.' },
  { verdict: '±', rule: 'A ± that is a 95% CI is the paper\'s interval; a ± that is an sd over N runs gives ±1.96·sd/√N (a point when N is unstated); a ± of unstated kind is taken as printed.' },
];

export interface Outcome {
  verdict: Verdict;
  reason: string;
  differences: string[];
}

/** Units as the claim list and our experiments write them ("×" and "x" are one unit). */
export const normUnit = (u: string | null | undefined): string => (u ?? '').replace('×', 'x').trim();

export interface PaperInterval {
  lo: number;
  hi: number;
  /** How the interval was built from the paper's text, for the reason. */
  how: string;
}

const fmt = (v: number): string => (Number.isFinite(v) ? String(Number(v.toPrecision(4))) : v > 0 ? '∞' : '−∞');

/** The number of runs an sd is taken over, when the claim's setting states it ("mean +/- std over 1000 runs"). */
function runsOfSd(c: Claim): number | null {
  const text = Object.values(c.setting ?? {}).filter((v) => typeof v === 'string').join(' ');
  const m = /over\s+([\d,]+)\s+runs/i.exec(text);
  return m ? Number(m[1].replace(/,/g, '')) : null;
}

export function paperInterval(c: Claim): PaperInterval | null {
  if (c.value === null) return null;
  if (/upper_bound$/.test(c.metric)) return { lo: -Infinity, hi: c.value, how: `the bound ≤ ${fmt(c.value)}` };
  if (/lower_bound$/.test(c.metric)) return { lo: c.value, hi: Infinity, how: `the bound ≥ ${fmt(c.value)}` };
  if (c.range && c.range.length === 2) return { lo: c.range[0], hi: c.range[1], how: `the paper's range ${fmt(c.range[0])}–${fmt(c.range[1])}` };
  if (c.ci95 && c.ci95.length === 2) return { lo: c.ci95[0], hi: c.ci95[1], how: `the paper's 95% CI [${fmt(c.ci95[0])}, ${fmt(c.ci95[1])}]` };
  const pm = typeof c.plus_minus === 'number' ? c.plus_minus : null;
  if (pm === null) return { lo: c.value, hi: c.value, how: `the paper's point value ${fmt(c.value)}` };
  const v = c.value;
  if (c.plus_minus_kind === 'std') {
    const runs = runsOfSd(c);
    if (runs === null) return { lo: v, hi: v, how: `the paper's value ${fmt(v)} (its ± ${fmt(pm)} is an sd over an unstated number of runs, so its mean's interval is unknown)` };
    const h = (1.96 * pm) / Math.sqrt(runs);
    return { lo: v - h, hi: v + h, how: `the paper's mean ${fmt(v)} ± ${fmt(h)} (95% CI from its sd ${fmt(pm)} over ${runs} runs)` };
  }
  if (c.plus_minus_kind === 'ci95') return { lo: v - pm, hi: v + pm, how: `the paper's 95% CI ${fmt(v)} ± ${fmt(pm)}` };
  return { lo: v - pm, hi: v + pm, how: `the paper's ${fmt(v)} ± ${fmt(pm)} (kind of ± unstated, taken as printed)` };
}

export function isMachineBound(c: Claim, m: Measurement): boolean {
  return m.portability === 'machine-bound' || MACHINE_BOUND_UNITS.has(normUnit(c.unit)) || MACHINE_BOUND_UNITS.has(normUnit(m.unit));
}

/** Judges a measurement that is comparable (same setting, portable) against the paper's number. */
function judge(c: Claim, m: Measurement): Outcome {
  const none: string[] = [];
  const paper = paperInterval(c);
  if (!paper) return { verdict: 'inconclusive', reason: 'the paper states no number to compare', differences: none };
  const dir = c.direction;
  const confident = m.seeds >= MIN_CONFIRMING_SEEDS && m.ci95 !== null;
  const ours: [number, number] = confident && m.ci95 ? m.ci95 : [m.value, m.value];
  const oursText = confident ? `our 95% CI [${fmt(ours[0])}, ${fmt(ours[1])}] over ${m.seeds} seeds` : `our ${fmt(m.value)} (${m.seeds} seed${m.seeds === 1 ? '' : 's'}${m.ci95 ? '' : ', no CI'})`;
  const better = dir === 'higher_is_better' ? ours[0] > paper.hi : dir === 'lower_is_better' ? ours[1] < paper.lo : false;
  const worse =
    dir === 'higher_is_better' ? ours[1] < paper.lo : dir === 'lower_is_better' ? ours[0] > paper.hi : ours[1] < paper.lo || ours[0] > paper.hi;
  if (!confident) {
    const miss = dir === 'higher_is_better' ? paper.lo - m.value : dir === 'lower_is_better' ? m.value - paper.hi : Math.max(paper.lo - m.value, m.value - paper.hi);
    const half = 0.5 * Math.abs(c.value ?? 0);
    if (worse && miss > half) {
      return { verdict: 'not reproduced', reason: `${oursText} misses ${paper.how} by ${fmt(miss)}, more than half the paper's value (${fmt(half)}): refuted even without a CI`, differences: none };
    }
    return { verdict: 'inconclusive', reason: `${oursText}: a value without a CI over at least ${MIN_CONFIRMING_SEEDS} seeds can never confirm a claim, and it does not miss ${paper.how} by more than half the paper's value`, differences: none };
  }
  if (better) return { verdict: 'exceeds', reason: `${oursText} lies wholly on the better side of ${paper.how}`, differences: none };
  if (worse) return { verdict: 'not reproduced', reason: `${oursText} lies wholly on the worse side of ${paper.how}`, differences: none };
  const isBound = !Number.isFinite(paper.lo) || !Number.isFinite(paper.hi);
  const inside = ours[0] >= paper.lo && ours[1] <= paper.hi;
  if (isBound) {
    return inside
      ? { verdict: 'reproduced', reason: `${oursText} lies wholly inside ${paper.how}`, differences: none }
      : { verdict: 'inconclusive', reason: `${oursText} straddles ${paper.how}`, differences: none };
  }
  const tooWide = (ours[1] - ours[0]) / 2 > MAX_CONFIRMING_HALF_WIDTH * Math.max(Math.abs(m.value), 1e-12);
  if (tooWide) {
    return { verdict: 'inconclusive', reason: `${oursText} overlaps ${paper.how}, but is wider than ±${MAX_CONFIRMING_HALF_WIDTH * 100}% of our value`, differences: none };
  }
  return { verdict: 'reproduced', reason: `${oursText} overlaps ${paper.how}`, differences: none };
}

export interface Unmeasured {
  /** No experiment of this workbench links the claim: why. */
  noExperiment?: string;
  /** A theory claim no check covers: why. */
  notCheckable?: string;
}

export function verdictFor(c: Claim, m: Measurement | null, unmeasured: Unmeasured = {}): Outcome {
  const o = verdictOf(c, m, unmeasured);
  // A run of an earlier build judged on a setting read from its config says where the setting came from.
  return m && !m.declared && m.inferred && m.inferred.missing.length === 0 ? { ...o, reason: `${o.reason} (setting inferred from the ${m.inferred.from})` } : o;
}

function verdictOf(c: Claim, m: Measurement | null, unmeasured: Unmeasured): Outcome {
  const none: string[] = [];
  if (c.metric === 'hyperparameter') return { verdict: 'setting', reason: 'a setting of the paper, not a result', differences: none };
  if (!m) {
    if (!c.runnable_on_cpu_workstation) return { verdict: 'not runnable here', reason: 'needs data, models or hardware this workstation does not have', differences: none };
    if (unmeasured.notCheckable) return { verdict: 'not checkable', reason: unmeasured.notCheckable, differences: none };
    if (unmeasured.noExperiment) return { verdict: 'no experiment', reason: unmeasured.noExperiment, differences: none };
    return { verdict: 'not run', reason: 'an experiment here measures this claim, but no finished run has yet', differences: none };
  }
  const differences = settingDifferences(c, m);
  if (isMachineBound(c, m)) {
    const where = `measured on ${m.machine || 'this machine'}${m.backend ? `, ${m.backend} backend` : ''}`;
    return {
      verdict: 'machine-bound',
      reason: `${m.quantity} is an absolute amount of this machine (${normUnit(m.unit)}), not of the method: ${where}; shown beside the paper's number, never judged${differences.length ? `; also differs in ${differences.map((d) => d.text).join('; ')}` : ''}`,
      differences: differences.map((d) => d.text),
    };
  }
  if (!m.declared && (!m.inferred || m.inferred.missing.length)) {
    const what = m.inferred?.missing.length ? `, and its stored config does not give the ${m.inferred.missing.join(', ')}` : '';
    return { verdict: 'inconclusive', reason: `the run does not declare the setting it measured in (a run of an earlier build or an imported one)${what}: shown, not judged`, differences: none };
  }
  const analogue = differences.filter((d) => d.kind === 'analogue');
  if (analogue.length) {
    return { verdict: 'analogue', reason: `measured on ${analogue.map((d) => d.text).join('; ')}: shown beside the paper's number, never judged against it`, differences: differences.map((d) => d.text) };
  }
  if (differences.length) {
    return { verdict: 'different setting', reason: `measured in another setting than the paper's: ${differences.map((d) => d.text).join('; ')}`, differences: differences.map((d) => d.text) };
  }
  if (m.check && m.assumed?.length) {
    const under = m.assumed.join(', ');
    return m.check === 'holds'
      ? { verdict: 'inconclusive', reason: `the check holds only under choices the paper leaves open (${under}): consistent with the claim, not a confirmation of it: ${m.note ?? m.quantity}`, differences: none }
      : { verdict: 'inconclusive', reason: `the check fails under choices the paper leaves open (${under}), which other choices may satisfy: ${m.note ?? m.quantity}`, differences: none };
  }
  if (m.check) {
    return m.check === 'holds'
      ? { verdict: 'reproduced', reason: `the check holds: ${m.note ?? m.quantity}`, differences: none }
      : { verdict: 'not reproduced', reason: `counterexample found: ${m.note ?? m.quantity}`, differences: none };
  }
  return judge(c, m);
}
