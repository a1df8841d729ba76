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

function reset(): void {
  state.log.length = 0;
  state.unwritten = 0;
  state.unwrittenAtMeasure.length = 0;
}

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
    progress: (f, message) => sent(`progress ${f} ${message ?? ''}`),
    log: (text) => sent(`log ${text}`),
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
    reset();
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
    // Each earlier case's end (0 < fraction < 1) goes out before the last case is timed.
    const lastCase = firsts[firsts.length - 1];
    expect(events.slice(0, lastCase).filter((e) => /^progress 0\.\d+ .*: \d+ samples$/.test(e))).toHaveLength(3);
  });

  it('a case of calls that take seconds reports between its calls, with the fraction of cases done, and yields only between cases', async () => {
    reset();
    const ctx = recordingContext();
    const config = configSchema.parse({
      datasets: ['uniform-square'],
      sizes: [2000],
      algorithms: ['monotone'],
      preprocessors: ['raw', 'heuristic-sort'],
      seeds: [1],
      repeats: 20,
      warmup: 1,
      budgetMs: 200,
    });
    // Every clock read is 12 s after the one before: each call "takes" 12 s, so the 200 ms budget ends each
    // measurement at the 3 samples it keeps at least.
    let clock = 0;
    const spy = vi.spyOn(performance, 'now').mockImplementation(() => (clock += 12_000));
    try {
      await run(config, ctx);
    } finally {
      spy.mockRestore();
    }
    const events = log;
    const inside: string[] = [];
    let depth = 0;
    for (const e of events) {
      if (e === 'measure') depth++;
      else if (e === 'measured') depth--;
      else if (depth > 0) inside.push(e);
    }
    // Only progress goes out during a measurement: no yield, no other send.
    expect(inside.length).toBeGreaterThan(0);
    expect(inside.every((e) => e.startsWith('progress '))).toBe(true);
    // The raw case reports at 0 cases done, the heuristic-sort one at 1 of 2, naming the call it is at.
    expect(inside.some((e) => /^progress 0 uniform-square n=2000 seed=1 raw\+monotone: warm-up call 1 \(12\.0 s per call\)$/.test(e))).toBe(true);
    expect(inside.some((e) => /^progress 0 uniform-square n=2000 seed=1 raw\+monotone: sample 3 of at most 20/.test(e))).toBe(true);
    expect(inside.some((e) => /^progress 0\.5 uniform-square n=2000 seed=1 heuristic-sort\+monotone: sample 2 of at most 20/.test(e))).toBe(true);
    expect(inside.some((e) => /^progress 0\.5 .*: algorithm alone, sample 1 of at most 20/.test(e))).toBe(true);
    // Between the samples and the untimed quality step (one more call, then distances), a log line says so.
    const said = events.findIndex((e) => e === 'log uniform-square n=2000 seed=1 heuristic-sort+monotone: 3 samples taken; now the output\'s hull error and distances (untimed)');
    expect(said).toBeGreaterThan(0);
    expect(events[said - 1]).toBe('measured');
    expect(events.slice(said + 1).find((e) => e === 'measure' || e.startsWith('progress'))).toBe('measure');
    expect(events.at(-1)).toMatch(/^progress 1 /);
  });
});
