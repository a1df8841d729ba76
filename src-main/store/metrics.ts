/**
 * Metric series with write-time min/max pyramids, so that any range of a million-step series comes back as at
 * most `maxPoints` points from an index range read (never a scan of the raw rows).
 *
 *   level L bucket b covers steps [b·w, (b+1)·w) with w = 64·4^L
 *   query: pick the finest level whose bucket count over the range fits maxPoints/2 (two points per bucket:
 *   its min and its max, at their own steps), read those buckets by primary key.
 */
import type { MetricPoint, MetricSeries, SeriesInfo } from '../api/contract';
import type { MetricRow } from '../../src-worker/shared/protocol';
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';

export const BUCKET_BASE_WIDTH = 64;
export const BUCKET_LEVELS = 8;
const widthOf = (level: number): number => BUCKET_BASE_WIDTH * 4 ** level;
/** Rows per multi-row INSERT: 4 parameters each, far under SQLite's 32,766-parameter limit. */
const INSERT_BATCH = 256;

interface SeriesRow {
  id: number;
  key: string;
  count: number;
  min_step: number | null;
  max_step: number | null;
  last_value: number | null;
}

export class MetricTable {
  private readonly seriesIds = new Map<string, number>();
  private readonly stmt;
  private readonly multiInserts = new Map<number, Statement>();

  constructor(private readonly db: Db) {
    this.stmt = {
      findSeries: db.prepare('SELECT id FROM series WHERE run_id = ? AND key = ?'),
      newSeries: db.prepare('INSERT INTO series (run_id, key) VALUES (?, ?)'),
      insert: db.prepare('INSERT OR IGNORE INTO metrics (series_id, step, value, wall_time) VALUES (?, ?, ?, ?)'),
      replace: db.prepare('UPDATE metrics SET value = ?, wall_time = ? WHERE series_id = ? AND step = ?'),
      seriesStats: db.prepare(
        `UPDATE series SET count = count + @count,
           min_step = CASE WHEN min_step IS NULL OR @min_step < min_step THEN @min_step ELSE min_step END,
           max_step = CASE WHEN max_step IS NULL OR @max_step >= max_step THEN @max_step ELSE max_step END,
           last_value = CASE WHEN max_step IS NULL OR @max_step >= max_step THEN @last_value ELSE last_value END
         WHERE id = @id`,
      ),
      bucket: db.prepare(
        `INSERT INTO metric_buckets (series_id, level, bucket, count, min_value, min_step, max_value, max_step)
         VALUES (@s, @level, @bucket, @count, @minv, @mins, @maxv, @maxs)
         ON CONFLICT (series_id, level, bucket) DO UPDATE SET
           count = count + excluded.count,
           min_step = CASE WHEN min_value IS NULL OR excluded.min_value < min_value THEN excluded.min_step ELSE min_step END,
           min_value = CASE WHEN min_value IS NULL OR excluded.min_value < min_value THEN excluded.min_value ELSE min_value END,
           max_step = CASE WHEN max_value IS NULL OR excluded.max_value > max_value THEN excluded.max_step ELSE max_step END,
           max_value = CASE WHEN max_value IS NULL OR excluded.max_value > max_value THEN excluded.max_value ELSE max_value END`,
      ),
      listSeries: db.prepare('SELECT * FROM series WHERE run_id = ? ORDER BY key'),
      getSeries: db.prepare('SELECT * FROM series WHERE run_id = ? AND key = ?'),
      raw: db.prepare('SELECT step, value FROM metrics WHERE series_id = ? AND step BETWEEN ? AND ? ORDER BY step LIMIT ?'),
      buckets: db
        .prepare(
          `SELECT min_value, min_step, max_value, max_step FROM metric_buckets
           WHERE series_id = ? AND level = ? AND bucket BETWEEN ? AND ? ORDER BY bucket`,
        )
        .raw(true),
      allRaw: db.prepare('SELECT step, value, wall_time FROM metrics WHERE series_id = ? ORDER BY step'),
      wallAt: db.prepare('SELECT wall_time FROM metrics WHERE series_id = ? AND step = ?').pluck(),
      seriesCount: db.prepare('SELECT count FROM series WHERE id = ?').pluck(),
    };
  }

  private seriesId(runId: string, key: string): number {
    const cacheKey = `${runId}\u0000${key}`;
    let id = this.seriesIds.get(cacheKey);
    if (id === undefined) {
      const found = this.stmt.findSeries.get(runId, key) as { id: number } | undefined;
      id = found ? found.id : Number(this.stmt.newSeries.run(runId, key).lastInsertRowid);
      this.seriesIds.set(cacheKey, id);
    }
    return id;
  }

  forgetRun(runId: string): void {
    for (const k of this.seriesIds.keys()) if (k.startsWith(`${runId}\u0000`)) this.seriesIds.delete(k);
  }

  /**
   * Appends rows (call inside a transaction). Rows of one key are expected in step order, as a training loop
   * emits them; out-of-order rows are still stored correctly, they only cost more bucket upserts. Re-logging a
   * step replaces its raw value; its bucket keeps the envelope of both values (a bucket is an envelope, not a sum).
   */
  append(runId: string, rows: readonly MetricRow[], wallTime = Date.now()): void {
    const byKey = new Map<string, MetricRow[]>();
    for (const r of rows) {
      let list = byKey.get(r.key);
      if (!list) byKey.set(r.key, (list = []));
      list.push(r);
    }
    for (const [key, list] of byKey) {
      const sid = this.seriesId(runId, key);
      let minStep = Infinity;
      let maxStep = -Infinity;
      let last: number | null = null;
      let added = 0;
      for (const r of list) {
        // A step logged again replaces its value and is not counted twice.
        if (this.stmt.insert.run(sid, r.step, r.value, wallTime).changes > 0) added++;
        else this.stmt.replace.run(r.value, wallTime, sid, r.step);
        if (r.step < minStep) minStep = r.step;
        if (r.step >= maxStep) ((maxStep = r.step), (last = r.value));
      }
      this.stmt.seriesStats.run({ id: sid, count: added, min_step: minStep, max_step: maxStep, last_value: last });
      for (let level = 0; level < BUCKET_LEVELS; level++) this.appendBuckets(sid, level, list);
    }
  }

  /**
   * Appends one whole series given as parallel arrays with a wall time per row (imports): rows are put in step
   * order and a repeated step keeps its last value. A series with no rows yet (every import) goes in through
   * multi-row INSERTs of typed columns and one pass for all pyramid levels; a series that has rows takes the
   * row-by-row path that replaces re-logged steps. Returns the id of the series the rows went to (null: no rows).
   */
  appendSeries(runId: string, key: string, steps: ArrayLike<number>, values: ArrayLike<number | null>, walls: ArrayLike<number>): number | null {
    const n = steps.length;
    let inOrder = true;
    for (let i = 1; i < n && inOrder; i++) if (steps[i] < steps[i - 1]) inOrder = false;
    const order = inOrder ? null : Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => steps[a] - steps[b] || a - b);
    // Distinct steps in order, the last of equal steps winning; NaN stands for a missing value.
    const S = new Float64Array(n);
    const V = new Float64Array(n);
    const W = new Float64Array(n);
    let m = 0;
    for (let k = 0; k < n; k++) {
      const i = order ? order[k] : k;
      const next = order ? order[k + 1] : k + 1;
      if (k + 1 < n && steps[next] === steps[i]) continue;
      const v = values[i];
      S[m] = steps[i];
      V[m] = v === null || !Number.isFinite(v) ? NaN : v;
      W[m] = walls[i];
      m++;
    }
    if (m === 0) return null;
    const sid = this.seriesId(runId, key);
    const fresh = ((this.stmt.seriesCount.get(sid) as number | undefined) ?? 0) === 0;
    let added = 0;
    if (fresh) {
      this.insertRows(sid, S, V, W, m);
      added = m;
    } else {
      for (let k = 0; k < m; k++) {
        const v = Number.isNaN(V[k]) ? null : V[k];
        if (this.stmt.insert.run(sid, S[k], v, W[k]).changes > 0) added++;
        else this.stmt.replace.run(v, W[k], sid, S[k]);
      }
    }
    this.stmt.seriesStats.run({ id: sid, count: added, min_step: S[0], max_step: S[m - 1], last_value: Number.isNaN(V[m - 1]) ? null : V[m - 1] });
    this.appendAllLevels(sid, S, V, m);
    return sid;
  }

  /** Plain INSERTs of rows known to be new, INSERT_BATCH rows per statement. */
  private insertRows(sid: number, S: Float64Array, V: Float64Array, W: Float64Array, m: number): void {
    const params: Array<number | null> = new Array<number | null>(4 * INSERT_BATCH);
    let k = 0;
    while (k < m) {
      const rows = Math.min(INSERT_BATCH, m - k);
      if (rows < INSERT_BATCH) params.length = 4 * rows;
      for (let j = 0; j < rows; j++, k++) {
        params[4 * j] = sid;
        params[4 * j + 1] = S[k];
        params[4 * j + 2] = Number.isNaN(V[k]) ? null : V[k];
        params[4 * j + 3] = W[k];
      }
      this.multiInsert(rows).run(params);
    }
  }

  private multiInsert(rows: number): Statement {
    let st = this.multiInserts.get(rows);
    if (!st) {
      st = this.db.prepare(`INSERT INTO metrics (series_id, step, value, wall_time) VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?)').join(', ')}`);
      this.multiInserts.set(rows, st);
    }
    return st;
  }

  /** Every pyramid level's buckets of rows in step order, in one pass (NaN values count but set no extreme). */
  private appendAllLevels(sid: number, S: Float64Array, V: Float64Array, m: number): void {
    for (let level = 0; level < BUCKET_LEVELS; level++) {
      const w = widthOf(level);
      let bucket = Math.floor(S[0] / w);
      let count = 0;
      let minv = NaN;
      let mins = 0;
      let maxv = NaN;
      let maxs = 0;
      const flush = (): void => {
        this.stmt.bucket.run({ s: sid, level, bucket, count, minv: Number.isNaN(minv) ? null : minv, mins, maxv: Number.isNaN(maxv) ? null : maxv, maxs });
      };
      for (let k = 0; k < m; k++) {
        const step = S[k];
        const b = Math.floor(step / w);
        if (b !== bucket) {
          flush();
          bucket = b;
          count = 0;
          minv = maxv = NaN;
        }
        count++;
        const v = V[k];
        if (Number.isNaN(v)) continue;
        if (!(v >= minv)) ((minv = v), (mins = step));
        if (!(v <= maxv)) ((maxv = v), (maxs = step));
      }
      flush();
    }
  }

  private appendBuckets(sid: number, level: number, list: readonly MetricRow[]): void {
    const w = widthOf(level);
    let bucket = NaN;
    let count = 0;
    let minv: number | null = null;
    let mins = 0;
    let maxv: number | null = null;
    let maxs = 0;
    const flush = (): void => {
      if (count > 0) this.stmt.bucket.run({ s: sid, level, bucket, count, minv, mins, maxv, maxs });
    };
    for (const r of list) {
      const b = Math.floor(r.step / w);
      if (b !== bucket) {
        flush();
        bucket = b;
        count = 0;
        minv = maxv = null;
      }
      count++;
      const v = r.value;
      if (v === null) continue;
      if (minv === null || v < minv) ((minv = v), (mins = r.step));
      if (maxv === null || v > maxv) ((maxv = v), (maxs = r.step));
    }
    flush();
  }

  listSeries(runId: string): SeriesInfo[] {
    return (this.stmt.listSeries.all(runId) as SeriesRow[]).map((s) => ({
      key: s.key,
      count: s.count,
      minStep: s.min_step,
      maxStep: s.max_step,
      lastValue: s.last_value,
    }));
  }

  /**
   * As `query`, with each point's wall time (ms since the epoch) when `withWallTime` is set: every point drawn,
   * raw or a bucket's extreme, is a stored row, so its time is one primary-key lookup.
   */
  query(runId: string, key: string, opts: { maxPoints?: number; fromStep?: number; toStep?: number; withWallTime?: boolean } = {}): MetricSeries {
    const series = this.queryPoints(runId, key, opts);
    if (!opts.withWallTime || series.points.length === 0) return series;
    const s = this.stmt.getSeries.get(runId, key) as SeriesRow;
    return { ...series, points: series.points.map((p) => ({ ...p, wallTime: this.stmt.wallAt.get(s.id, p.step) as number })) };
  }

  private queryPoints(runId: string, key: string, opts: { maxPoints?: number; fromStep?: number; toStep?: number }): MetricSeries {
    const maxPoints = Math.max(4, Math.floor(opts.maxPoints ?? 2000));
    const s = this.stmt.getSeries.get(runId, key) as SeriesRow | undefined;
    if (!s || s.min_step === null || s.max_step === null) return { key, downsampled: false, points: [] };
    const a = Math.max(opts.fromStep ?? s.min_step, s.min_step);
    const b = Math.min(opts.toStep ?? s.max_step, s.max_step);
    if (a > b) return { key, downsampled: false, points: [] };

    // The whole series of more rows than the budget (a first chart) needs no probe of its raw rows.
    const over = a === s.min_step && b === s.max_step && s.count > maxPoints;
    if (!over) {
      const raw = this.stmt.raw.all(s.id, a, b, maxPoints + 1) as MetricPoint[];
      if (raw.length <= maxPoints) return { key, downsampled: false, points: raw };
    }

    // Buckets touched by [a, b] at width w number at most (b − a + 1)/w + 2; two points each.
    const needWidth = (2 * (b - a + 1)) / (maxPoints - 4);
    let level = 0;
    while (level < BUCKET_LEVELS - 1 && widthOf(level) < needWidth) level++;
    const w = widthOf(level);
    if (w < needWidth) {
      throw new Error(`metric ${key}: range of ${b - a + 1} steps needs wider buckets than the store keeps`);
    }
    if (level === 0 && needWidth <= BUCKET_BASE_WIDTH / 4) {
      // A narrow range of dense steps: cheaper to bucket the raw rows than to read coarse buckets.
      return { key, downsampled: true, points: bucketRaw(this.stmt.raw.all(s.id, a, b, -1) as MetricPoint[], a, b, maxPoints) };
    }
    // Rows as arrays [min_value, min_step, max_value, max_step]: no object per bucket.
    const rows = this.stmt.buckets.all(s.id, level, Math.floor(a / w), Math.floor(b / w)) as Array<[number | null, number, number | null, number]>;
    const points: MetricPoint[] = [];
    for (const [minValue, minStep, maxValue, maxStep] of rows) {
      if (minValue === null || maxValue === null) continue;
      const minFirst = minStep <= maxStep;
      const s1 = minFirst ? minStep : maxStep;
      const s2 = minFirst ? maxStep : minStep;
      if (s1 >= a && s1 <= b) points.push({ step: s1, value: minFirst ? minValue : maxValue });
      if (s2 !== s1 && s2 >= a && s2 <= b) points.push({ step: s2, value: minFirst ? maxValue : minValue });
    }
    return { key, downsampled: true, points };
  }

  /** Every raw row of a series (export). */
  allRows(runId: string, key: string): Array<[number, number | null, number]> {
    const s = this.stmt.getSeries.get(runId, key) as SeriesRow | undefined;
    if (!s) return [];
    return (this.stmt.allRaw.all(s.id) as Array<{ step: number; value: number | null; wall_time: number }>).map((r) => [
      r.step,
      r.value,
      r.wall_time,
    ]);
  }
}

/** Min/max per equal-width step bucket over rows already in memory (small ranges only). */
export function bucketRaw(rows: readonly MetricPoint[], a: number, b: number, maxPoints: number): MetricPoint[] {
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const w = (b - a + 1) / buckets;
  const out: MetricPoint[] = [];
  let i = 0;
  for (let k = 0; k < buckets && i < rows.length; k++) {
    const end = a + (k + 1) * w;
    let lo: MetricPoint | null = null;
    let hi: MetricPoint | null = null;
    for (; i < rows.length && rows[i].step < end; i++) {
      const r = rows[i];
      if (r.value === null) continue;
      if (!lo || r.value < (lo.value as number)) lo = r;
      if (!hi || r.value > (hi.value as number)) hi = r;
    }
    if (lo && hi) {
      if (lo.step === hi.step) out.push(lo);
      else out.push(...(lo.step < hi.step ? [lo, hi] : [hi, lo]));
    }
  }
  return out;
}
