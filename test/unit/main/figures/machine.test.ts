import { describe, expect, it } from 'vitest';
import { groupRuns, meanBand } from '../../../../src-main/figures/compare-scale';
import { isMachineBound, machineOf, splitByMachine } from '../../../../src-main/figures/machine';
import { linksOf } from '../../../../src-main/claims/measure';
import type { Run } from '../../../../src-main/api/contract';

const local = (hostname: string, cpu = 'Xeon'): Record<string, unknown> => ({ hostname, cpu, cores: 8, mainPid: 1 });
/** What the remote runner records: the workbench's host spread first, the agent beside it. */
const remote = (label: string, hostname: string, cpu = 'EPYC'): Record<string, unknown> => ({
  ...local('workbench', 'Xeon'),
  worker: `agent ${label}`,
  agent: { label, hostname, cpu, cores: 64 },
});
const run = (id: string, host: Record<string, unknown>, config: Record<string, unknown> = { lambda: 0.1 }) => ({ id, host, config });

describe('machineOf', () => {
  it('an agent run is the agent’s machine, not the workbench that queued it', () => {
    expect(machineOf(remote('node-a', 'n1')).label).toBe('node-a');
    expect(machineOf(remote('node-a', 'n1')).id).not.toBe(machineOf(local('workbench', 'Xeon')).id);
  });
  it('hostname and CPU without an agent; an agent at its default label is that host', () => {
    expect(machineOf(local('ws', 'Xeon'))).toEqual(machineOf({ ...remote('ws', 'ws', 'Xeon') }));
    expect(machineOf(local('ws', 'Xeon')).id).not.toBe(machineOf(local('ws', 'EPYC')).id);
    expect(machineOf(null).label).toBe('unknown machine');
  });
});

describe('isMachineBound', () => {
  it('times, speedups and throughputs are; errors, accuracies, entropies and counts are not', () => {
    for (const k of ['time_ms', 'algoTimeMs', 'end_to_end_speedup', 'throughput', 'images/s', 'steps_per_s', 'step_time']) expect(isMachineBound(k), k).toBe(true);
    for (const k of ['loss', 'accuracy', 'hull_error_pct', 'entropy', 'hull_vertices', 'steps', 'samples']) expect(isMachineBound(k), k).toBe(false);
    expect(isMachineBound('value', 'ms')).toBe(true);
    expect(isMachineBound('value', '%')).toBe(false);
  });
});

describe('splitByMachine', () => {
  it('two runs of one config on two machines give two groups and a note, never one CI', () => {
    const runs = [run('a', remote('node-a', 'n1'), { lambda: 0.1, seed: 1 }), run('b', remote('node-b', 'n2'), { lambda: 0.1, seed: 2 })];
    const groups = groupRuns(runs);
    expect(groups).toHaveLength(1);
    const s = splitByMachine(groups, isMachineBound('time_ms'));
    expect(s.groups.map((g) => g.runs.map((r) => r.id))).toEqual([['a'], ['b']]);
    expect(s.groups.map((g) => g.label)).toEqual(['on node-a', 'on node-b']);
    expect(s.note).toMatch(/2 machines/);
    // One run per band: no interval can be formed across the machines.
    for (const g of s.groups) expect(meanBand(g.runs.map(() => ({ key: 'time_ms', downsampled: false, points: [{ step: 0, value: 5 }] }))).every((p) => p.lo === null)).toBe(true);
  });
  it('the same two runs on one machine stay one group, unlabelled', () => {
    const runs = [run('a', remote('node-a', 'n1'), { lambda: 0.1, seed: 1 }), run('b', remote('node-a', 'n1'), { lambda: 0.1, seed: 2 })];
    const s = splitByMachine(groupRuns(runs), true);
    expect(s.groups).toHaveLength(1);
    expect(s.groups[0].runs).toHaveLength(2);
    expect(s.groups[0].label).toBe('all runs');
    expect(s.note).toBeNull();
  });
  it('a portable quantity still pools across machines', () => {
    const runs = [run('a', local('m1')), run('b', local('m2'))];
    const s = splitByMachine(groupRuns(runs), isMachineBound('loss'));
    expect(s.groups).toHaveLength(1);
    expect(s.note).toBeNull();
  });
  it('config groups keep their label and gain the machine', () => {
    const runs = [run('a', local('m1'), { lambda: 0.1 }), run('b', local('m2'), { lambda: 0.1 }), run('c', local('m1'), { lambda: 0.2 })];
    const s = splitByMachine(groupRuns(runs), true);
    expect(s.groups.map((g) => g.label)).toEqual(['lambda=0.1 · on m1 (Xeon)', 'lambda=0.1 · on m2 (Xeon)', 'lambda=0.2 · on m1 (Xeon)']);
  });
});

describe('Claims: the machine of a measurement', () => {
  it('a run measured by an agent names the agent and its CPU, not the workbench', () => {
    const r = {
      id: 'r1', name: 'timing', kind: 'geometry-timing', status: 'done', config: {}, seed: 1, summary: { claims: { 'T2.x': { value: 8.6, unit: 'ms' } } },
      backend: { name: 'cpu' }, host: remote('node-a', 'n1'), createdAt: 0, startedAt: 0, endedAt: 1, parentId: null,
    } as unknown as Run;
    const m = linksOf(r).get('T2.x')!;
    expect(m.machine).toBe('agent node-a (EPYC, 64 cores)');
    const l = linksOf({ ...r, host: local('ws') } as Run).get('T2.x')!;
    expect(l.machine).toBe('Xeon, 8 cores');
  });
});

describe('sweep children on several machines', () => {
  it('a time measured on two machines gets a note naming both; on one machine, none', async () => {
    const { machinesNote } = await import('../../../../src-main/figures/machine');
    const { readSweepChild } = await import('../../../../src-main/figures/sweep');
    const a = readSweepChild({ runId: 'a', params: { k: 1 }, status: 'done', summary: { t: 1 }, host: remote('node-a', 'n1') })!;
    const b = readSweepChild({ runId: 'b', params: { k: 2 }, status: 'done', summary: { t: 2 }, host: remote('node-b', 'n2') })!;
    expect(machinesNote([a.host, b.host], true)).toMatch(/2 machines \(node-a, node-b\)/);
    expect(machinesNote([a.host, a.host], true)).toBeNull();
    expect(machinesNote([a.host, b.host], false)).toBeNull();
  });
});
