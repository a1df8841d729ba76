import { describe, expect, it } from 'vitest';
import { mCE, rawMeanError, relativeMCE } from '../../../../src-worker/vision/robustness';

describe('mCE', () => {
  const base = { noise: [0.2, 0.4, 0.6, 0.8, 1.0], blur: [0.1, 0.1, 0.1, 0.1, 0.1] };
  it('is 100 for the baseline itself and scales with summed errors per corruption', () => {
    expect(mCE(base, base).mce).toBeCloseTo(100, 12);
    const half = { noise: base.noise.map((e) => e / 2), blur: base.blur.map((e) => e * 2) };
    const r = mCE(half, base);
    expect(r.perCorruption.noise).toBeCloseTo(0.5, 12);
    expect(r.perCorruption.blur).toBeCloseTo(2, 12);
    expect(r.mce).toBeCloseTo(125, 12);
  });

  it('raw mean error averages every corruption and severity', () => {
    expect(rawMeanError(base)).toBeCloseTo((100 * (3.0 + 0.5)) / 10, 12);
  });

  it('relative mCE subtracts the clean error', () => {
    const r = relativeMCE({ noise: [0.3, 0.3] }, 0.1, { noise: [0.5, 0.5] }, 0.1);
    expect(r.mce).toBeCloseTo(50, 12);
  });

  it('needs the baseline to cover every corruption', () => {
    expect(() => mCE({ fog: [0.1] }, base)).toThrow(/fog/);
  });
});
