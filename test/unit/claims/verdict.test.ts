import { describe, expect, it } from 'vitest';
import { loadCatalog, type Claim } from '../../../src-main/claims/catalog';
import { claimsReport, measurementsFrom } from '../../../src-main/claims/measure';
import { verdictFor, type Measurement } from '../../../src-main/claims/verdict';
import type { Run } from '../../../src-main/api/contract';

const base: Claim = { id: 'x', where: 'T2', pillar: 'geometry', setting: {}, metric: 'speedup', value: 4.14, unit: 'x', direction: 'higher_is_better', quote: 'q', runnable_on_cpu_workstation: true };
const m = (value: number, ci95: [number, number] | null, unit = 'x'): Measurement => ({ value, ci95, unit, runId: 'r', runName: 'r' });

describe('claim verdicts', () => {
  it('a point claim: inside our CI or beaten in its direction → reproduced, else not', () => {
    expect(verdictFor(base, m(4.0, [3.9, 4.2])).verdict).toBe('reproduced');
    expect(verdictFor(base, m(6, [5, 7])).verdict).toBe('reproduced');
    expect(verdictFor(base, m(0.3, [0.25, 0.35])).verdict).toBe('not reproduced');
    expect(verdictFor(base, m(3, [1, 5])).verdict).toBe('inconclusive');
    expect(verdictFor(base, m(0.5, [0.1, 0.9])).verdict).toBe('not reproduced');
    expect(verdictFor({ ...base, direction: 'lower_is_better', metric: 'hull_error', unit: '%', value: 0.11 }, m(0.0, [0, 0], '%')).verdict).toBe('reproduced');
  });
  it('bounds, intervals, units, settings, missing and unrunnable', () => {
    const bound = { ...base, metric: 'hull_error_upper_bound', value: 0.2, unit: '%' };
    expect(verdictFor(bound, m(0.1, [0.09, 0.11], '%')).verdict).toBe('reproduced');
    expect(verdictFor(bound, m(0.1, [0.05, 0.15], '%')).verdict).toBe('inconclusive');
    expect(verdictFor(bound, m(0.1, [0.05, 0.25], '%')).verdict).toBe('not reproduced');
    expect(verdictFor({ ...base, range: [4, 5] }, m(3.5, [3.2, 3.8])).verdict).toBe('not reproduced');
    expect(verdictFor({ ...base, plus_minus: 0.3 }, m(3.7, [3.6, 3.9])).verdict).toBe('reproduced');
    expect(verdictFor(base, m(4.14, [4, 5], 'ms')).verdict).toBe('not reproduced');
    expect(verdictFor({ ...base, metric: 'hyperparameter' }, null).verdict).toBe('setting');
    expect(verdictFor(base, null).verdict).toBe('not run');
    expect(verdictFor(base, { ...m(4.14, [4.1, 4.2]), analogue: true }).verdict).toBe('analogue');
    expect(verdictFor(base, m(4.14, [4.1, 4.2], '×')).verdict).toBe('reproduced');
    expect(verdictFor({ ...base, runnable_on_cpu_workstation: false }, null).verdict).toBe('not runnable here');
  });
  it('the report covers every claim of the catalog and takes the newest finished run', () => {
    const catalog = loadCatalog();
    expect(catalog.claims.length).toBeGreaterThan(400);
    const id = 'T2.synthetic-high.entropynet.speedup';
    const run = (name: string, endedAt: number, value: number, status: Run['status'] = 'done'): Run =>
      ({ id: name, name, kind: 'k', status, endedAt, summary: { claims: { [id]: { value, ci95: [value - 0.1, value + 0.1], unit: 'x' } } } }) as unknown as Run;
    const report = claimsReport([run('old', 1, 9), run('new', 2, 0.5), run('failed', 3, 7, 'failed')], catalog);
    expect(report.rows).toHaveLength(catalog.claims.length);
    const row = report.rows.find((r) => r.id === id)!;
    expect(row.ours?.runId).toBe('new');
    expect(row.verdict).toBe('not reproduced');
    expect(report.rows.find((r) => r.id === 'T2.synthetic-high.raw.runtime')!.verdict).toBe('not run');
    expect(report.rows.find((r) => r.id === 'T20.neuralsort.speedup')!.verdictReason).toMatch(/NeuralSort .* not built/);
  });
  it('takes a table\'s rows from the run that measured most of that table, the newest on a tie', () => {
    const run = (name: string, endedAt: number, claims: Record<string, number>): Run =>
      ({ id: name, name, kind: 'k', status: 'done', endedAt, summary: { claims: Object.fromEntries(Object.entries(claims).map(([id, value]) => [id, { value, unit: '%' }])) } }) as unknown as Run;
    const robustness = run('robustness', 1, { 'T27.standard.clean-acc': 90, 'T27.der.clean-acc': 89, 'T27.label-smoothing.clean-acc': 88 });
    const table45 = run('table45', 2, { 'T27.standard.clean-acc': 39, 'T27.der.clean-acc': 38, 'T4.der.top1': 27 });
    const m = measurementsFrom([robustness, table45]);
    expect(m.get('T27.standard.clean-acc')?.runId).toBe('robustness');
    expect(m.get('T27.label-smoothing.clean-acc')?.runId).toBe('robustness');
    expect(m.get('T4.der.top1')?.runId).toBe('table45');
    const again = run('again', 3, { 'T27.standard.clean-acc': 91, 'T27.der.clean-acc': 90, 'T27.label-smoothing.clean-acc': 87 });
    expect(measurementsFrom([robustness, table45, again]).get('T27.standard.clean-acc')?.runId).toBe('again');
  });

  it('reads the list form of summary claims, [lo, hi] intervals and the half-width numbers of earlier attention runs', () => {
    const listed = (name: string, ci95: unknown): Run =>
      ({ id: name, name, kind: 'attention-train', status: 'done', endedAt: 1, summary: { analogue: 'small', claims: [{ claim: 'T19.der.accuracy', unit: '%', ours: { mean: 40, ci95, n: 3 } }] } }) as unknown as Run;
    const at = (run: Run) => claimsReport([run]).rows.find((r) => r.id === 'T19.der.accuracy')!;
    expect(at(listed('a', [38, 43])).ours?.ci95).toEqual([38, 43]);
    expect(at(listed('b', 2)).ours?.ci95).toEqual([38, 42]);
    expect(at(listed('c', null)).ours?.ci95).toBeNull();
    expect(at(listed('a', [38, 43])).verdict).toBe('analogue');
  });
});
