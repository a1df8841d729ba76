import { describe, expect, it } from 'vitest';
import { buildPlan, planText, refreshStep, selectSteps, stableJson } from '../../../../src-main/claims/reproduce';
import type { Run } from '../../../../src-main/api/contract';

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

describe('der reproduce --full: parts and their estimates', () => {
  const full = buildPlan('full', []);
  it('--only picks steps by preset, kind or table, and names the choices for an unknown one', () => {
    expect(selectSteps(full, ['T23']).map((s) => `${s.preset}${s.waitsFor ? ' + model' : ''}`)).toEqual([
      'Delaunay (Table 23 scale)',
      'Hulls at 10^6 (Table 23 scale)',
      'Hulls at 10^6 (Table 23 scale) + model',
      'Delaunay (Table 23 scale) + model',
    ]);
    expect(selectSteps(full, ['table 15']).map((s) => s.preset)).toEqual(['Table 15 (estimator family)']);
    expect(selectSteps(full, ['T23.hull.entropynet', 'T23.delaunay.entropynet']).map((s) => `${s.preset}${s.waitsFor ? ' + model' : ''}`)).toEqual([
      'Hulls at 10^6 (Table 23 scale) + model',
      'Delaunay (Table 23 scale) + model',
    ]);
    expect(selectSteps(full, ['paper (cpu)']).map((s) => `${s.kind}/${s.preset}`)).toEqual(['entropynet-train/Paper (CPU)']);
    expect(selectSteps(full, ['delaunay', 'theory-checks']).map((s) => s.kind)).toEqual(['theory-checks', 'geometry-timing', 'geometry-timing']);
    expect(selectSteps(full, [])).toHaveLength(full.length);
    expect(() => selectSteps(full, ['nosuch'])).toThrow(/matches no step; steps: .*"Table 17 \(ablations\)"/);
  });
  it('estimates scale the step costs that finished runs measured: per-call hull costs, training cost per point, sweeps as their children', () => {
    const geo = { id: 'g', kind: 'geometry-timing', status: 'done', startedAt: 0, endedAt: 1000, config: {}, summary: { cases: [{ task: 'hull', algorithm: 'chan', preprocess: 'raw', n: 1000, meanMs: 0.1 }] } } as unknown as Run;
    const hull = buildPlan('full', [geo]).find((s) => s.preset.startsWith('Hulls at 10^6'))!;
    expect(hull.estimateFrom).toMatch(/per-call costs measured by 1 finished geometry-timing run/);
    // 0.1 ms at 10³ → 0.1 · (10⁶·log₂10⁶)/(10³·log₂10³) = 200 ms a call at 10⁶; 2 sets × 5 seeds × 4 cases × (2 s warm-up cap… ) > 1 min.
    expect(hull.estimateSeconds).toBeGreaterThan(60);
    expect(hull.estimateSeconds).toBeLessThan(3600);
    const net = { id: 'e', kind: 'entropynet-train', status: 'done', startedAt: 0, endedAt: 100_000, config: { epochs: 20, trainSets: 64, n: 256, evalSizes: [1000], evalSeeds: [1, 2, 3, 4, 5], evalDatasets: ['a', 'b'], evalAlgorithms: ['chan'], evalRepeats: 5, evalWarmup: 2 }, summary: { train_time_s: 40 } } as unknown as Run;
    const plan = buildPlan('full', [net]);
    const paper = plan.find((s) => s.kind === 'entropynet-train' && s.preset === 'Paper')!;
    expect(paper.estimateSeconds).toBeGreaterThan(40 * ((200 * 1024 * 1024) / (20 * 64 * 256)) - 1);
    const t16 = plan.find((s) => s.preset === 'Table 16 (anchors k)')!;
    expect(t16.estimateFrom).toMatch(/^sum over 4 children/);
  });
  it('a sweep with a child that did not finish is redone; one whose children all finished is skipped', () => {
    const step = full.find((s) => s.preset === 'Table 15 (estimator family)')!;
    const sweep = (id: string, done: number): Run => ({ id, kind: 'sweep', status: 'done', startedAt: 0, endedAt: 1000, config: step.config, summary: { done, total: 2 } }) as unknown as Run;
    expect(buildPlan('full', [sweep('half', 1)]).find((s) => s.preset === step.preset)!.doneBy).toBeNull();
    expect(buildPlan('full', [sweep('all', 2)]).find((s) => s.preset === step.preset)!.doneBy).toBe('all');
  });
});

describe('der reproduce --full: Table 23 times the trained Paper (else Paper (CPU)) EntropyNet', () => {
  const modelSteps = (plan: ReturnType<typeof buildPlan>) => plan.filter((s) => s.claims.some((id) => /^T23\..*entropynet-/.test(id)));
  it('waits for the Paper training while none has finished, and cannot be skipped meanwhile', () => {
    const steps = modelSteps(buildPlan('full', []));
    expect(steps).toHaveLength(2);
    for (const s of steps) {
      expect(s.waitsFor).toBe('entropynet-train / Paper or Paper (CPU)');
      expect(s.doneBy).toBeNull();
      expect(JSON.stringify(s.config)).not.toMatch(/entropynet:/);
    }
    expect(steps.flatMap((s) => s.claims).sort()).toEqual(['T23.delaunay.entropynet-scipy.speedup', 'T23.delaunay.entropynet-scipy.time', 'T23.hull.entropynet-chan.speedup', 'T23.hull.entropynet-chan.time']);
    expect(planText(steps)).toMatch(/after entropynet-train \/ Paper or Paper \(CPU\) has run/);
    // Only the rows the claims read: uniform points, Chan for the hull.
    expect(steps.map((s) => [s.config.datasets, s.config.algorithms])).toEqual([[['uniform-square'], ['chan']], [['uniform-square'], ['delaunator']]]);
  });
  it('names the newest finished Paper model once it exists, and a run of that config makes the step done', () => {
    const paper = buildPlan('full', []).find((s) => s.kind === 'entropynet-train' && s.preset === 'Paper')!;
    const net = (id: string, endedAt: number, config: object): Run => ({ id, kind: 'entropynet-train', status: 'done', startedAt: 0, endedAt, config, summary: {} }) as unknown as Run;
    const runs = [net('old', 10, paper.config), net('new', 20, paper.config), net('quick', 30, { ...paper.config, epochs: 1 })];
    const steps = modelSteps(buildPlan('full', runs));
    for (const s of steps) {
      expect(s.waitsFor).toBeNull();
      expect((s.config as { preprocessors: string[] }).preprocessors).toEqual(['raw', 'entropynet:new']);
    }
    const waiting = modelSteps(buildPlan('full', []))[0];
    const refreshed = refreshStep('full', waiting, runs);
    expect(refreshed.waitsFor).toBeNull();
    expect((refreshed.config as { preprocessors: string[] }).preprocessors).toEqual(['raw', 'entropynet:new']);
    const timed = { id: 'g', kind: 'geometry-timing', status: 'done', startedAt: 0, endedAt: 40, config: steps[0].config, summary: { claims: { [steps[0].claims[0]]: { value: 1, ci95: null, unit: 'x', quantity: 'q', portability: 'portable', dataset: { name: 'u', kind: 'real' }, n: 1, method: 'm', seeds: 5, scale: 'paper' } } } } as unknown as Run;
    expect(modelSteps(buildPlan('full', [...runs, timed]))[0].doneBy).toBe('g');
  });
  it('takes a finished Paper (CPU) model while no Paper model exists, names it, and prefers a Paper model once one has finished', () => {
    const plan = buildPlan('full', []);
    const cpu = plan.find((s) => s.kind === 'entropynet-train' && s.preset === 'Paper (CPU)')!;
    const paper = plan.find((s) => s.kind === 'entropynet-train' && s.preset === 'Paper')!;
    expect(cpu.config.n).toBe(512);
    expect(cpu.config.epochs).toBe(paper.config.epochs);
    const net = (id: string, endedAt: number, config: object): Run => ({ id, kind: 'entropynet-train', status: 'done', startedAt: 0, endedAt, config, summary: {} }) as unknown as Run;
    const withCpu = modelSteps(buildPlan('full', [net('cpu', 10, cpu.config)]));
    for (const s of withCpu) {
      expect(s.waitsFor).toBeNull();
      expect(s.model).toEqual({ preset: 'Paper (CPU)', runId: 'cpu' });
      expect((s.config as { preprocessors: string[] }).preprocessors).toEqual(['raw', 'entropynet:cpu']);
    }
    expect(planText(withCpu)).toMatch(/with the model of entropynet-train \/ Paper \(CPU\) \(run cpu\)/);
    // A newer Paper (CPU) model does not displace a Paper one.
    const both = modelSteps(buildPlan('full', [net('paper', 5, paper.config), net('cpu', 10, cpu.config)]));
    expect(both.map((s) => s.model?.preset)).toEqual(['Paper', 'Paper']);
  });
});
