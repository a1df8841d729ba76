/** A run's log lines, in the order the worker sent them. */
import type { LogLine } from '../api/contract';
import type { Db } from './database';

export class LogTable {
  private readonly stmt;
  constructor(db: Db) {
    this.stmt = {
      insert: db.prepare('INSERT INTO run_logs (run_id, level, text, time) VALUES (?, ?, ?, ?)'),
      list: db.prepare('SELECT id AS seq, level, text, time FROM run_logs WHERE run_id = ? ORDER BY id DESC LIMIT ?'),
    };
  }
  append(runId: string, level: string, text: string, time = Date.now()): void {
    this.stmt.insert.run(runId, level, text.slice(0, 20_000), time);
  }
  /** The last `limit` lines, oldest first. */
  list(runId: string, limit = 500): LogLine[] {
    return (this.stmt.list.all(runId, limit) as LogLine[]).reverse();
  }
}
