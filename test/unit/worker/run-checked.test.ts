import { describe, expect, it } from 'vitest';
import type { ExperimentContext, ExperimentRun } from '../../../src-worker/experiments/types';
import { runChecked } from '../../../src-worker/run-checked';
import { run as selftestRun } from '../../../src-worker/experiments/selftest/run';
import { configSchema as selftestConfig } from '../../../src-worker/experiments/selftest/config';

function fakeContext(): ExperimentContext {
  return {
    runId: 'r', seed: 1,
    metric() {}, metrics() {}, timing() {}, artifact() {}, progress() {}, log() {}, backend() {},
    signal: new AbortController().signal,
    tick: async () => {},
    input: () => {
      throw new Error('no inputs here');
    },
  };
}

const returning = (value: Record<string, unknown>): ExperimentRun<never, Record<string, unknown>> => async () => value;

describe('a worker holds its result to the kind\'s schema', () => {
  it('sends done for a real run whose result fits', async () => {
    const out = await runChecked('selftest', selftestRun as ExperimentRun<never, Record<string, unknown>>, selftestConfig.parse({ steps: 5 }), fakeContext());
    expect(out.type).toBe('done');
    if (out.type === 'done') expect(out.summary).toMatchObject({ steps: 5 });
  });

  it('fails the run with the zod issues when the result breaks the schema', async () => {
    const out = await runChecked('selftest', returning({ steps: 'ten', final_loss: 1 }), {}, fakeContext());
    expect(out).toEqual({ type: 'error', message: expect.stringMatching(/^the selftest result does not match its schema: steps: /) });
  });

  it('names the path of a bad field deep in a kind\'s rows', async () => {
    const out = await runChecked('geometry-timing', returning({ cases: [{ dataset: 'uniform-square', n: 'many', algorithm: 'chan', preprocess: 'raw' }] }), {}, fakeContext());
    expect(out.type).toBe('error');
    if (out.type === 'error') expect(out.message).toContain('cases.0.n: ');
    const pipe = await runChecked('entropynet-train', returning({ pipeline: [{ dataset: 'd', n: 10, algorithm: 'chan', end_to_end_speedup: { mean: 'fast' } }] }), {}, fakeContext());
    expect(pipe.type === 'error' ? pipe.message : '').toContain('pipeline.0.end_to_end_speedup.mean: ');
  });
});
