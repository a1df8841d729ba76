/** Timing samples: one row per repeat of one (task, dataset, n, algorithm, preprocess, seed) case. */
import type { TimingSample } from '../api/contract';
import type { TimingRow } from '../../src-worker/shared/protocol';
import type { Db } from './database';

export class TimingTable {
  private readonly stmt;
  constructor(db: Db) {
    this.stmt = {
      insert: db.prepare(
        `INSERT INTO timings (run_id, task, dataset, n, algorithm, preprocess, seed, repeat, ms, quality)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      list: db.prepare(
        `SELECT task, dataset, n, algorithm, preprocess, seed, repeat, ms, quality FROM timings WHERE run_id = ?
         ORDER BY task, dataset, n, algorithm, preprocess, seed, repeat`,
      ),
    };
  }

  append(runId: string, rows: readonly TimingRow[]): void {
    for (const r of rows) {
      this.stmt.insert.run(runId, r.task, r.dataset, r.n, r.algorithm, r.preprocess, r.seed, r.repeat, r.ms, r.quality ? JSON.stringify(r.quality) : null);
    }
  }

  list(runId: string): TimingSample[] {
    return (this.stmt.list.all(runId) as Array<Omit<TimingSample, 'quality'> & { quality: string | null }>).map((r) => ({
      ...r,
      quality: r.quality === null ? null : (JSON.parse(r.quality) as Record<string, number | null>),
    }));
  }
}
