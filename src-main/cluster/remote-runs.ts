/**
 * The store's side of remote runs: which runs an agent executes (host.remote), the per-run cursor of stored
 * stream events (idempotent recording), retry links, and which runs a restarted workbench takes over.
 */
import type { JsonObject, Run } from '../api/contract';
import type { RunStore } from '../store/run-store';
import { sameRedis } from './protocol';

export interface RemoteMark {
  redis: string;
  queue: string;
}

export function remoteOf(run: Pick<Run, 'host'>): RemoteMark | null {
  const r = run.host?.remote;
  if (r && typeof r === 'object' && !Array.isArray(r) && typeof (r as JsonObject).queue === 'string') return r as unknown as RemoteMark;
  return null;
}

export class RemoteRunTable {
  private readonly stmt;

  constructor(store: RunStore) {
    const db = store.db;
    this.stmt = {
      cursor: db.prepare<[string], { seq: number }>('SELECT seq FROM remote_cursor WHERE run_id = ?'),
      setCursor: db.prepare('INSERT INTO remote_cursor (run_id, seq) VALUES (?, ?) ON CONFLICT (run_id) DO UPDATE SET seq = excluded.seq'),
      setHost: db.prepare('UPDATE runs SET host = ? WHERE id = ?'),
      setRetryOf: db.prepare('UPDATE runs SET retry_of = ? WHERE id = ?'),
      retryOf: db.prepare<[string], { retry_of: string | null }>('SELECT retry_of FROM runs WHERE id = ?'),
    };
  }

  /** Sequence number of the last stored event of the run, -1 when none. */
  cursor(runId: string): number {
    return this.stmt.cursor.get(runId)?.seq ?? -1;
  }

  setCursor(runId: string, n: number): void {
    this.stmt.setCursor.run(runId, n);
  }

  setHost(runId: string, host: JsonObject): void {
    this.stmt.setHost.run(JSON.stringify(host), runId);
  }

  setRetryOf(runId: string, crashedId: string): void {
    this.stmt.setRetryOf.run(crashedId, runId);
  }

  retryOf(runId: string): string | null {
    return this.stmt.retryOf.get(runId)?.retry_of ?? null;
  }

  /** How many crashed runs precede this one in its retry chain. */
  retryDepth(runId: string): number {
    let depth = 0;
    for (let id = this.retryOf(runId); id && depth < 1000; id = this.retryOf(id)) depth++;
    return depth;
  }
}

/**
 * The Redis a run's agent is reached through: its own record, or for a sweep the first child's that has one.
 * Null for a run that never went to an agent.
 */
export function remoteRedisOf(store: RunStore, run: Run): string | null {
  const own = remoteOf(run);
  if (own) return own.redis;
  if (run.kind !== 'sweep') return null;
  for (const c of store.runs.list({ parentId: run.id, limit: 10_000 })) {
    const m = remoteOf(c);
    if (m) return m.redis;
  }
  return null;
}

/**
 * Queued or running runs whose owner is gone and that went to agents (their agents keep working and their
 * events wait in Redis), and sweeps with such children: with `redisUrl`, only those queued on that Redis, which
 * a workbench opened with it takes over. Without, all of them: nothing here can end them, a workbench (or
 * `der cancel`) with their Redis can.
 */
export function adoptable(store: RunStore, runs: readonly Run[], redisUrl?: string): Set<string> {
  const ids = new Set<string>();
  for (const r of runs) {
    if (r.status !== 'queued' && r.status !== 'running') continue;
    const redis = remoteRedisOf(store, r);
    if (redis !== null && (redisUrl === undefined || sameRedis(redis, redisUrl))) ids.add(r.id);
  }
  return ids;
}
