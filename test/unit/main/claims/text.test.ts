import { describe, expect, it } from 'vitest';
import type { ClaimMeasurement } from '../../../../src-main/api/contract';
import { oursText } from '../../../../src-main/claims/text';
import { entropyValidationClaims } from '../../../../src-worker/experiments/entropy-validation/claims';
import { entropyNetClaims } from '../../../../src-worker/experiments/entropynet-train/claims';
import type { PipelineSummaryRow } from '../../../../src-worker/experiments/entropynet-train/pipeline';

const measured = (over: Partial<ClaimMeasurement>): ClaimMeasurement => ({
  value: 4.3,
  ci95: [4.1, 4.5],
  unit: 'x',
  quantity: 'algorithm-only hull speedup',
  portability: 'portable',
  dataset: { name: 'uniform-square', kind: 'real' },
  n: 10_000,
  method: 'EntropyNet + chan',
  seeds: 5,
  scale: 'paper',
  runId: 'r1',
  runName: 'r1',
  machine: 'test cpu, 2 cores',
  backend: 'wasm',
  declared: true,
  ...over,
});

describe('der claims: our measurement as text', () => {
  it('a measurement: value in the claim\'s unit, CI, seeds, n and run', () => {
    expect(oursText(measured({}))).toBe('4.3 x [4.1, 4.5], 5 seeds, n = 10000, run r1');
  });

  it('a theory check: its outcome and what its number is, not the claim\'s unit, and cases rather than seeds', () => {
    // Theorem 1's link carries the claim's unit, but its value is the fraction of logged steps the bound held at.
    const thm1 = measured({ value: 1, ci95: null, unit: 'gamma (tau <= 0.25*gamma)', quantity: 'fraction of logged steps at which the Theorem 1 bound held', seeds: 5, n: 256, check: 'holds', runId: 'ev' });
    const text = oursText(thm1);
    expect(text).not.toMatch(/gamma \(tau/);
    expect(text).not.toMatch(/seeds/);
    expect(text).toBe('check holds: fraction of logged steps at which the Theorem 1 bound held = 1, 5 cases, n = 256, run ev');
    const e2 = measured({ value: 0.0578, ci95: null, unit: '', quantity: 'cosine of E.2\'s printed anchor gradient to central finite differences (median over configurations)', seeds: 40, n: null, check: 'fails', runId: 'tc' });
    expect(oursText(e2)).toBe('check fails: cosine of E.2\'s printed anchor gradient to central finite differences (median over configurations) = 0.0578, 40 cases, run tc');
  });

  it('the Theorem 1 check says its value is a fraction of steps', () => {
    const links = entropyValidationClaims({ surrogate: 'halfspace', n: 256, trace: { struct: [], surrogate: [], set: [] }, boundHeld: 13, boundSteps: 13, boundConstants: { c: 1, delta: 0.05 } });
    const thm1 = links['S3.theory.thm1.tau-condition'];
    expect(thm1.value).toBe(1);
    expect(thm1.quantity).toMatch(/^fraction of logged steps/);
    expect(thm1.assumed?.[0]).toMatch(/^c = 1 /);
  });

  it('the across-training R² link is the mean of the per-set R² values, with the CI of that mean', () => {
    // Two sets: one where the surrogate tracks the entropy exactly (R² = 1), one where it is a parabola of it (R² = 0).
    const a = [1, 2, 3, 4, 5];
    const b = [-2, -1, 0, 1, 2];
    const trace = { struct: [...a, ...b], surrogate: [...a.map((x) => 3 * x + 1), ...b.map((x) => x * x)], set: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1] };
    const links = entropyValidationClaims({ surrogate: 'ball', n: 64, trace, boundHeld: 0, boundSteps: 0, boundConstants: { c: 1, delta: 0.05 } });
    const r2 = links['S1.geometry.surrogate-r2'];
    expect(r2.value).toBeCloseTo(0.5, 12);
    expect(r2.seeds).toBe(2);
    expect(r2.ci95![0]).toBe(0);
    expect(r2.ci95![1]).toBe(1);
    expect(r2.ci95![0]).toBeLessThanOrEqual(r2.value);
    expect(r2.ci95![1]).toBeGreaterThanOrEqual(r2.value);
    expect(r2.note).toMatch(/pooled give R² = /);
  });
});

describe('what an EntropyNet run says it trained', () => {
  const e = (mean: number) => ({ mean, ci95: [mean * 0.9, mean * 1.1] as [number, number], n: 5 });
  const row = { dataset: 'uniform-square', n: 10_000, algorithm: 'chan', mode: 'entropynet', raw_ms: e(8), preprocess_ms: e(1), algorithm_ms: e(2), end_to_end_ms: e(3), end_to_end_speedup: e(4.2), algorithm_speedup: e(4.1), algorithm_warm_ms: e(2), hull_error_pct: e(0.1), hausdorff: e(0.0011) } as PipelineSummaryRow;

  it('an early-stopped training names the epochs that ran, not the configured ones', () => {
    const stopped = entropyNetClaims([row], 'wasm', { n: 512, trainSets: 64, epochs: 200, epochsRun: 52 })['T2.synthetic-high.entropynet.speedup'];
    expect(stopped.method).toMatch(/^EntropyNet trained 52 of 200 epochs \(early stop\) on 64 sets of 512 points/);
    expect(stopped.scale).toBe('small-scale');
    const full = entropyNetClaims([row], 'wasm', { n: 512, trainSets: 64, epochs: 200, epochsRun: 200 })['T2.synthetic-high.entropynet.speedup'];
    expect(full.method).toMatch(/^EntropyNet trained 200 epochs on 64 sets of 512 points/);
  });
});
