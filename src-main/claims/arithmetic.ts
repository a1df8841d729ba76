/**
 * The paper's arithmetic, recomputed from its own numbers in the catalogue: the consistency checks (ratios of
 * table cells, sums, the break-even formula of App. C.1) and the inconsistencies that rest on arithmetic. Each
 * step reads the catalogue's values by claim id, so a step is attached to every claim row it touches, and a
 * printed number is compared within the rounding of how it is printed (half a unit of its last digit).
 * Inconsistencies found by reading rather than arithmetic (a caption against the text) keep their prose and
 * are attached to their claims with no steps.
 */
import type { ClaimArithmetic } from '../api/contract';
import type { Catalog } from './catalog';

type Step = ClaimArithmetic['steps'][number];

/** Half a unit of the last printed digit: 4.14 → 0.005, 8.7 → 0.05, 450000 ("450K") → 5000. */
export function roundingOf(x: number): number {
  if (x === 0) return 0.05;
  const s = String(Math.abs(x));
  if (s.includes('e')) return Math.abs(x) * 0.005;
  const dot = s.indexOf('.');
  if (dot >= 0) return 0.5 * 10 ** -(s.length - dot - 1);
  const zeros = s.length - s.replace(/0+$/, '').length;
  return 0.5 * 10 ** zeros;
}

const fmt = (v: number): string => String(Number(v.toPrecision(5)));

class Builder {
  readonly used = new Set<string>();
  readonly steps: Step[] = [];
  constructor(private readonly values: Map<string, { value: number | null; range: number[] | null }>) {}

  v(id: string): number {
    const c = this.values.get(id);
    if (!c || c.value === null) throw new Error(`arithmetic: claim ${id} has no value in the catalogue`);
    this.used.add(id);
    return c.value;
  }
  /** Compare with a printed claim (a range as its whole range), or with a literal that is not a claim. */
  /** `slack`: a rounding of the computed side too, when it is itself a printed number (4.1 against 4.14). */
  step(expr: string, value: number, printed: string | number | null, slack = 0): void {
    if (printed === null) return void this.steps.push({ expr, value, paper: null, ok: null });
    if (typeof printed === 'number') return void this.steps.push({ expr, value, paper: printed, ok: Math.abs(value - printed) <= Math.max(slack, roundingOf(printed)) + 1e-9 });
    const p = this.v(printed);
    const range = this.values.get(printed)?.range;
    const ok = range && range.length === 2 ? value >= range[0] - roundingOf(range[0]) && value <= range[1] + roundingOf(range[1]) : Math.abs(value - p) <= Math.max(slack, roundingOf(p)) + 1e-9;
    this.steps.push({ expr: `${expr} (${printed})`, value, paper: p, ok });
  }
  div(a: string, b: string, printed: string | number | null): void {
    this.step(`${fmt(this.v(a))} / ${fmt(this.v(b))}`, this.v(a) / this.v(b), printed);
  }
  sub(a: string, b: string, printed: string | number | null): void {
    this.step(`${fmt(this.v(a))} − ${fmt(this.v(b))}`, this.v(a) - this.v(b), printed);
  }
  same(a: string, b: string): void {
    this.step(`${a} = ${fmt(this.v(a))}`, this.v(a), b, roundingOf(this.v(a)));
  }
  /** App. C.1: N_min = T / ((1 − 1/S) · t_batch). */
  breakEven(tSeconds: number, tText: string, speedup: number, batchMs: number, printed: string | number | null): void {
    const n = tSeconds / ((1 - 1 / speedup) * (batchMs / 1000));
    this.step(`${tText} / ((1 − 1/${fmt(speedup)}) × ${fmt(batchMs)} ms)`, n, printed);
  }
}

interface Def {
  id: string;
  build: (b: Builder) => void;
}

const T2 = (row: string, m: string, metric: string): string => `T2.synthetic-${row}.${m}.${metric}`;

/** Consistency checks, in the catalogue's order (C01 … C22). */
const CONSISTENCY: Def[] = [
  { id: 'C01', build: (b) => { for (const row of ['high', 'parabolic']) for (const m of ['heuristic-sort', 'entropynet']) b.div(T2(row, 'raw', 'runtime'), T2(row, m, 'runtime'), T2(row, m, 'speedup')); } },
  { id: 'C02', build: (b) => { for (const m of ['fa2', 'retnet', 'longnet', 'l1', 'der', 'fa2-l1', 'fa2-der', 'retnet-der']) b.div('T5.dense.latency', `T5.${m}.latency`, `T5.${m}.speedup`); } },
  {
    id: 'C03',
    build: (b) => {
      for (const m of ['dense', 'fa2', 'retnet', 'longnet', 'l1', 'der', 'fa2-l1', 'fa2-der', 'retnet-der']) {
        b.step(`${fmt(b.v(`T5.${m}.throughput`))} img/s × ${fmt(b.v(`T5.${m}.latency`))} ms`, (b.v(`T5.${m}.throughput`) * b.v(`T5.${m}.latency`)) / 1000, 16);
      }
    },
  },
  { id: 'C04', build: (b) => { for (const m of ['fa2', 'bigbird', 'linformer', 'der', 'fa2-der']) b.div('T7.dense.latency', `T7.${m}.latency`, `T7.${m}.speedup`); } },
  {
    id: 'C05',
    build: (b) => {
      for (const [m, drop] of [['der', 'S4.llama.der.rouge-drop'], ['bigbird', 'S4.llama.bigbird.rouge-drop'], ['linformer', 'S4.llama.linformer.rouge-drop']]) b.sub('T7.dense.rouge-l', `T7.${m}.rouge-l`, drop);
      b.step(`100 × (1 − ${fmt(b.v('T7.der.memory'))} / ${fmt(b.v('T7.dense.memory'))})`, 100 * (1 - b.v('T7.der.memory') / b.v('T7.dense.memory')), 'S4.llama.der.memory-reduction');
    },
  },
  {
    id: 'C06',
    build: (b) => {
      b.sub('T3.llama2-7b.dense.rouge-l', 'T3.llama2-7b.der.rouge-l', 0.3);
      b.sub('T3.mistral-7b.dense.rouge-l', 'T3.mistral-7b.der.rouge-l', 'S4.llm.rouge-within');
      b.sub('T3.phi2.der.perplexity', 'T3.phi2.dense.perplexity', 'S4.llm.ppl-delta');
    },
  },
  {
    id: 'C07',
    build: (b) => {
      b.sub('T5.fa2-der.speedup', 'T5.fa2.speedup', 'S4.vit.fa-der.gain');
      b.sub('T5.retnet-der.speedup', 'T5.retnet.speedup', 'S4.vit.retnet-der.gain');
      b.step(`${fmt(b.v('S4.vit.der.speedup'))} − 1`, b.v('S4.vit.der.speedup') - 1, 'S4.vit.der.gain');
      b.step(`Table 5's ${fmt(b.v('T5.der.speedup'))} − 1`, b.v('T5.der.speedup') - 1, 'S4.vit.der.gain');
    },
  },
  { id: 'C08', build: (b) => { for (const s of ['kitti', 'waymo']) b.div(`T10.${s}.raw.runtime`, `T10.${s}.entropynet.runtime`, `T10.${s}.entropynet.speedup`); } },
  { id: 'C09', build: (b) => b.div('T20.raw.runtime', 'T20.neuralsort.runtime', 'T20.neuralsort.speedup') },
  {
    id: 'C10',
    build: (b) => {
      for (const s of ['synthetic-high', 'quickdraw-low']) {
        b.step(`${fmt(b.v(`T22.${s}.entropynet-time`))} + ${fmt(b.v(`T22.${s}.chan-time`))}`, b.v(`T22.${s}.entropynet-time`) + b.v(`T22.${s}.chan-time`), `T22.${s}.total-time`);
      }
      b.sub('T2.synthetic-high.raw.runtime', 'T22.synthetic-high.total-time', 'T22.synthetic-high.net-benefit');
    },
  },
  { id: 'C11', build: (b) => { b.div('T23.hull.scipy.time', 'T23.hull.entropynet-chan.time', 'T23.hull.entropynet-chan.speedup'); b.div('T23.delaunay.scipy.time', 'T23.delaunay.entropynet-scipy.time', 'T23.delaunay.entropynet-scipy.speedup'); } },
  { id: 'C12', build: (b) => { b.sub('T27.standard.clean-acc', 'T27.fast-fgsm.clean-acc', 11.5); b.sub('T27.standard.clean-acc', 'T27.pgd10-at.clean-acc', 13.0); } },
  {
    id: 'C13',
    build: (b) => {
      b.same('T15.ball.speedup', 'T2.synthetic-high.entropynet.speedup');
      b.same('T15.ball.hull-error', 'T2.synthetic-high.entropynet.hull-error');
      b.same('T16.k16.speedup', 'T2.synthetic-high.entropynet.speedup');
      b.same('T17.full.speedup', 'T2.synthetic-high.entropynet.speedup');
      b.same('S3.hull.hsoft.speedup', 'T15.halfspace.speedup');
    },
  },
  { id: 'C14', build: (b) => b.same('T19.der.accuracy', 'T5.der.top1') },
  { id: 'C15', build: (b) => { for (const [t24, t5] of [['dense-fa2', 'fa2'], ['der-fa2', 'fa2-der']]) for (const col of [['top1', 'top1'], ['latency', 'latency'], ['memory', 'memory']]) b.same(`T24.${t24}.${col[0]}`, `T5.${t5}.${col[1]}`); } },
  {
    id: 'C16',
    build: (b) => {
      b.step(`${fmt(b.v('T9.vit-base-cifar100.train-overhead'))} h × 3600`, b.v('T9.vit-base-cifar100.train-overhead') * 3600, 'C1.vit-base.overhead-seconds');
      b.step(`(1 − 1/${fmt(b.v('C1.vit-base.speedup'))}) × ${fmt(b.v('C1.vit-base.t-batch'))} ms`, (1 - 1 / b.v('C1.vit-base.speedup')) * b.v('C1.vit-base.t-batch'), 'C1.vit-base.savings');
      b.step(`${fmt(b.v('C1.vit-base.overhead-seconds'))} s / ${fmt(b.v('C1.vit-base.savings'))} ms`, b.v('C1.vit-base.overhead-seconds') / (b.v('C1.vit-base.savings') / 1000), 'C1.vit-base.break-even');
      b.breakEven(b.v('C1.vit-base.overhead-seconds'), '12240 s', b.v('C1.vit-base.speedup'), b.v('C1.vit-base.t-batch'), 'T9.vit-base-cifar100.break-even');
    },
  },
  { id: 'C17', build: (b) => { for (const m of ['entropynet', 'vit-base-cifar100', 'llama2-7b', 'gpt-j-6b']) b.div(`T9.${m}.break-even`, `T9.${m}.daily-batches`, `T9.${m}.roi-days`); } },
  { id: 'C18', build: (b) => b.step(`${fmt(b.v('T6.vit-base.baseline-train-time'))} h × ${fmt(b.v('T6.vit-base.overhead-faiss'))} %`, (b.v('T6.vit-base.baseline-train-time') * b.v('T6.vit-base.overhead-faiss')) / 100, 'T8.vit-base-imagenet.train-overhead') },
  { id: 'C19', build: (b) => b.step(`100 × (${fmt(b.v('abs.iou.der'))} − ${fmt(b.v('abs.iou.magnitude'))}) / ${fmt(b.v('abs.iou.magnitude'))}`, (100 * (b.v('abs.iou.der') - b.v('abs.iou.magnitude'))) / b.v('abs.iou.magnitude'), 'S4.iou-proxy.relative-gain') },
  { id: 'C20', build: (b) => b.sub('T14.der.accuracy', 'T14.baseline.accuracy', 1.1) },
  { id: 'C21', build: () => undefined },
  { id: 'C22', build: () => undefined },
];

/** Inconsistencies whose substance is arithmetic on the paper's numbers. */
const INCONSISTENCY_STEPS: Record<string, (b: Builder) => void> = {
  I02: (b) => {
    b.div('T2.synthetic-high.raw.runtime', 'T22.synthetic-high.total-time', 'T2.synthetic-high.entropynet.speedup');
    b.div('T2.synthetic-high.raw.runtime', 'T22.synthetic-high.chan-time', 'T2.synthetic-high.entropynet.speedup');
  },
  I03: (b) => {
    b.div('T2.synthetic-high.raw.runtime', 'T22.synthetic-high.total-time', 'abs.geometry.hull-delaunay.speedup');
    b.step(`Table 2 parabolic ${fmt(b.v('T2.synthetic-parabolic.entropynet.speedup'))}×`, b.v('T2.synthetic-parabolic.entropynet.speedup'), 'abs.geometry.hull-delaunay.speedup');
    const raw = b.v('T22.quickdraw-low.total-time') + b.v('T22.quickdraw-low.net-benefit');
    b.step(`QuickDraw (${fmt(b.v('T22.quickdraw-low.total-time'))} + ${fmt(b.v('T22.quickdraw-low.net-benefit'))}) / ${fmt(b.v('T22.quickdraw-low.total-time'))}`, raw / b.v('T22.quickdraw-low.total-time'), 'abs.geometry.hull-delaunay.speedup');
    b.div('T23.delaunay.scipy.time', 'T23.delaunay.entropynet-scipy.time', 'abs.geometry.hull-delaunay.speedup');
    b.div('T23.hull.scipy.time', 'T23.hull.entropynet-chan.time', 'abs.geometry.hull-delaunay.speedup');
  },
  I06: (b) => {
    const t = b.v('T8.vit-base-imagenet.train-overhead') * 3600;
    b.breakEven(t, `${fmt(t)} s`, b.v('T8.vit-base-imagenet.speedup'), b.v('C1.vit-base.t-batch'), 'T8.vit-base-imagenet.break-even');
    b.breakEven(t, `${fmt(t)} s`, b.v('T9.vit-base-cifar100.speedup'), b.v('C1.vit-base.t-batch'), 'T9.vit-base-cifar100.break-even');
  },
  I07: (b) => {
    const t = b.v('T8.llama2-7b.train-overhead') * 3600;
    b.breakEven(t, `${fmt(t)} s`, b.v('T8.llama2-7b.speedup'), b.v('T7.dense.latency'), 'T8.llama2-7b.break-even');
    b.step(`that N / ${fmt(b.v('T9.llama2-7b.daily-batches'))} per day`, t / ((1 - 1 / b.v('T8.llama2-7b.speedup')) * (b.v('T7.dense.latency') / 1000)) / b.v('T9.llama2-7b.daily-batches'), 'T9.llama2-7b.roi-days');
  },
  I08: (b) => {
    const t = b.v('T8.entropynet.train-overhead') * 60;
    b.breakEven(t, `${fmt(t)} s`, b.v('T8.entropynet.speedup'), b.v('T2.synthetic-high.raw.runtime'), 'T8.entropynet.break-even');
    b.step(`${fmt(t)} s / ${fmt(b.v('T22.synthetic-high.net-benefit'))} ms saved`, t / (b.v('T22.synthetic-high.net-benefit') / 1000), 'T9.entropynet.break-even');
  },
  I10: (b) => {
    b.div('T9.vit-base-cifar100.break-even', 'T9.vit-base-cifar100.daily-batches', 'S5.amortization.vit-bert-days');
    const t = b.v('H8.vit-base.train-overhead') * 3600;
    const n = t / ((1 - 1 / b.v('H8.vit-base.speedup')) * (b.v('C1.vit-base.t-batch') / 1000));
    b.step(`N at ${fmt(b.v('H8.vit-base.speedup'))}× (${fmt(n)}) / ${fmt(b.v('T9.vit-base-cifar100.daily-batches'))} per day`, n / b.v('T9.vit-base-cifar100.daily-batches'), 'H8.vit-base.payback-days');
  },
  I14: (b) => b.step(`100 × (${fmt(b.v('T18.der.iou-gt'))} − ${fmt(b.v('T18.l1.iou-gt'))}) / ${fmt(b.v('T18.l1.iou-gt'))}`, (100 * (b.v('T18.der.iou-gt') - b.v('T18.l1.iou-gt'))) / b.v('T18.l1.iou-gt'), 'S4.iou-proxy.relative-gain'),
  I17: (b) => {
    b.same('T11.der.glue', 'S4.glue.der.score');
    b.same('T11.bigbird.glue', 'S4.glue.bigbird.score');
    b.sub('T11.der.glue', 'T11.bigbird.glue', 'D2.glue.margin');
    b.sub('T11.der.glue', 'T11.linformer.glue', 'D2.glue.margin');
  },
  I18: (b) => {
    b.sub('T5.fa2-der.speedup', 'T5.fa2.speedup', 'S4.vit-small.complementary-gain');
    b.sub('T7.fa2-der.speedup', 'T7.fa2.speedup', 'S4.llama.complementary-gain');
  },
  I38: (b) => {
    b.step(`${fmt(b.v('T5.fa2.speedup'))} × ${fmt(b.v('T5.der.speedup'))} (independent)`, b.v('T5.fa2.speedup') * b.v('T5.der.speedup'), 'T5.fa2-der.speedup');
    b.step(`${fmt(b.v('T7.fa2.speedup'))} × ${fmt(b.v('T7.der.speedup'))} (independent)`, b.v('T7.fa2.speedup') * b.v('T7.der.speedup'), 'T7.fa2-der.speedup');
  },
  I41: (b) => b.step(`100 × (1 − ${fmt(b.v('T7.der.memory'))} / ${fmt(b.v('T7.fa2.memory'))}) vs FlashAttention`, 100 * (1 - b.v('T7.der.memory') / b.v('T7.fa2.memory')), 'S4.llama.der.memory-reduction'),
  I24: (b) => {
    // δ = 0.1; one cluster of mass 0.8 and M = 10⁶ clusters of 0.2/M: H(p) = −0.8 ln 0.8 − 0.2 ln(0.2/M).
    const M = 1e6;
    const h = -0.8 * Math.log(0.8) - 0.2 * Math.log(0.2 / M);
    b.step('Prop. 1 bound ⌈e^{H(p)}/δ⌉ for δ = 0.1, masses 0.8 + 10⁶ × 2·10⁻⁷', Math.ceil(Math.exp(h) / 0.1), 1 + M / 2);
  },
};

export function arithmeticChecks(catalog: Catalog): ClaimArithmetic[] {
  const values = new Map(catalog.claims.map((c) => [c.id, { value: c.value, range: c.range ?? null }]));
  const out: ClaimArithmetic[] = [];
  catalog.consistency_checks.forEach((check, i) => {
    const def = CONSISTENCY[i];
    const b = new Builder(values);
    def?.build(b);
    out.push({ id: def?.id ?? `C${String(i + 1).padStart(2, '0')}`, kind: 'consistency', what: check.what, steps: b.steps, ok: b.steps.every((s) => s.ok !== false), claims: [...b.used] });
  });
  for (const inc of catalog.inconsistencies) {
    const b = new Builder(values);
    INCONSISTENCY_STEPS[inc.id]?.(b);
    const claims = [...new Set([...(inc.claims ?? []).filter((id) => values.has(id)), ...b.used])];
    out.push({ id: inc.id, kind: 'inconsistency', what: inc.what, steps: b.steps, ok: b.steps.length > 0 && b.steps.every((s) => s.ok !== false), claims });
  }
  return out;
}
