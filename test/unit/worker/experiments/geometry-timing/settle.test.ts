import { describe, expect, it, vi } from 'vitest';
import { configSchema } from '../../../../../src-worker/experiments/geometry-timing/config';
import type { ExperimentContext } from '../../../../../src-worker/experiments/types';

// Every timed call is logged, with how many sends were still unwritten when it began, so the test sees where
// the run yields relative to its measurements.
const state = vi.hoisted(() => ({ log: [] as string[], unwritten: 0, unwrittenAtMeasure: [] as number[] }));
const log = state.log;
vi.mock('../../../../../src-worker/geometry/timing', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../../../src-worker/geometry/timing')>();
  return {
    ...actual,
    timeIt: (...args: Parameters<typeof actual.timeIt>) => {
      state.unwrittenAtMeasure.push(state.unwritten);
      log.push('measure');
      const result = actual.timeIt(...args);
      log.push('measured');
      return result;
    },
  };
});
const { run } = await import('../../../../../src-worker/experiments/geometry-timing/run');

/** A context whose sends stay unwritten until `written()` has been awaited (as a pipe that main has not read). */
function recordingContext() {
  const controller = new AbortController();
  const sent = (what: string): void => {
    state.unwritten++;
    log.push(what);
  };
  const ctx: ExperimentContext = {
    runId: 'test',
    seed: 1,
    metric: () => sent('metric'),
    metrics: () => sent('metrics'),
    timing: () => sent('timing'),
    artifact: (name) => sent(`artifact ${name}`),
    progress: (f) => sent(`progress ${f}`),
    log: () => sent('log'),
    backend: () => sent('backend'),
    signal: controller.signal,
    tick: async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      log.push('tick');
      if (controller.signal.aborted) throw new Error('cancelled');
    },
    written: async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      state.unwritten = 0;
      log.push('written');
    },
    input: () => {
      throw new Error('geometry-timing reads no inputs');
    },
  };
  return ctx;
}

describe('geometry-timing between measurements', () => {
  it('waits until everything sent so far is written, then turns the event loop, before each case is timed, and never inside one', async () => {
    const ctx = recordingContext();
    const config = configSchema.parse({
      datasets: ['uniform-square'],
      sizes: [30_000],
      algorithms: ['monotone'],
      preprocessors: ['raw', 'heuristic-sort'],
      seeds: [1, 2],
      repeats: 3,
      warmup: 1,
      budgetMs: 200,
    });
    await run(config, ctx);
    const events = log;
    // 2 seeds × 2 methods; heuristic-sort also times the algorithm alone on the sorted points.
    expect(events.filter((e) => e === 'measure')).toHaveLength(2 * 1 + 2 * 2);
    expect(events.filter((e) => e.startsWith('artifact preview.json'))).toHaveLength(1);
    // Nothing the run sent was still waiting when a measurement began: the preview and every earlier case's
    // rows and progress had been written first.
    expect(state.unwrittenAtMeasure).toEqual([0, 0, 0, 0, 0, 0]);
    // No yield inside a timed call.
    let inside = false;
    for (const e of events) {
      if (e === 'measure') inside = true;
      else if (e === 'measured') inside = false;
      else if (e === 'tick' || e === 'written') expect(inside).toBe(false);
    }
    // Each case's first measurement comes right after written, then tick (a cancel read from main ends the run there).
    const firsts = events.flatMap((e, i) => (e === 'measure' && events[i - 1] !== 'measured' ? [i] : []));
    expect(firsts).toHaveLength(4);
    for (const i of firsts) expect(events.slice(i - 2, i)).toEqual(['written', 'tick']);
    // Progress of the cases in between (0 < fraction < 1) goes out before the last case is timed.
    const lastCase = firsts[firsts.length - 1];
    expect(events.slice(0, lastCase).filter((e) => /^progress 0\.\d+$/.test(e))).toHaveLength(3);
  });
});
