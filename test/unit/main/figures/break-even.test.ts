import { describe, expect, it } from 'vitest';
import { breakEven, breakEvenInstances, breakEvenOption, compactCount, measuredBreakEven, niceCeil } from '../../../../src-main/figures/break-even';

describe('break-even (App. C.1)', () => {
  it('N_min = T / ((1 − 1/S)·t), never when S ≤ 1', () => {
    // The paper's own worked example: T = 12,240 s, S = 1.47, t = 85 ms → ≈ 453K batches.
    expect(breakEvenInstances(12_240, 1.47, 0.085)).toBeCloseTo(12_240 / ((1 - 1 / 1.47) * 0.085), 6);
    expect(breakEvenInstances(10, 1, 0.1)).toBeNull();
    expect(breakEvenInstances(10, 0.5, 0.1)).toBeNull();
    expect(breakEvenInstances(10, 2, 0)).toBeNull();
    expect(breakEvenInstances(0, 2, 1)).toBe(0);
  });
  it('the CI of S maps to an interval of N_min, with "never" where the CI reaches S ≤ 1', () => {
    const r = breakEven({ trainingSeconds: 100, speedup: 2, speedupCi95: [0.9, 3], rawSeconds: 1 });
    expect(r.instances).toBe(200);
    expect(r.instancesCi95![0]).toBeCloseTo(150, 9);
    expect(r.instancesCi95![1]).toBeNull();
    expect(r.savedPerInstanceSeconds).toBe(0.5);
  });
  it('the chart crosses zero at N_min', () => {
    const opt = breakEvenOption({ trainingSeconds: 100, speedup: 2, rawSeconds: 1 });
    const data = (opt.series as Array<{ data: Array<[number, number]> }>)[0].data;
    const cross = data.findIndex(([, y]) => y >= 0);
    expect(data[cross][0]).toBeGreaterThanOrEqual(200);
    expect(data[cross - 1][0]).toBeLessThan(200);
  });
  it('the instance axis ends on a round number and reads compactly', () => {
    expect(niceCeil(450_000)).toBe(500_000);
    expect(niceCeil(180_000)).toBe(200_000);
    expect(niceCeil(2_400)).toBe(2_500);
    expect(niceCeil(1000)).toBe(1000);
    expect(compactCount(450)).toBe('450');
    expect(compactCount(120_000)).toBe('120k');
    expect(compactCount(1_500_000)).toBe('1.5M');
    const opt = breakEvenOption({ trainingSeconds: 120, speedup: 1.5, rawSeconds: 0.002 });
    expect((opt.xAxis as { max: number }).max).toBe(500_000);
  });
});

describe('measuredBreakEven (from a run)', () => {
  it('takes a positive CI of S as stored', () => {
    const m = measuredBreakEven({ breakEven: { trainingSeconds: 20, speedup: 2, speedupCi95: [1.5, 2.5], rawSeconds: 0.01 } });
    expect(m).toMatchObject({ speedupCi95: [1.5, 2.5], ciNote: null });
  });
  it('rebuilds a CI of S reaching ≤ 0 in log space, labelled, so the calculator accepts it', () => {
    const m = measuredBreakEven({ breakEven: { trainingSeconds: 20, speedup: 0.09, speedupCi95: [-0.087, 0.27], rawSeconds: 0.01 } })!;
    expect(m.speedupCi95![0]).toBeGreaterThan(0);
    expect(m.speedupCi95![0]).toBeLessThan(0.09);
    expect(m.speedupCi95![1]).toBeGreaterThan(0.09);
    expect(m.ciNote).toMatch(/log-space 95% CI: the run stored \[-0\.087, 0\.27\]/);
    const r = breakEven(m);
    expect(r.instances).toBeNull();
    expect(r.instancesCi95).toEqual([null, null]);
  });
  it('is null for a summary without the inputs', () => {
    expect(measuredBreakEven({ breakEven: { speedup: 2 } })).toBeNull();
    expect(measuredBreakEven(null)).toBeNull();
  });
});
