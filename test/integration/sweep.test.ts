import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src-main/api/contract';
import { tempWorkbench, until, type TempWorkbench } from './helpers';

let wb: TempWorkbench | null = null;
afterEach(async () => {
  await wb?.dispose();
  wb = null;
});

describe('sweeps', () => {
  it('queue one child per grid point and end with a table of their summaries', async () => {
    wb = tempWorkbench();
    const parent = await wb.service.startRun('sweep', { kind: 'selftest', base: { delayMs: 0 }, grid: { steps: [3, 5], seed: [1, 2] } });
    expect(parent.status).toBe('running');
    const children = wb.store.runs.list({ parentId: parent.id });
    expect(children).toHaveLength(4);
    const ended = await until(() => {
      const r = wb!.store.runs.get(parent.id)!;
      return r.status !== 'running' ? r : null;
    }, 60_000, 'sweep end');
    expect(ended.status).toBe('done');
    const table = (ended.summary as { children: Array<{ params: { steps: number; seed: number }; status: string; summary: { steps: number } }> }).children;
    expect(table.map((t) => [t.params.steps, t.params.seed])).toEqual([[3, 1], [3, 2], [5, 1], [5, 2]]);
    expect(table.every((t) => t.status === 'done' && t.summary.steps === t.params.steps)).toBe(true);
  });

  it('cross named variants with the grid', async () => {
    wb = tempWorkbench();
    const parent = await wb.service.startRun('sweep', {
      kind: 'selftest',
      base: { delayMs: 0 },
      grid: { steps: [2, 3] },
      variants: [{ variant: 'seed one', seed: 1 }, { variant: 'seed two', seed: 2 }],
    });
    const children = wb.store.runs.list({ parentId: parent.id });
    expect(children.map((c) => [c.config.seed, c.config.steps]).sort()).toEqual([[1, 2], [1, 3], [2, 2], [2, 3]]);
    expect(children.every((c) => !('variant' in c.config))).toBe(true);
    await until(() => wb!.store.runs.get(parent.id)!.status === 'done', 60_000, 'sweep end');
  });

  it('refuse a grid with an invalid point before starting anything', async () => {
    wb = tempWorkbench();
    await expect(wb.service.startRun('sweep', { kind: 'selftest', grid: { steps: [3, -1] } })).rejects.toThrow(ApiError);
    expect(wb.store.runs.list()).toHaveLength(0);
  });

  it('cancelling the parent cancels its children', async () => {
    wb = tempWorkbench();
    const parent = await wb.service.startRun('sweep', { kind: 'selftest', base: { delayMs: 20 }, grid: { steps: [100_000, 100_000, 100_000] } });
    await until(() => wb!.store.runs.list({ parentId: parent.id }).some((c) => c.status === 'running'), 30_000, 'a child running');
    await wb.service.cancelRun(parent.id);
    const ended = await until(() => {
      const r = wb!.store.runs.get(parent.id)!;
      return r.status !== 'running' ? r : null;
    }, 30_000, 'sweep end');
    expect(ended.status).toBe('cancelled');
    expect(wb.store.runs.list({ parentId: parent.id }).every((c) => c.status === 'cancelled')).toBe(true);
  });
});
