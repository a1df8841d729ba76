import { describe, expect, it } from 'vitest';
import type { Run } from '../../../../src-main/api/contract';
import { BREAK_EVEN_ROWS, paperBreakEvens } from '../../../../src-main/claims/break-even';
import { loadCatalog } from '../../../../src-main/claims/catalog';
import { claimsReport } from '../../../../src-main/claims/measure';
import { claimsText } from '../../../../src-main/claims/text';

const catalog = loadCatalog();
const paper = new Map(paperBreakEvens(catalog).map((b) => [b.claim, b]));

const run = (id: string, claims: Record<string, unknown>): Run =>
  ({ id, name: id, kind: 'entropynet-train', status: 'done', endedAt: 1, summary: { claims }, host: { cpu: 'test cpu', cores: 2 }, backend: { name: 'wasm' } }) as unknown as Run;

const link = (value: number, ci95: [number, number] | null, unit: string, portability: 'portable' | 'machine-bound', over: Record<string, unknown> = {}) => ({
  value,
  ci95,
  unit,
  quantity: 'q',
  portability,
  dataset: { name: 'uniform-square', kind: 'real' },
  n: 10_000,
  method: 'EntropyNet + chan',
  seeds: 5,
  scale: 'paper',
  ...over,
});

const row = (runs: Run[], id: string) => claimsReport(runs, catalog).rows.find((r) => r.id === id)!;

describe('break-even rows (App. C.1: N = T / ((1 − 1/S) · t_batch))', () => {
  it('every break-even row of the catalogue is recomputed from the paper\'s own inputs', () => {
    const rows = catalog.claims.filter((c) => c.metric === 'break_even_batches' && !c.duplicate_of).map((c) => c.id);
    expect(Object.keys(BREAK_EVEN_ROWS).sort()).toEqual(rows.sort());
    // EntropyNet: 3 min, 4.1×, Table 2's raw 8.7 ms → 27,364 batches, not the printed 1.5K.
    const en = paper.get('T8.entropynet.break-even')!;
    expect(en.value).toBeCloseTo(180 / ((1 - 1 / 4.1) * 0.0087), 6);
    expect(en.entry.ok).toBe(false);
    expect(en.entry.claims).toEqual(expect.arrayContaining(['T8.entropynet.train-overhead', 'T8.entropynet.speedup', 'T2.synthetic-high.raw.runtime']));
    // ViT-Base on CIFAR-100: 12,240 s, 1.47×, 85 ms → 450K, as printed.
    expect(paper.get('T9.vit-base-cifar100.break-even')!.value).toBeCloseTo(12_240 / ((1 - 1 / 1.47) * 0.085), 6);
    expect(paper.get('T9.vit-base-cifar100.break-even')!.entry.ok).toBe(true);
    // GPT-J has no latency in the paper: nothing to recompute, the implied latency is shown.
    const gptj = paper.get('T9.gpt-j-6b.break-even')!;
    expect(gptj.value).toBeNull();
    expect(gptj.entry.steps[0].value).toBeCloseTo((1000 * 72 * 3600) / ((1 - 1 / 1.4) * 420_000), 6);
  });

  it('with no run, the row reads "not run" and still shows the paper\'s recomputation and its badge', () => {
    const r = row([], 'T8.entropynet.break-even');
    expect(r.verdict).toBe('not run');
    expect(r.breakEven?.paper.value).toBeCloseTo(paper.get('T8.entropynet.break-even')!.value!, 6);
    expect(r.breakEven?.ours).toBeNull();
    expect(r.arithmetic).toContain('BE-T8.entropynet');
    expect(row([], 'T8.vit-base-imagenet.break-even').breakEven?.paper.value).toBeCloseTo(384_000, 6);
  });

  it('our speedup ≤ 1: "no break-even: measured speedup 0.03× [CI]" with the measurement, not "not run"', () => {
    const small = run('quick', { 'T8.entropynet.speedup': link(0.03, [0.02, 0.04], 'x', 'portable', { scale: 'small-scale' }) });
    const r = row([small], 'T8.entropynet.break-even');
    expect(r.verdict).toBe('analogue');
    expect(r.verdictReason).toMatch(/^no break-even: measured speedup 0\.03× \[0\.02, 0\.04\]/);
    expect(r.verdictReason).toMatch(/small-scale/);
    expect(r.ours?.runId).toBe('quick');
    expect(r.breakEven?.ours).toMatchObject({ reachable: false, value: null, speedup: 0.03, runId: 'quick' });
    expect(claimsText(claimsReport([small], catalog), [r])).toMatch(/ours {3}no break-even: measured speedup 0\.03× \[0\.02, 0\.04\], 5 seeds, run quick/);
    // The same run says nothing of Table 9's row: it measured Table 8's speedup only.
    expect(row([small], 'T9.entropynet.break-even').verdict).toBe('not run');
  });

  it('at the paper\'s setting, no break-even is still never judged: the inputs are this machine\'s times', () => {
    const r = row([run('paper', { 'T8.entropynet.speedup': link(0.03, [0.02, 0.04], 'x', 'portable') })], 'T8.entropynet.break-even');
    expect(r.verdict).toBe('machine-bound');
    expect(r.verdictReason).toMatch(/test cpu, 2 cores, wasm backend/);
    const standIn = row([run('s', { 'T8.entropynet.speedup': link(0.5, [0.4, 0.6], 'x', 'portable', { dataset: { name: 'quickdraw-like', kind: 'stand-in' } }) })], 'T8.entropynet.break-even');
    expect(standIn.verdict).toBe('analogue');
    expect(standIn.differences.join(' ')).toMatch(/stand-in data/);
  });

  it('our speedup > 1: our own break-even N is shown, machine-bound or analogue, never judged', () => {
    const claims = {
      'T8.entropynet.speedup': link(2, [1.8, 2.2], 'x', 'portable'),
      'T8.entropynet.break-even': link(40_000, null, 'batches', 'machine-bound', { seeds: 1 }),
    };
    const r = row([run('paper', claims)], 'T8.entropynet.break-even');
    expect(r.verdict).toBe('machine-bound');
    expect(r.ours?.value).toBe(40_000);
    expect(r.breakEven?.ours).toMatchObject({ reachable: true, value: 40_000, speedup: 2 });
    const small = Object.fromEntries(Object.entries(claims).map(([k, v]) => [k, { ...v, scale: 'small-scale' }]));
    expect(row([run('quick', small)], 'T8.entropynet.break-even').verdict).toBe('analogue');
  });
});
