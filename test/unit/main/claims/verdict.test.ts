import { describe, expect, it } from 'vitest';
import { loadCatalog, type Claim } from '../../../../src-main/claims/catalog';
import { claimsReport, measurementsFrom } from '../../../../src-main/claims/measure';
import { paperInterval, verdictFor, type Measurement } from '../../../../src-main/claims/verdict';
import type { Run } from '../../../../src-main/api/contract';

const base: Claim = {
  id: 'T2.synthetic-high.entropynet.speedup',
  where: 'T2',
  pillar: 'geometry',
  setting: { n: null },
  metric: 'speedup',
  value: 4.14,
  unit: 'x',
  direction: 'higher_is_better',
  quote: 'q',
  runnable_on_cpu_workstation: true,
};
const m = (value: number, ci95: [number, number] | null, over: Partial<Measurement> = {}): Measurement => ({
  value,
  ci95,
  unit: 'x',
  quantity: 'speedup',
  portability: 'portable',
  dataset: { name: 'uniform-square', kind: 'real' },
  n: 10_000,
  method: 'chan',
  seeds: ci95 ? 5 : 1,
  scale: 'paper',
  runId: 'r',
  runName: 'r',
  machine: 'test cpu',
  backend: 'wasm',
  declared: true,
  ...over,
});

describe('claim verdicts: one rule each', () => {
  it('an absolute time is machine-bound, never judged: 8.6 ms [8.3, 8.9] beside Table 2\'s 8.7 ms', () => {
    const raw = { ...base, id: 'T2.synthetic-high.raw.runtime', metric: 'runtime', value: 8.7, unit: 'ms', plus_minus: 0.3, plus_minus_kind: 'ci95', direction: 'lower_is_better' as const };
    const o = verdictFor(raw, m(8.6, [8.3, 8.9], { unit: 'ms', portability: 'machine-bound' }));
    expect(o.verdict).toBe('machine-bound');
    expect(o.reason).toMatch(/test cpu, wasm backend/);
    // The catalogue unit alone makes it machine-bound, whatever the link says.
    expect(verdictFor(raw, m(8.6, [8.3, 8.9], { unit: 'ms' })).verdict).toBe('machine-bound');
  });
  it('one seed at 4.3× against 4.14× is inconclusive; one seed missing by more than half the value refutes', () => {
    expect(verdictFor(base, m(4.3, null)).verdict).toBe('inconclusive');
    expect(verdictFor(base, m(4.3, [4.2, 4.4], { seeds: 2 })).verdict).toBe('inconclusive');
    expect(verdictFor(base, m(1.5, null)).verdict).toBe('not reproduced');
    expect(verdictFor(base, m(3, null)).verdict).toBe('inconclusive');
  });
  it('12× against a point 4.14× exceeds it; 7× against the range 4–5× exceeds it', () => {
    expect(verdictFor(base, m(12, [11, 13])).verdict).toBe('exceeds');
    expect(verdictFor({ ...base, range: [4, 5], value: 4 }, m(7, [6.5, 7.5])).verdict).toBe('exceeds');
    expect(verdictFor({ ...base, range: [4, 5], value: 4 }, m(4.6, [4.4, 4.8])).verdict).toBe('reproduced');
    expect(verdictFor({ ...base, range: [4, 5], value: 4 }, m(3.5, [3.2, 3.8])).verdict).toBe('not reproduced');
    expect(verdictFor(base, m(4.0, [3.9, 4.2])).verdict).toBe('reproduced');
    expect(verdictFor(base, m(3, [1, 5])).verdict).toBe('inconclusive');
  });
  it('a lower-is-better interval: 0.01 % against 0.11 ± 0.04 % exceeds it', () => {
    const err = { ...base, metric: 'hull_error', value: 0.11, unit: '%', plus_minus: 0.04, plus_minus_kind: 'ci95', direction: 'lower_is_better' as const };
    expect(verdictFor(err, m(0.01, [0.005, 0.015], { unit: '%' })).verdict).toBe('exceeds');
    expect(verdictFor(err, m(0.3, [0.25, 0.35], { unit: '%' })).verdict).toBe('not reproduced');
  });
  it('a CI wholly under the bound "< 0.2 %" reproduces it, however wide; straddling it is inconclusive', () => {
    const bound = { ...base, id: 'abs.geometry.hull-error-bound', metric: 'hull_error_upper_bound', value: 0.2, unit: '%', direction: 'lower_is_better' as const };
    expect(verdictFor(bound, m(0.1, [0.05, 0.15], { unit: '%' })).verdict).toBe('reproduced');
    expect(verdictFor(bound, m(0.1, [0.05, 0.25], { unit: '%' })).verdict).toBe('inconclusive');
    expect(verdictFor(bound, m(0.3, [0.25, 0.35], { unit: '%' })).verdict).toBe('not reproduced');
  });
  it('stand-in data is an analogue whatever the run\'s summary says; another n is a different setting', () => {
    const qd = { ...base, id: 'T22.quickdraw-low.x', runnable_on_cpu_workstation: false };
    expect(verdictFor(qd, m(4.14, [4.1, 4.2], { dataset: { name: 'quickdraw-like', kind: 'stand-in' } })).verdict).toBe('analogue');
    // A link that claims the paper's data for a claim the catalogue marks not runnable here is still an analogue.
    expect(verdictFor(qd, m(4.14, [4.1, 4.2])).verdict).toBe('analogue');
    const small = verdictFor(base, m(4.14, [4.1, 4.2], { n: 1000 }));
    expect(small.verdict).toBe('different setting');
    expect(small.reason).toMatch(/n = 1000 where the paper's is 10\^4/);
  });
  it('the kind of ± decides the paper\'s interval', () => {
    const t = { ...base, metric: 'preprocess_time', value: 0.8, unit: 'ms', plus_minus: 0.1, direction: 'lower_is_better' as const };
    const ci = paperInterval({ ...t, plus_minus_kind: 'ci95' })!;
    expect([ci.lo, ci.hi].map((v) => Number(v.toFixed(9)))).toEqual([0.7, 0.9]);
    const sd = paperInterval({ ...t, plus_minus_kind: 'std', setting: { other: 'mean +/- std over 1000 runs' } })!;
    expect(sd.hi - sd.lo).toBeCloseTo((2 * 1.96 * 0.1) / Math.sqrt(1000), 6);
    expect(paperInterval({ ...t, plus_minus_kind: 'std' })).toMatchObject({ lo: 0.8, hi: 0.8 });
    expect(paperInterval({ ...t, plus_minus_kind: 'unspecified' })!.how).toMatch(/unstated/);
  });
  it('a unit that differs from the claim\'s is a different setting, never a scientific finding', () => {
    expect(verdictFor(base, m(4.14, [4, 4.3], { unit: '%' })).verdict).toBe('different setting');
    expect(verdictFor(base, m(4.14, [4.1, 4.2], { unit: '×' })).verdict).toBe('reproduced');
  });
  it('settings, unmeasured claims and theory checks', () => {
    expect(verdictFor({ ...base, metric: 'hyperparameter' }, null).verdict).toBe('setting');
    expect(verdictFor(base, null).verdict).toBe('not run');
    expect(verdictFor(base, null, { noExperiment: 'why' })).toMatchObject({ verdict: 'no experiment', reason: 'why' });
    expect(verdictFor({ ...base, pillar: 'theory' }, null, { notCheckable: 'O(n)' }).verdict).toBe('not checkable');
    expect(verdictFor({ ...base, runnable_on_cpu_workstation: false }, null).verdict).toBe('not runnable here');
    const formula = { ...base, id: 'E2.anchor-gradient', metric: 'formula', value: null, unit: null };
    expect(verdictFor(formula, m(0, null, { unit: '', check: 'fails' })).verdict).toBe('not reproduced');
    expect(verdictFor(formula, m(1, null, { unit: '', check: 'holds' })).verdict).toBe('reproduced');
    // A check under a constant the paper leaves open (Theorem 1's universal c) can neither confirm nor refute.
    const open = verdictFor(formula, m(1, null, { unit: '', check: 'holds', assumed: ['c = 1 (unstated)'] }));
    expect(open.verdict).toBe('inconclusive');
    expect(open.reason).toMatch(/c = 1 \(unstated\)/);
    expect(verdictFor(formula, m(0, null, { unit: '', check: 'fails', assumed: ['c = 1'] })).verdict).toBe('inconclusive');
  });
  it('a run of an earlier build (no declared setting) is never judged', () => {
    expect(verdictFor(base, m(4.14, [4.1, 4.2], { declared: false })).verdict).toBe('inconclusive');
  });
});

describe('claims report', () => {
  const run = (name: string, endedAt: number, claims: Record<string, unknown>, status: Run['status'] = 'done'): Run =>
    ({ id: name, name, kind: 'k', status, endedAt, summary: { claims }, host: { cpu: 'cpu', cores: 2 }, backend: { name: 'wasm' } }) as unknown as Run;
  const link = (value: number, n: number, seeds = 5) => ({
    value,
    ci95: [value - 0.1, value + 0.1],
    unit: 'x',
    quantity: 'speedup',
    portability: 'portable',
    dataset: { name: 'uniform-square', kind: 'real' },
    n,
    method: 'chan',
    seeds,
    scale: 'paper',
  });
  const id = 'T2.synthetic-high.entropynet.speedup';

  it('covers every claim, and the run chosen is one whose setting matches, not the newest', () => {
    const catalog = loadCatalog();
    const report = claimsReport([run('paper-n', 1, { [id]: link(4.1, 10_000) }), run('newer-quick', 2, { [id]: link(9, 1000) }), run('failed', 3, { [id]: link(7, 10_000) }, 'failed')], catalog);
    expect(report.rows).toHaveLength(catalog.claims.length);
    const row = report.rows.find((r) => r.id === id)!;
    expect(row.ours?.runId).toBe('paper-n');
    expect(row.verdict).toBe('reproduced');
    const only = claimsReport([run('newer-quick', 2, { [id]: link(9, 1000) })], catalog).rows.find((r) => r.id === id)!;
    expect(only.verdict).toBe('different setting');
  });
  it('restatements read "same as <id>" and are counted once', () => {
    const r2 = { ...link(0.97, 256), unit: 'R^2', ci95: [0.95, 0.99], quantity: 'R² across training' };
    const report = claimsReport([run('r2', 1, { 'S1.geometry.surrogate-r2': r2 })]);
    const rows = report.rows.filter((r) => ['S1.geometry.surrogate-r2', 'S3.geometry.surrogate-r2', 'E3.r2'].includes(r.id));
    expect(rows.map((r) => r.verdict).sort()).toEqual(['reproduced', 'same as', 'same as']);
    expect(rows.find((r) => r.id === 'E3.r2')!.verdictReason).toMatch(/^same as S1\.geometry\.surrogate-r2/);
    expect(report.counts.reproduced).toBe(1);
  });
  it('unmeasured claims: "not run" when an experiment links them, "no experiment" / "not checkable" with a reason otherwise', () => {
    const rows = claimsReport([]).rows;
    const at = (id: string) => rows.find((r) => r.id === id)!;
    expect(at('T2.synthetic-high.raw.runtime').verdict).toBe('not run');
    expect(at('T20.neuralsort.speedup')).toMatchObject({ verdict: 'no experiment' });
    expect(at('T20.neuralsort.speedup').verdictReason).toMatch(/NeuralSort .* not built/);
    expect(at('B.chan.complexity').verdict).toBe('not checkable');
    for (const r of rows.filter((x) => x.pillar === 'theory' && x.verdict === 'no experiment')) throw new Error(`${r.id}: a theory claim reads "no experiment"`);
  });
  it('reads the list form of summary claims with [lo, hi] intervals and the half-width numbers of earlier runs', () => {
    const listed = (name: string, ci95: unknown): Run =>
      ({ id: name, name, kind: 'attention-train', status: 'done', endedAt: 1, summary: { claims: [{ claim: 'T19.der.accuracy', unit: '%', ours: { mean: 40, ci95, n: 3 } }] } }) as unknown as Run;
    const at = (r: Run) => claimsReport([r]).rows.find((x) => x.id === 'T19.der.accuracy')!;
    expect(at(listed('a', [38, 43])).ours?.ci95).toEqual([38, 43]);
    expect(at(listed('b', 2)).ours?.ci95).toEqual([38, 42]);
    expect(at(listed('c', null)).ours?.ci95).toBeNull();
    expect(at(listed('a', [38, 43])).ours?.declared).toBe(false);
  });
  it('takes a table\'s rows from the run that measured most of that table, the newest on a tie', () => {
    const pct = (value: number) => ({ ...link(value, 0), unit: '%', n: null, dataset: { name: 'shapes', kind: 'stand-in' }, scale: 'small-scale' });
    const robustness = run('robustness', 1, { 'T27.standard.clean-acc': pct(90), 'T27.der.clean-acc': pct(89), 'T27.label-smoothing.clean-acc': pct(88) });
    const table45 = run('table45', 2, { 'T27.standard.clean-acc': pct(39), 'T27.der.clean-acc': pct(38), 'T4.der.top1': pct(27) });
    const got = measurementsFrom([robustness, table45]);
    expect(got.get('T27.standard.clean-acc')?.runId).toBe('robustness');
    expect(got.get('T4.der.top1')?.runId).toBe('table45');
    const again = run('again', 3, { 'T27.standard.clean-acc': pct(91), 'T27.der.clean-acc': pct(90), 'T27.label-smoothing.clean-acc': pct(87) });
    expect(measurementsFrom([robustness, table45, again]).get('T27.standard.clean-acc')?.runId).toBe('again');
  });

  it('a Theorem 1 check stored before checks declared their assumptions reads inconclusive, from its note', () => {
    const thm1 = { value: 1, ci95: null, unit: 'gamma (tau <= 0.25*gamma)', quantity: 'fraction of logged steps', portability: 'portable', dataset: { name: 'synthetic', kind: 'real' }, n: 256, method: 'halfspace', seeds: 5, scale: 'paper', check: 'holds', note: 'the Theorem 1 bound (c = 1, δ = 0.05, constants the paper leaves open) held at 13 of 13 logged steps' };
    const report = claimsReport([run('old-ev', 1, { 'S3.theory.thm1.tau-condition': thm1 })]);
    const row = report.rows.find((r) => r.id === 'S3.theory.thm1.tau-condition')!;
    expect(row.verdict).toBe('inconclusive');
  });
});
