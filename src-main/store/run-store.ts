/** The run store: one writing connection and the tables behind it. */
import { ArtifactTable } from './artifacts';
import { openDatabase, type Db, type Migration } from './database';
import { LogTable } from './logs';
import { MetricTable } from './metrics';
import { RunTable } from './runs';
import { TimingTable } from './timings';

export class RunStore {
  readonly runs: RunTable;
  readonly metrics: MetricTable;
  readonly timings: TimingTable;
  readonly artifacts: ArtifactTable;
  readonly logs: LogTable;

  constructor(
    readonly db: Db,
    readonly path: string,
  ) {
    this.runs = new RunTable(db);
    this.metrics = new MetricTable(db);
    this.timings = new TimingTable(db);
    this.artifacts = new ArtifactTable(db);
    this.logs = new LogTable(db);
  }

  static open(path: string, options: { migrations?: Migration[]; readonly?: boolean } = {}): RunStore {
    return new RunStore(openDatabase(path, options), path);
  }

  /**
   * Every write transaction begins IMMEDIATE: it takes the write lock first, waiting for it under busy_timeout.
   * A deferred one that reads before it writes gets SQLITE_BUSY_SNAPSHOT when another process wrote meanwhile,
   * and that error does not wait.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  deleteRun(id: string): boolean {
    this.metrics.forgetRun(id);
    return this.runs.delete(id);
  }

  integrityCheck(): string {
    return (this.db.pragma('integrity_check', { simple: true }) as string) ?? 'unknown';
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
