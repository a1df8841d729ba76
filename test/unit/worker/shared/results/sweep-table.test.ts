import { describe, expect, it } from 'vitest';
import { registeredKinds } from '../../../../../src-worker/shared/results';
import { viewOf } from '../../../../../src-worker/shared/results/views';

describe("a kind's sweep table names only metrics its sweeps compare", () => {
  it('every sweepTable key is one of the same view’s sweepMetrics', () => {
    let withTable = 0;
    for (const kind of registeredKinds()) {
      const v = viewOf(kind);
      if (!v?.sweepTable) continue;
      withTable++;
      const keys = new Set((v.sweepMetrics ?? []).map((m) => m.key));
      for (const k of v.sweepTable) expect(keys.has(k), `${kind}: ${k}`).toBe(true);
    }
    expect(withTable).toBeGreaterThan(0);
  });
});
