import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempWorkbench, type TempWorkbench } from './helpers';

let wb: TempWorkbench;
beforeAll(() => {
  wb = tempWorkbench();
});
afterAll(async () => {
  await wb?.dispose();
});

describe('geometry-timing on large point sets reports while it runs', () => {
  it('the first case\'s progress reaches main while later cases are still to come: a cancel sent then stops the run within the next two cases', async () => {
    // 4 seeds × 2 methods = 8 cases of 4·10⁵ points. The run first sends its preview artifact (20,000 sampled
    // points, about a megabyte of JSON: more than the pipe holds), then the cases' rows and progress behind it.
    // If the worker turns its event loop only once between cases, the preview leaves one pipe's worth per case
    // and the first progress reaches main near the end of the run; the cancel sent then comes too late.
    const run = await wb.service.startRun('geometry-timing', {
      task: 'hull',
      datasets: ['uniform-square'],
      sizes: [400_000],
      algorithms: ['monotone'],
      preprocessors: ['raw', 'heuristic-sort'],
      seeds: [1, 2, 3, 4],
      repeats: 3,
      warmup: 1,
      budgetMs: 1000,
    });
    const fractions: number[] = [];
    let cancelled = false;
    const off = wb.queue.onEvent((e) => {
      if (e.type !== 'runProgress' || e.id !== run.id) return;
      fractions.push(e.fraction);
      // The first report of a finished case (reports from within the first case say 0 cases done).
      if (!cancelled && e.fraction > 0 && e.fraction < 1) {
        cancelled = true;
        void wb.service.cancelRun(run.id);
      }
    });
    const ended = await wb.queue.waitFor(run.id);
    off();
    expect(cancelled).toBe(true);
    expect(ended.status, ended.error ?? '').toBe('cancelled');
    // What main stored before the cancel took effect: the case that reported, the one running when the cancel
    // arrived and, on a slow main, the next (2 here at load 4–6; 5–6 of 8 when the preview held progress back).
    const timings = await wb.service.getTimings(run.id);
    const cases = new Set(timings.map((t) => `${t.seed} ${t.preprocess}`));
    expect(cases.size).toBeGreaterThanOrEqual(1);
    expect(cases.size, `cases stored: ${[...cases].join(', ')}; progress seen: ${fractions.join(', ')}`).toBeLessThanOrEqual(3);
    const artifacts = (await wb.service.getRun(run.id)).artifacts.map((a) => a.name);
    expect(artifacts).toContain('preview.json');
  }, 180_000);
});
