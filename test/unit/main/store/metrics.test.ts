import { describe, expect, it } from 'vitest';
import { BUCKET_BASE_WIDTH, bucketRaw } from '../../../../src-main/store/metrics';
import { RunStore } from '../../../../src-main/store/run-store';

function storeWithRun(): RunStore {
  const store = RunStore.open(':memory:');
  store.runs.create({ id: 'r1', kind: 'selftest', name: 'r', config: {}, seed: 1 });
  return store;
}

function append(store: RunStore, key: string, steps: number, f: (s: number) => number | null, batch = 1000): void {
  for (let a = 0; a < steps; a += batch) {
    const rows: Array<{ key: string; step: number; value: number | null }> = [];
    for (let s = a; s < Math.min(steps, a + batch); s++) rows.push({ key, step: s, value: f(s) });
    store.transaction(() => store.metrics.append('r1', rows));
  }
}

describe('metric store', () => {
  it('returns every raw row when they fit', () => {
    const store = storeWithRun();
    append(store, 'loss', 100, (s) => s * 2);
    const q = store.metrics.query('r1', 'loss', { maxPoints: 2000 });
    expect(q.downsampled).toBe(false);
    expect(q.points).toHaveLength(100);
    expect(q.points[7]).toEqual({ step: 7, value: 14 });
    expect(store.metrics.listSeries('r1')).toEqual([{ key: 'loss', count: 100, minStep: 0, maxStep: 99, lastValue: 198 }]);
  });

  it('downsamples to at most maxPoints while keeping every extreme', () => {
    const store = storeWithRun();
    const n = 200_000;
    // A smooth curve with isolated spikes: a min/max envelope must keep the spikes, a stride would lose them.
    const spikes = new Map([[12_345, 50], [150_001, -50]]);
    append(store, 'loss', n, (s) => spikes.get(s) ?? Math.sin(s / 5000));
    for (const maxPoints of [10, 100, 2000]) {
      const q = store.metrics.query('r1', 'loss', { maxPoints });
      expect(q.downsampled).toBe(true);
      expect(q.points.length).toBeLessThanOrEqual(maxPoints);
      expect(q.points.length).toBeGreaterThan(maxPoints / 8);
      const values = q.points.map((p) => p.value as number);
      expect(Math.max(...values)).toBe(50);
      expect(Math.min(...values)).toBe(-50);
      expect(q.points.find((p) => p.value === 50)!.step).toBe(12_345);
      const steps = q.points.map((p) => p.step);
      expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    }
  });

  it('a whole series of maxPoints rows comes back raw, one more row downsampled (its count decides, no raw probe)', () => {
    const store = storeWithRun();
    append(store, 'a', 400, (s) => s % 7);
    append(store, 'b', 401, (s) => s % 7);
    // Re-logged steps are not counted twice.
    append(store, 'a', 400, (s) => s % 5);
    expect(store.metrics.listSeries('r1').map((s) => s.count)).toEqual([400, 401]);
    const a = store.metrics.query('r1', 'a', { maxPoints: 400 });
    expect(a.downsampled).toBe(false);
    expect(a.points).toHaveLength(400);
    expect(a.points[6]).toEqual({ step: 6, value: 1 });
    const b = store.metrics.query('r1', 'b', { maxPoints: 400 });
    expect(b.downsampled).toBe(true);
    expect(b.points.length).toBeLessThanOrEqual(400);
    expect(Math.max(...b.points.map((p) => p.value as number))).toBe(6);
    expect(Math.min(...b.points.map((p) => p.value as number))).toBe(0);
  });

  it('downsamples a sub-range and stays inside it', () => {
    const store = storeWithRun();
    append(store, 'x', 50_000, (s) => s % 997);
    const q = store.metrics.query('r1', 'x', { maxPoints: 100, fromStep: 10_000, toStep: 20_000 });
    expect(q.points.length).toBeLessThanOrEqual(100);
    expect(q.points.every((p) => p.step >= 10_000 && p.step <= 20_000)).toBe(true);
    expect(Math.max(...q.points.map((p) => p.value as number))).toBe(996);
  });

  it('keeps non-finite values as gaps (NULL), never as numbers', () => {
    const store = storeWithRun();
    store.transaction(() => store.metrics.append('r1', [{ key: 'k', step: 0, value: 1 }, { key: 'k', step: 1, value: null }, { key: 'k', step: 2, value: 3 }]));
    expect(store.metrics.query('r1', 'k').points).toEqual([{ step: 0, value: 1 }, { step: 1, value: null }, { step: 2, value: 3 }]);
  });

  it('out-of-order and repeated batches keep the bucket envelope right', () => {
    const store = storeWithRun();
    const rows = Array.from({ length: 5000 }, (_, i) => ({ key: 'k', step: 4999 - i, value: (4999 - i) % 100 }));
    store.transaction(() => store.metrics.append('r1', rows));
    const q = store.metrics.query('r1', 'k', { maxPoints: 50 });
    expect(q.points.length).toBeLessThanOrEqual(50);
    expect(Math.max(...q.points.map((p) => p.value as number))).toBe(99);
    expect(Math.min(...q.points.map((p) => p.value as number))).toBe(0);
  });

  it('the chart query reads through the primary-key index (no table scan)', () => {
    const store = storeWithRun();
    const plans = [
      'SELECT step, value FROM metrics WHERE series_id = 1 AND step BETWEEN 0 AND 10 ORDER BY step LIMIT 10',
      'SELECT min_value, min_step, max_value, max_step FROM metric_buckets WHERE series_id = 1 AND level = 2 AND bucket BETWEEN 0 AND 9 ORDER BY bucket',
    ].map((sql) => (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join(' | '));
    for (const plan of plans) {
      expect(plan).toMatch(/SEARCH .* USING PRIMARY KEY/);
      expect(plan).not.toMatch(/SCAN|TEMP B-TREE/);
    }
  });

  it('bucketRaw keeps min and max of each bucket in step order', () => {
    const rows = Array.from({ length: BUCKET_BASE_WIDTH * 4 }, (_, i) => ({ step: i, value: i % 7 === 0 ? -i : i }));
    const out = bucketRaw(rows, 0, rows.length - 1, 8);
    expect(out.length).toBeLessThanOrEqual(8);
    expect(out.map((p) => p.step)).toEqual([...out.map((p) => p.step)].sort((a, b) => a - b));
    expect(Math.min(...out.map((p) => p.value as number))).toBe(Math.min(...rows.map((r) => r.value)));
  });

  it('deleting a run removes its series, rows and buckets', () => {
    const store = storeWithRun();
    append(store, 'k', 1000, (s) => s);
    store.deleteRun('r1');
    for (const t of ['series', 'metrics', 'metric_buckets']) {
      expect((store.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n).toBe(0);
    }
  });
});
