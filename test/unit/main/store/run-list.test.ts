import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../src-main/api/contract';
import { ApiService } from '../../../../src-main/api/service';
import type { JobQueue } from '../../../../src-main/jobs/job-queue';
import { openDatabase } from '../../../../src-main/store/database';
import { compileRunFilter, FilterSyntaxError } from '../../../../src-main/store/run-filter';
import { RunStore } from '../../../../src-main/store/run-store';

// The claims report is not under test here; keep this file independent of that module's imports.

interface Seed {
  id: string;
  kind?: string;
  name?: string;
  status?: string;
  config?: object;
  summary?: object | null;
  tags?: string[];
  parent?: string | null;
  created: number;
}

function seedRuns(store: RunStore, runs: Seed[]): void {
  const insert = store.db.prepare(
    `INSERT INTO runs (id, kind, name, status, config, seed, summary, created_at, tags, parent_id)
     VALUES (?, ?, ?, ?, ?, 42, ?, ?, ?, ?)`,
  );
  store.transaction(() => {
    for (const r of runs) {
      insert.run(
        r.id,
        r.kind ?? 'selftest',
        r.name ?? r.id,
        r.status ?? 'done',
        JSON.stringify(r.config ?? {}),
        r.summary ? JSON.stringify(r.summary) : null,
        r.created,
        JSON.stringify(r.tags ?? []),
        r.parent ?? null,
      );
    }
  });
}

function small(): RunStore {
  const store = RunStore.open(':memory:');
  seedRuns(store, [
    { id: 'a', kind: 'entropynet-train', name: 'lambda sweep 0.01', config: { lambda: 0.01 }, summary: { hullErrorPct: 0.4 }, created: 1, tags: ['paper'] },
    { id: 'b', kind: 'entropynet-train', name: 'lambda sweep 0.05', config: { lambda: 0.05 }, summary: { hullErrorPct: 0.7 }, created: 2 },
    { id: 'c', kind: 'entropynet-train', name: 'lambda sweep 0.1', config: { lambda: 0.1 }, summary: { hullErrorPct: 2.5 }, created: 3, tags: ['paper', 'big'] },
    { id: 'd', kind: 'selftest', name: '100%_done', status: 'failed', config: { steps: 5 }, created: 4 },
    { id: 'e', kind: 'sweep', name: 'grid', config: { kind: 'selftest' }, created: 5 },
    { id: 'e1', kind: 'selftest', name: 'grid child 1', parent: 'e', created: 6 },
    { id: 'e2', kind: 'selftest', name: 'grid child 2', parent: 'e', created: 7 },
  ]);
  return store;
}

const ids = (store: RunStore, filter: string, extra: object = {}): string[] => store.runs.page({ filter, limit: 100, ...extra }).runs.map((r) => r.id);

describe('run filter expressions', () => {
  it('filter on kind, config and summary values numerically', () => {
    const store = small();
    expect(ids(store, 'kind = entropynet-train and config.lambda >= 0.05 and summary.hullErrorPct < 1')).toEqual(['b']);
    expect(ids(store, 'config.lambda > 0.02')).toEqual(['c', 'b']);
    expect(ids(store, 'summary.hullErrorPct >= 0.5 or status = failed')).toEqual(['d', 'c', 'b']);
    expect(ids(store, 'not (kind = selftest or kind = sweep)')).toEqual(['c', 'b', 'a']);
  });

  it('name ~ text is a literal contains-search: % and _ are not wildcards', () => {
    const store = small();
    expect(ids(store, 'name ~ "100%_"')).toEqual(['d']);
    expect(ids(store, 'name ~ "%"')).toEqual(['d']);
    expect(ids(store, 'name ~ "_"')).toEqual(['d']);
    expect(ids(store, "name ~ 'SWEEP 0.0'")).toEqual(['b', 'a']);
    expect(ids(store, 'name !~ sweep')).toEqual(['e2', 'e1', 'e', 'd']);
    expect(store.runs.page({ search: '%', limit: 10 }).runs.map((r) => r.id)).toEqual(['d']);
  });

  it('summary keys nested with "/" (TensorBoard, MLflow) are filterable', () => {
    const store = RunStore.open(':memory:');
    seedRuns(store, [
      { id: 'x', summary: { 'train/loss': 0.2 }, created: 1 },
      { id: 'y', summary: { 'train/loss': 0.9 }, created: 2 },
    ]);
    expect(ids(store, 'summary.train/loss < 0.5')).toEqual(['x']);
  });

  it('tags, status lists and null', () => {
    const store = small();
    expect(ids(store, 'tag = paper')).toEqual(['c', 'a']);
    expect(ids(store, 'tag != paper and kind = entropynet-train')).toEqual(['b']);
    expect(ids(store, 'status in (failed, cancelled)')).toEqual(['d']);
    expect(ids(store, 'status not in (done)')).toEqual(['d']);
    expect(ids(store, 'summary = null and kind = selftest')).toEqual(['e2', 'e1', 'd']);
    expect(ids(store, 'config.steps != 5 and kind = selftest')).toEqual(['e2', 'e1']);
  });

  it('user text is bound as parameters, never spliced into the SQL', () => {
    const evil = `name = "x'; DROP TABLE runs; --" or config.a = "1) OR 1=1 --"`;
    const c = compileRunFilter(evil);
    expect(c.sql).not.toContain('DROP');
    expect(c.sql).not.toContain('1=1');
    expect(c.params).toContain("x'; DROP TABLE runs; --");
    const store = small();
    expect(ids(store, evil)).toEqual([]);
    expect(store.runs.page({ limit: 1 }).total).toBe(7);
    expect(() => compileRunFilter('config.a"b = 1')).toThrow(FilterSyntaxError);
    expect(() => compileRunFilter("config.a'b = 1")).toThrow(FilterSyntaxError);
  });

  it('bad expressions name what is wrong and where', () => {
    expect(() => compileRunFilter('kind =')).toThrow(/expected a value.*character 7/);
    expect(() => compileRunFilter('colour = red')).toThrow(/unknown field "colour"/);
    expect(() => compileRunFilter('status = exploded')).toThrow(/unknown status/);
    expect(() => compileRunFilter('seed > many')).toThrow(/takes a number/);
    expect(() => compileRunFilter('kind = a b')).toThrow(/expected "and", "or"/);
    expect(() => compileRunFilter('(kind = a')).toThrow(/expected "\)"/);
    expect(() => compileRunFilter('name = "open')).toThrow(/unterminated string/);
  });

  it('sorts by columns and by config/summary values (runs without the key last)', () => {
    const store = small();
    const sorted = (by: string, dir: 'asc' | 'desc'): string[] => store.runs.page({ sort: { by, dir }, limit: 100 }).runs.map((r) => r.id);
    expect(sorted('summary.hullErrorPct', 'asc').slice(0, 3)).toEqual(['a', 'b', 'c']);
    expect(sorted('summary.hullErrorPct', 'desc').slice(0, 3)).toEqual(['c', 'b', 'a']);
    expect(sorted('name', 'asc')[0]).toBe('d');
    expect(sorted('created', 'asc')[0]).toBe('a');
    expect(() => store.runs.page({ sort: { by: 'config.x"', dir: 'asc' } })).toThrow(FilterSyntaxError);
    expect(() => store.runs.page({ sort: { by: 'nonsense', dir: 'asc' } })).toThrow(/cannot sort/);
  });

  it('roots lists sweeps with their child count; children come by parentId', () => {
    const store = small();
    const page = store.runs.page({ roots: true, limit: 100 });
    expect(page.runs.map((r) => r.id)).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(page.total).toBe(5);
    expect(page.childCounts).toEqual({ e: 2 });
    expect(store.runs.page({ parentId: 'e' }).runs.map((r) => r.id)).toEqual(['e2', 'e1']);
  });
});

describe('run list at scale', () => {
  it('finds an old run by its exact name among 10,001 and counts the filter, not the page', () => {
    const store = RunStore.open(':memory:');
    const runs: Seed[] = [];
    for (let i = 0; i < 10_001; i++) {
      runs.push({ id: `r${i}`, kind: i % 2 ? 'selftest' : 'entropynet-train', name: `run number ${i}`, config: { lambda: (i % 100) / 1000 }, created: i });
    }
    seedRuns(store, runs);
    const found = store.runs.page({ filter: 'name = "run number 3"', limit: 50 });
    expect(found.runs.map((r) => r.id)).toEqual(['r3']);
    expect(found.total).toBe(1);
    expect(store.runs.page({ search: 'run number 17', limit: 50 }).total).toBe(1 + 10 + 100);
    const page = store.runs.page({ filter: 'kind = entropynet-train', limit: 50 });
    expect(page.runs).toHaveLength(50);
    expect(page.total).toBe(5001);
    expect(page.runs[0].id).toBe('r10000');
    const last = store.runs.page({ filter: 'kind = entropynet-train', limit: 50, offset: 5000 });
    expect(last.runs.map((r) => r.id)).toEqual(['r0']);
    expect(store.runs.page({ filter: 'config.lambda >= 0.098', limit: 1 }).total).toBe(200);
    expect(store.runs.page({ limit: 1 }).total).toBe(10_001);
  });
});

describe('run list indexes', () => {
  const plan = (db: ReturnType<typeof openDatabase>, sql: string, ...args: unknown[]): string =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');

  it('every migration applies to an empty database and the list queries use their index', () => {
    const db = openDatabase(':memory:');
    expect(plan(db, 'SELECT * FROM runs WHERE kind = ? ORDER BY created_at DESC LIMIT 50', 'x')).toMatch(/USING INDEX runs_kind_created/);
    expect(plan(db, 'SELECT * FROM runs WHERE kind = ? ORDER BY created_at DESC LIMIT 50', 'x')).not.toMatch(/TEMP B-TREE/);
    expect(plan(db, 'SELECT * FROM runs WHERE name = ?', 'x')).toMatch(/USING INDEX runs_name/);
    expect(plan(db, 'SELECT * FROM runs ORDER BY name ASC, id ASC LIMIT 50')).toMatch(/runs_name/);
    expect(plan(db, 'SELECT * FROM runs WHERE parent_id IS NULL ORDER BY created_at DESC LIMIT 50')).toMatch(/USING INDEX runs_parent_created/);
    expect(plan(db, 'SELECT * FROM runs WHERE status = ? ORDER BY created_at DESC LIMIT 50', 'done')).toMatch(/USING INDEX runs_status_created/);
    expect(plan(db, 'SELECT * FROM runs ORDER BY created_at DESC LIMIT 50')).toMatch(/USING INDEX runs_created/);
    db.close();
  });
});

describe('bulk tag and delete', () => {
  function service(): { svc: ApiService; store: RunStore } {
    const store = small();
    const queue = { enqueue: () => {}, publish: () => {}, isActive: () => false, onEvent: () => () => {} } as unknown as JobQueue;
    return { svc: new ApiService(store, queue), store };
  }

  it('tags many runs at once and refuses the whole call when one id is unknown', async () => {
    const { svc, store } = service();
    expect(await svc.invoke('tagRuns', [['a', 'b'], { add: ['keep'], remove: ['paper'] }])).toEqual({ updated: 2 });
    expect(store.runs.get('a')!.tags).toEqual(['keep']);
    expect(store.runs.get('b')!.tags).toEqual(['keep']);
    await expect(svc.invoke('tagRuns', [['c', 'nope'], { add: ['x'] }])).rejects.toMatchObject({ code: 'not_found' });
    expect(store.runs.get('c')!.tags).toEqual(['paper', 'big']);
  });

  it('deletes many runs at once, or none when one is still running', async () => {
    const { svc, store } = service();
    store.db.prepare("UPDATE runs SET status = 'running' WHERE id = 'c'").run();
    const e = await svc.invoke('deleteRuns', [['a', 'c']]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).code).toBe('conflict');
    expect(store.runs.get('a')).not.toBeNull();
    expect(await svc.invoke('deleteRuns', [['a', 'b']])).toEqual({ deleted: ['a', 'b'] });
    expect(store.runs.page({ limit: 10 }).total).toBe(5);
  });

  it('answers a bad filter as invalid_input with the reason', async () => {
    const { svc } = service();
    await expect(svc.invoke('queryRuns', [{ filter: 'kind >' }])).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('expected a value') });
  });
});
