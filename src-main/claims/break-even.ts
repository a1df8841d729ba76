/**
 * The break-even rows of Tables 8–9, App. C.1 and Section 5 (N = T / ((1 − 1/S) · t_batch)), recomputed twice:
 * from the paper's own training overhead T, speedup S and per-batch latency (an arithmetic entry, whose badge
 * opens the steps), and from ours when a run measured the row's speedup. With our S ≤ 1 every batch costs more
 * than it saves, so no break-even comes at all: the row says so with the measured speedup, instead of "not run".
 * Our break-even's inputs are absolute times of this machine, so it is never judged; a setting that differs
 * from the paper's (a small-scale model) is named first.
 */
import type { ClaimArithmetic, ClaimBreakEven, ClaimMeasurement, ClaimVerdict } from '../api/contract';
import { roundingOf } from './arithmetic';
import type { Catalog, Claim } from './catalog';
import { settingDifferences } from './setting';

/** The paper's inputs of one break-even row, by claim id; `tBatch` null where the paper gives no latency. */
interface PaperInputs {
  overhead: string;
  speedup: string;
  tBatch: { claim: string; why: string } | null;
}

const ENTROPYNET_BATCH = { claim: 'T2.synthetic-high.raw.runtime', why: 'Table 2\'s raw hull time, one batch = one hull (the paper defines no batch for EntropyNet)' };
const VIT_BATCH = { claim: 'C1.vit-base.t-batch', why: 'App. C.1\'s ViT-Base batch latency' };
const LLAMA_BATCH = { claim: 'T7.dense.latency', why: 'Table 7\'s dense LLaMA-2 latency' };

export const BREAK_EVEN_ROWS: Readonly<Record<string, PaperInputs>> = {
  'T8.entropynet.break-even': { overhead: 'T8.entropynet.train-overhead', speedup: 'T8.entropynet.speedup', tBatch: ENTROPYNET_BATCH },
  'T9.entropynet.break-even': { overhead: 'T9.entropynet.train-overhead', speedup: 'T9.entropynet.speedup', tBatch: ENTROPYNET_BATCH },
  'T8.vit-base-imagenet.break-even': { overhead: 'T8.vit-base-imagenet.train-overhead', speedup: 'T8.vit-base-imagenet.speedup', tBatch: VIT_BATCH },
  'T9.vit-base-cifar100.break-even': { overhead: 'T9.vit-base-cifar100.train-overhead', speedup: 'T9.vit-base-cifar100.speedup', tBatch: VIT_BATCH },
  'C1.vit-base.break-even': { overhead: 'C1.vit-base.overhead-seconds', speedup: 'C1.vit-base.speedup', tBatch: VIT_BATCH },
  'T8.llama2-7b.break-even': { overhead: 'T8.llama2-7b.train-overhead', speedup: 'T8.llama2-7b.speedup', tBatch: LLAMA_BATCH },
  'T9.llama2-7b.break-even': { overhead: 'T9.llama2-7b.train-overhead', speedup: 'T9.llama2-7b.speedup', tBatch: LLAMA_BATCH },
  'T9.gpt-j-6b.break-even': { overhead: 'T9.gpt-j-6b.train-overhead', speedup: 'T9.gpt-j-6b.speedup', tBatch: null },
  'S4.fail.pg19.break-even': { overhead: 'S4.fail.pg19.train-overhead', speedup: 'S4.fail.pg19.speedup', tBatch: null },
};

const SECONDS: Readonly<Record<string, number>> = { s: 1, min: 60, hours: 3600, h: 3600 };
const MS: Readonly<Record<string, number>> = { ms: 1, s: 1000 };

const fmt = (v: number): string => String(Number(v.toPrecision(5)));
const fmt3 = (v: number): string => String(Number(v.toPrecision(3)));
const fmtCi = (ci: [number, number] | null): string => (ci ? ` [${fmt3(ci[0])}, ${fmt3(ci[1])}]` : ' (no CI)');
export const breakEvenArithmeticId = (claimId: string): string => `BE-${claimId.replace(/\.break-even$/, '')}`;

type Step = ClaimArithmetic['steps'][number];

/** One arithmetic entry per break-even row, from the paper's own numbers; the N it gives (null without a t_batch). */
export function paperBreakEvens(catalog: Catalog): Array<{ claim: string; entry: ClaimArithmetic; value: number | null }> {
  const byId = new Map(catalog.claims.map((c) => [c.id, c]));
  const out: Array<{ claim: string; entry: ClaimArithmetic; value: number | null }> = [];
  for (const [claimId, inputs] of Object.entries(BREAK_EVEN_ROWS)) {
    const row = byId.get(claimId);
    const t = byId.get(inputs.overhead);
    const s = byId.get(inputs.speedup);
    if (!row || !t || !s || row.value === null || t.value === null || s.value === null) throw new Error(`break-even: ${claimId} lacks a number in the catalogue`);
    const steps: Step[] = [];
    const used = [claimId, inputs.overhead, inputs.speedup];
    const tSeconds = SECONDS[t.unit ?? ''] !== undefined ? t.value * SECONDS[t.unit ?? ''] : null;
    const gain = 1 - 1 / s.value;
    let value: number | null = null;
    let what: string;
    const batch = inputs.tBatch ? byId.get(inputs.tBatch.claim) : undefined;
    const batchMs = batch && batch.value !== null && MS[batch.unit ?? ''] !== undefined ? batch.value * MS[batch.unit ?? ''] : null;
    if (tSeconds !== null && batchMs !== null && inputs.tBatch) {
      used.push(inputs.tBatch.claim);
      if (t.unit !== 's') steps.push({ expr: `T = ${fmt(t.value)} ${t.unit} (${inputs.overhead})`, value: tSeconds, paper: null, ok: null });
      steps.push({ expr: `saved per batch (1 − 1/${fmt(s.value)}) × ${fmt(batchMs)} ms (${inputs.tBatch.claim})`, value: gain * batchMs, paper: null, ok: null });
      value = tSeconds / ((gain * batchMs) / 1000);
      steps.push({ expr: `N = ${fmt(tSeconds)} s / ${fmt(gain * batchMs)} ms (${claimId})`, value, paper: row.value, ok: Math.abs(value - row.value) <= roundingOf(row.value) + 1e-9 });
      what = `${row.where}: the break-even recomputed from the paper's own T, S and t_batch (${inputs.tBatch.why})`;
    } else if (tSeconds !== null) {
      const implied = tSeconds / (gain * row.value);
      steps.push({ expr: `implied t_batch in ms = 1000 × ${fmt(tSeconds)} s / ((1 − 1/${fmt(s.value)}) × ${fmt(row.value)})`, value: implied * 1000, paper: null, ok: null });
      what = `${row.where}: the paper gives no per-batch latency for this row, so its break-even cannot be recomputed; the latency (ms) its ${fmt(row.value)} batches imply is shown`;
    } else {
      steps.push({ expr: `implied T / t_batch = ${fmt(row.value)} × (1 − 1/${fmt(s.value)})`, value: row.value * gain, paper: null, ok: null });
      what = `${row.where}: the paper gives its overhead as ${fmt(t.value)} ${t.unit ?? ''} of an unstated training time and no per-batch latency, so its break-even cannot be recomputed; the ratio T / t_batch its ${fmt(row.value)} batches imply is shown`;
    }
    out.push({ claim: claimId, value, entry: { id: breakEvenArithmeticId(claimId), kind: 'break-even', what, steps, ok: steps.every((x) => x.ok !== false), claims: used } });
  }
  return out;
}

/** The paper's side of a break-even row, shown whether or not a run measured it. */
export function paperSide(paper: { value: number | null; entry: ClaimArithmetic }): ClaimBreakEven['paper'] {
  return {
    value: paper.value,
    arithmetic: paper.entry.id,
    text: paper.value !== null ? `${fmt(paper.value)} batches from the paper's own inputs (${paper.entry.id})` : `not recomputable: the paper gives no per-batch latency (${paper.entry.id})`,
  };
}

export interface BreakEvenJudgement {
  ours: ClaimMeasurement | null;
  verdict: ClaimVerdict;
  reason: string;
  differences: string[];
  breakEven: ClaimBreakEven;
}

/**
 * Our side of a break-even row: the run's break-even N when our speedup exceeded 1, else "no break-even" with
 * the measured speedup. The verdict follows the comparability rules: a setting that differs → analogue or
 * different setting, naming it; otherwise machine-bound (T and t_batch are this machine's times). Null when no
 * run measured the row's speedup: the row keeps its ordinary verdict ("not run", "not runnable here").
 */
export function judgeBreakEven(
  c: Claim,
  paper: { value: number | null; entry: ClaimArithmetic },
  measured: ReadonlyMap<string, ClaimMeasurement>,
  byId: ReadonlyMap<string, Claim>,
): BreakEvenJudgement | null {
  const inputs = BREAK_EVEN_ROWS[c.id];
  if (!inputs) return null;
  const own = measured.get(c.id) ?? null;
  const speedup = measured.get(inputs.speedup) ?? null;
  const speedupClaim = byId.get(inputs.speedup);
  let shown: ClaimMeasurement;
  let differences: string[];
  let kindOf: Array<'analogue' | 'setting'>;
  let head: string;
  let ours: ClaimBreakEven['ours'];
  if (own) {
    const d = settingDifferences(c, own);
    shown = own;
    differences = d.map((x) => x.text);
    kindOf = d.map((x) => x.kind);
    const s = speedup ?? own;
    ours = { reachable: true, value: own.value, speedup: speedup?.value ?? null, speedupCi95: speedup?.ci95 ?? null, seeds: s.seeds, runId: own.runId, text: `${fmt(own.value)} batches from our measured inputs` };
    head = `our break-even ${fmt(own.value)} batches (${own.note ?? own.quantity})`;
  } else if (speedup && speedupClaim && speedup.value <= 1) {
    const d = settingDifferences(speedupClaim, speedup);
    shown = speedup;
    differences = d.map((x) => x.text);
    kindOf = d.map((x) => x.kind);
    const text = `no break-even: measured speedup ${fmt3(speedup.value)}×${fmtCi(speedup.ci95)}`;
    ours = { reachable: false, value: null, speedup: speedup.value, speedupCi95: speedup.ci95, seeds: speedup.seeds, runId: speedup.runId, text };
    head = `${text} over ${speedup.seeds} seed${speedup.seeds === 1 ? '' : 's'} (${inputs.speedup}, run ${speedup.runId}): at S ≤ 1 a batch saves nothing, so no number of batches amortises the training`;
  } else {
    return null;
  }
  const breakEven: ClaimBreakEven = { paper: paperSide(paper), ours };
  const paperNote = paper.value !== null ? `; the paper's own inputs give ${fmt(paper.value)} batches against its printed ${fmt(c.value ?? Number.NaN)}` : '';
  if (kindOf.includes('analogue')) {
    return { ours: shown, verdict: 'analogue', reason: `${head}; measured on ${differences.join('; ')}: shown beside the paper's number, never judged${paperNote}`, differences, breakEven };
  }
  if (differences.length) {
    return { ours: shown, verdict: 'different setting', reason: `${head}; measured in another setting than the paper's: ${differences.join('; ')}${paperNote}`, differences, breakEven };
  }
  const where = `${shown.machine || 'this machine'}${shown.backend ? `, ${shown.backend} backend` : ''}`;
  return {
    ours: shown,
    verdict: 'machine-bound',
    reason: `${head}; a break-even rests on the training time and batch latency of this machine (${where}), so it is shown beside the paper's number, never judged${paperNote}`,
    differences,
    breakEven,
  };
}
