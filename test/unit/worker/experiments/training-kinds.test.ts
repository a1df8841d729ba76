import { describe, expect, it } from 'vitest';
import { findExperiment } from '../../../../src-worker/experiments/registry';

describe('which kinds the queue runs alone', () => {
  it('training kinds run side by side (their latency probes take the exclusive slot); geometry timing runs alone', () => {
    expect(findExperiment('attention-train')?.timing).toBe(false);
    expect(findExperiment('entropynet-train')?.timing).toBe(false);
    expect(findExperiment('geometry-timing')?.timing).toBe(true);
  });
});
