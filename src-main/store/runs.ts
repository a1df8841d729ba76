/** The `runs` table: rows ⇄ `Run` objects. */
import type { JsonObject, Run, RunListQuery, RunPage, RunQuery, RunStatus } from '../api/contract';
import type { Db } from './database';
import { compileRunFilter, compileRunSort, escapeLike } from './run-filter';

interface RunRow {
  id: string;
  kind: string;
  name: string;
  status: RunStatus;
  config: string;
  seed: number;
  summary: string | null;
  backend: string | null;
  host: string | null;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  progress: number;
  progress_message: string;
  error: string | null;
  exit_info: string | null;
  tags: string;
  notes: string;
  parent_id: string | null;
  source: 'local' | 'imported';
}

const parseObject = (s: string | null): JsonObject | null => (s === null ? null : (JSON.parse(s) as JsonObject));

function toRun(r: RunRow): Run {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    status: r.status,
    config: parseObject(r.config) ?? {},
    seed: r.seed,
    summary: parseObject(r.summary),
    backend: parseObject(r.backend),
    host: parseObject(r.host),
    createdAt: r.created_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    progress: r.progress,
    progressMessage: r.progress_message,
    error: r.error,
    exitInfo: r.exit_info,
    tags: JSON.parse(r.tags) as string[],
    notes: r.notes,
    parentId: r.parent_id,
    source: r.source,
  };
}

export interface NewRun {
  id: string;
  kind: string;
  name: string;
  config: JsonObject;
  seed: number;
  parentId?: string | null;
  status?: RunStatus;
  /** Who queued it (hostname, main pid): start-up recovery leaves runs of a live workbench alone. */
  host?: JsonObject;
}

export class RunTable {
  private readonly insertStmt;
  private readonly getStmt;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO runs (id, kind, name, status, config, seed, created_at, parent_id, host)
       VALUES (@id, @kind, @name, @status, @config, @seed, @created_at, @parent_id, @host)`,
    );
    this.getStmt = db.prepare('SELECT * FROM runs WHERE id = ?');
  }

  create(r: NewRun): Run {
    this.insertStmt.run({
      id: r.id,
      kind: r.kind,
      name: r.name,
      status: r.status ?? 'queued',
      config: JSON.stringify(r.config),
      seed: r.seed,
      created_at: Date.now(),
      parent_id: r.parentId ?? null,
      host: JSON.stringify(r.host ?? {}),
    });
    return this.get(r.id)!;
  }

  /** Inserts a run exactly as exported elsewhere (import); the caller checks the id is free. */
  insertImported(run: Run): void {
    this.db
      .prepare(
        `INSERT INTO runs (id, kind, name, status, config, seed, summary, backend, host, created_at, started_at, ended_at,
           progress, progress_message, error, exit_info, tags, notes, parent_id, source)
         VALUES (@id, @kind, @name, @status, @config, @seed, @summary, @backend, @host, @createdAt, @startedAt, @endedAt,
           @progress, @progressMessage, @error, @exitInfo, @tags, @notes, NULL, 'imported')`,
      )
      .run({
        ...run,
        status: run.status === 'running' || run.status === 'queued' ? 'crashed' : run.status,
        config: JSON.stringify(run.config),
        summary: run.summary === null ? null : JSON.stringify(run.summary),
        backend: run.backend === null ? null : JSON.stringify(run.backend),
        host: run.host === null ? null : JSON.stringify(run.host),
        tags: JSON.stringify(run.tags),
      });
  }

  get(id: string): Run | null {
    const row = this.getStmt.get(id) as RunRow | undefined;
    return row ? toRun(row) : null;
  }

  /** Resolves a full id or a unique prefix of one (the CLI accepts prefixes). */
  resolveId(idOrPrefix: string): string | null {
    if (this.getStmt.get(idOrPrefix)) return idOrPrefix;
    const rows = this.db
      .prepare("SELECT id FROM runs WHERE id LIKE ? ESCAPE '\\' LIMIT 2")
      .all(idOrPrefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%') as Array<{ id: string }>;
    return rows.length === 1 ? rows[0].id : null;
  }

  list(q: RunQuery = {}): Run[] {
    const where: string[] = [];
    const args: Record<string, unknown> = {};
    if (q.kind) (where.push('kind = @kind'), (args.kind = q.kind));
    if (q.status) (where.push('status = @status'), (args.status = q.status));
    if (q.parentId) (where.push('parent_id = @parentId'), (args.parentId = q.parentId));
    if (q.search) (where.push(`(name LIKE @search ESCAPE '\\' OR id LIKE @search ESCAPE '\\' OR tags LIKE @search ESCAPE '\\')`), (args.search = `%${escapeLike(q.search)}%`));
    args.limit = q.limit ?? 500;
    args.offset = q.offset ?? 0;
    const sql = `SELECT * FROM runs ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
                 ORDER BY created_at DESC LIMIT @limit OFFSET @offset`;
    return (this.db.prepare(sql).all(args) as RunRow[]).map(toRun);
  }

  /**
   * One page of runs filtered and sorted in SQL over the whole table, with the filtered count. The filter
   * expression compiles to a parameterised condition (FilterSyntaxError on bad input).
   */
  page(q: RunListQuery): RunPage {
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (q.filter && q.filter.trim()) {
      const f = compileRunFilter(q.filter);
      where.push(f.sql);
      params.push(...f.params);
    }
    if (q.search && q.search.trim()) {
      const like = `%${escapeLike(q.search.trim())}%`;
      where.push(`(name LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM json_each(runs.tags) WHERE value LIKE ? ESCAPE '\\'))`);
      params.push(like, like, like);
    }
    if (q.parentId) (where.push('parent_id = ?'), params.push(q.parentId));
    else if (q.roots) where.push('parent_id IS NULL');
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const order = compileRunSort(q.sort?.by ?? 'created', q.sort?.dir ?? 'desc');
    const rows = this.db
      .prepare(`SELECT * FROM runs ${whereSql} ORDER BY ${order.sql} LIMIT ? OFFSET ?`)
      .all(...params, ...order.params, q.limit ?? 100, q.offset ?? 0) as RunRow[];
    const total = (this.db.prepare(`SELECT count(*) AS n FROM runs ${whereSql}`).get(...params) as { n: number }).n;
    const childCounts: Record<string, number> = {};
    if (rows.length > 0) {
      const counted = this.db
        .prepare(`SELECT parent_id AS id, count(*) AS n FROM runs WHERE parent_id IN (${rows.map(() => '?').join(', ')}) GROUP BY parent_id`)
        .all(...rows.map((r) => r.id)) as Array<{ id: string; n: number }>;
      for (const c of counted) childCounts[c.id] = c.n;
    }
    return { runs: rows.map(toRun), total, childCounts };
  }

  /** Adds and removes tags on each run (call inside a transaction); returns how many runs changed. */
  retag(ids: readonly string[], add: readonly string[], remove: readonly string[]): number {
    const read = this.db.prepare('SELECT tags FROM runs WHERE id = ?');
    const write = this.db.prepare('UPDATE runs SET tags = ? WHERE id = ?');
    const drop = new Set(remove);
    let changed = 0;
    for (const id of ids) {
      const row = read.get(id) as { tags: string } | undefined;
      if (!row) continue;
      const before = JSON.parse(row.tags) as string[];
      const after = [...new Set([...before.filter((t) => !drop.has(t)), ...add.filter((t) => !drop.has(t))])];
      if (after.length === before.length && after.every((t, i) => t === before[i])) continue;
      write.run(JSON.stringify(after), id);
      changed++;
    }
    return changed;
  }

  markRunning(id: string, host: JsonObject): void {
    this.db
      .prepare("UPDATE runs SET status = 'running', started_at = ?, host = ? WHERE id = ?")
      .run(Date.now(), JSON.stringify(host), id);
  }

  /** Ask the owning process to cancel a queued or running run (cross-process; see JobQueue's poll). */
  requestCancel(id: string): void {
    this.db.prepare("UPDATE runs SET cancel_requested_at = ? WHERE id = ? AND status IN ('queued', 'running')").run(Date.now(), id);
  }

  /** Of `ids`, those whose cancellation another process has requested. */
  cancelRequested(ids: readonly string[]): string[] {
    if (ids.length === 0) return [];
    return (
      this.db
        .prepare(`SELECT id FROM runs WHERE cancel_requested_at IS NOT NULL AND id IN (${ids.map(() => '?').join(', ')})`)
        .all(...ids) as Array<{ id: string }>
    ).map((r) => r.id);
  }

  setBackend(id: string, backend: JsonObject): void {
    this.db.prepare('UPDATE runs SET backend = ? WHERE id = ?').run(JSON.stringify(backend), id);
  }

  setProgress(id: string, fraction: number, message: string): void {
    this.db.prepare('UPDATE runs SET progress = ?, progress_message = ? WHERE id = ?').run(fraction, message, id);
  }

  finish(
    id: string,
    status: Exclude<RunStatus, 'queued' | 'running'>,
    fields: { summary?: JsonObject | null; error?: string | null; exitInfo?: string | null } = {},
  ): void {
    this.db
      .prepare(
        `UPDATE runs SET status = @status, ended_at = @ended, summary = coalesce(@summary, summary),
           error = coalesce(@error, error), exit_info = coalesce(@exit, exit_info),
           progress = CASE WHEN @status = 'done' THEN 1 ELSE progress END
         WHERE id = @id`,
      )
      .run({
        id,
        status,
        ended: Date.now(),
        summary: fields.summary ? JSON.stringify(fields.summary) : null,
        error: fields.error ?? null,
        exit: fields.exitInfo ?? null,
      });
  }

  update(id: string, patch: { name?: string; tags?: string[]; notes?: string }): void {
    const cur = this.get(id);
    if (!cur) return;
    this.db
      .prepare('UPDATE runs SET name = ?, tags = ?, notes = ? WHERE id = ?')
      .run(patch.name ?? cur.name, JSON.stringify(patch.tags ?? cur.tags), patch.notes ?? cur.notes, id);
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM runs WHERE id = ?').run(id).changes > 0;
  }

}
