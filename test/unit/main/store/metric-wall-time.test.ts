import { describe, expect, it } from 'vitest';
import { RunStore } from '../../../../src-main/store/run-store';

describe('metric points with their wall time', () => {
  it('each point drawn, raw or a bucket extreme, carries the wall time of its stored row', () => {
    const store = RunStore.open(':memory:');
    store.runs.create({ id: 'r1', kind: 'selftest', name: 'r', config: {}, seed: 1 });
    const n = 10_000;
    const steps = Float64Array.from({ length: n }, (_, i) => i);
    const values = Array.from({ length: n }, (_, i) => Math.sin(i / 100));
    const walls = Float64Array.from({ length: n }, (_, i) => 1_800_000_000_000 + i * 7);
    store.transaction(() => store.metrics.appendSeries('r1', 'loss', steps, values, walls));
    const plain = store.metrics.query('r1', 'loss', { maxPoints: 200 });
    expect(plain.points[0].wallTime).toBeUndefined();
    const timed = store.metrics.query('r1', 'loss', { maxPoints: 200, withWallTime: true });
    expect(timed.downsampled).toBe(true);
    expect(timed.points.map((p) => p.step)).toEqual(plain.points.map((p) => p.step));
    for (const p of timed.points) expect(p.wallTime).toBe(1_800_000_000_000 + p.step * 7);
    const raw = store.metrics.query('r1', 'loss', { fromStep: 10, toStep: 20, withWallTime: true });
    expect(raw.downsampled).toBe(false);
    expect(raw.points.map((p) => p.wallTime)).toEqual(Array.from({ length: 11 }, (_, i) => 1_800_000_000_000 + (10 + i) * 7));
    store.close();
  });
});
