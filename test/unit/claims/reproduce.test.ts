import { describe, expect, it } from 'vitest';
import { buildPlan, planText, stableJson } from '../../../src-main/claims/reproduce';
import type { Run } from '../../../src-main/api/contract';

describe('der reproduce plan', () => {
  it('lists presets with the claims they measure and an estimate; a step whose config has a finished, declared run is skipped', () => {
    const fresh = buildPlan('quick', []);
    expect(fresh.map((s) => `${s.kind}/${s.preset}`)).toContain('theory-checks/Quick');
    expect(fresh.every((s) => s.doneBy === null)).toBe(true);
    expect(fresh.find((s) => s.kind === 'theory-checks')!.claims).toContain('E2.anchor-gradient');
    const step = fresh.find((s) => s.kind === 'geometry-timing')!;
    const link = { value: 1, ci95: null, unit: 'x', quantity: 'q', portability: 'portable', dataset: { name: 'u', kind: 'real' }, n: 1000, method: 'm', seeds: 3, scale: 'paper' };
    const run = (id: string, config: object, claims: object): Run =>
      ({ id, kind: 'geometry-timing', name: id, status: 'done', config, startedAt: 0, endedAt: 90_000, summary: { claims } }) as unknown as Run;
    // The same config with keys in another order, from a run of this build: done, and its duration is the estimate.
    const reordered = JSON.parse(stableJson(step.config)) as object;
    const again = buildPlan('quick', [run('r1', reordered, { 'T2.synthetic-high.heuristic-sort.speedup': link })]);
    const g = again.find((s) => s.kind === 'geometry-timing')!;
    expect(g.doneBy).toBe('r1');
    expect(g.claims).toEqual(['T2.synthetic-high.heuristic-sort.speedup']);
    // A run of an earlier build (links without a setting) is redone.
    expect(buildPlan('quick', [run('old', reordered, { 'T2.synthetic-high.heuristic-sort.speedup': { value: 1, unit: 'x' } })]).find((s) => s.kind === 'geometry-timing')!.doneBy).toBeNull();
    const other = buildPlan('quick', [run('r2', { ...step.config, sizes: [5] }, {})]).find((s) => s.kind === 'geometry-timing')!;
    expect(other.doneBy).toBeNull();
    expect(other.estimateFrom).toMatch(/other configs/);
    expect(planText(again)).toMatch(/done \(run r1\), skipped/);
  });
});
