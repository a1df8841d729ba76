import { describe, expect, it } from 'vitest';
import type { JsonObject, Run } from '../../../../src-main/api/contract';
import { estimateStep } from '../../../../src-main/claims/estimate';
import { buildPlan } from '../../../../src-main/claims/reproduce';

const geo = (id: string, config: JsonObject, seconds: number, cases: object[] = []): Run =>
  ({ id, kind: 'geometry-timing', name: id, status: 'done', config, startedAt: 0, endedAt: seconds * 1000, summary: { cases } }) as unknown as Run;

/** A Quick hull run: Chan on raw points at n = 1000 took 0.16 ms a call. */
const quickHull = geo('quick', { task: 'hull', sizes: [1000], preprocessors: ['raw'] }, 60, [{ task: 'hull', algorithm: 'chan', preprocess: 'raw', n: 1000, meanMs: 0.16 }]);
/** Table 23's EntropyNet hull step as `der reproduce --full` builds it. */
const t23 = (model: string): JsonObject => ({ task: 'hull', datasets: ['uniform-square'], sizes: [1_000_000], algorithms: ['chan'], preprocessors: ['raw', `entropynet:${model}`], seeds: [42, 123, 456, 789, 999], repeats: 20, warmup: 1, budgetMs: 3000 });

describe('der reproduce: estimates of steps that time a trained model', () => {
  it('raw hulls\' per-call costs do not stand in for the network: the estimate is the plan\'s default or other runs\', and says why', () => {
    // Measured here: 10.8 s a call at 10⁶ with the network against 0.39 s raw, and the step took 2310 s, where
    // scaling the raw hull's 0.16 ms at 10³ gave about 76 s ("~2 min").
    const e = estimateStep('geometry-timing', t23('m2'), [quickHull], 1800);
    expect(e.from).not.toMatch(/per-call costs measured/);
    expect(e.from).toMatch(/trained model/);
    expect(e.seconds).toBeGreaterThanOrEqual(1800);
  });

  it('the same step with another model: the wall time of that run', () => {
    const earlier = geo('t23-m1', t23('m1'), 2310, [{ task: 'hull', algorithm: 'chan', preprocess: 'entropynet:m1', n: 1_000_000, meanMs: 10_760 }]);
    const e = estimateStep('geometry-timing', t23('m2'), [quickHull, earlier], 1800);
    expect(e.seconds).toBe(2310);
    expect(e.from).toMatch(/^median of 1 finished run of this config with another trained model/);
    // Another config (other sizes) with the model is not the same step.
    expect(estimateStep('geometry-timing', { ...t23('m2'), sizes: [100_000] }, [quickHull, earlier], 900).from).not.toMatch(/this config/);
  });

  it('steps without a model keep their per-call estimate, from cases without a model', () => {
    const raw = estimateStep('geometry-timing', { ...t23('x'), preprocessors: ['raw'] }, [quickHull], 1800);
    expect(raw.from).toMatch(/per-call costs measured by 1 finished geometry-timing run/);
    // A model's 10.8 s calls at 10⁶ do not raise the cost of an algorithm no run measured raw (monotone here).
    const withModel = geo('t23-m1', t23('m1'), 2310, [
      { task: 'hull', algorithm: 'chan', preprocess: 'entropynet:m1', n: 1_000_000, meanMs: 10_760 },
      { task: 'hull', algorithm: 'chan', preprocess: 'entropynet:m1', n: 100_000, meanMs: 900 },
    ]);
    const monotone = { ...t23('x'), algorithms: ['monotone'], preprocessors: ['raw'] };
    expect(estimateStep('geometry-timing', monotone, [quickHull, withModel], 1800).seconds).toBeCloseTo(estimateStep('geometry-timing', monotone, [quickHull], 1800).seconds, 6);
  });

  it('a plan step still waiting for its model is estimated as a step with a model, not as raw hulls', () => {
    const hull = buildPlan('full', [quickHull]).find((s) => s.waitsFor && s.preset.startsWith('Hulls at 10^6'))!;
    expect(hull.estimateFrom).toMatch(/trained model/);
    expect(hull.estimateSeconds).toBeGreaterThanOrEqual(1800);
    const earlier = geo('t23-m1', t23('m1'), 2310);
    const again = buildPlan('full', [quickHull, earlier]).find((s) => s.waitsFor && s.preset.startsWith('Hulls at 10^6'))!;
    expect(again.estimateSeconds).toBe(2310);
  });
});
