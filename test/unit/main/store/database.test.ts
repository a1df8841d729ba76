import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseRefusedError, loadMigrations, openDatabase } from '../../../../src-main/store/database';
import { RunStore } from '../../../../src-main/store/run-store';

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'der-db-'));
  dirs.push(dir);
  return join(dir, 'runs.db');
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('migrations', () => {
  it('apply in order to an empty database and are recorded', () => {
    const path = tempDb();
    const db = openDatabase(path);
    const applied = db.prepare('SELECT id, name FROM schema_migrations ORDER BY id').all() as Array<{ id: number; name: string }>;
    expect(applied.map((a) => a.name)).toEqual(loadMigrations().map((m) => m.name));
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['runs', 'series', 'metrics', 'metric_buckets', 'timings', 'artifacts', 'run_logs']));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('are idempotent: reopening applies nothing twice', () => {
    const path = tempDb();
    openDatabase(path).close();
    const db = openDatabase(path);
    expect((db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(loadMigrations().length);
    db.close();
  });

  it('tables are STRICT: a wrong type is rejected', () => {
    const db = openDatabase(':memory:');
    expect(() =>
      db.prepare("INSERT INTO runs (id, kind, name, status, config, seed, created_at) VALUES ('a', 'k', 'n', 'done', '{}', 'not a number', 0)").run(),
    ).toThrow(/cannot store TEXT value in INTEGER column/);
    db.close();
  });

  it('refuse a database with a migration this build does not know, and leave it untouched', () => {
    const path = tempDb();
    const db = openDatabase(path);
    db.prepare("INSERT INTO schema_migrations (id, name, applied_at) VALUES (999, '0999_from_the_future', 0)").run();
    db.close();
    const before = new Database(path).prepare('SELECT count(*) AS n FROM schema_migrations').get();
    expect(() => openDatabase(path)).toThrow(DatabaseRefusedError);
    expect(() => openDatabase(path)).toThrow(/0999_from_the_future/);
    expect(new Database(path).prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual(before);
  });

  it('refuse a database whose history differs from ours', () => {
    const path = tempDb();
    const migrations = loadMigrations();
    openDatabase(path, { migrations: [{ ...migrations[0], name: '0001_something_else' }] }).close();
    expect(() => openDatabase(path)).toThrow(/0001_something_else/);
  });

  it('refuse a foreign SQLite file', () => {
    const path = tempDb();
    const foreign = new Database(path);
    foreign.exec('CREATE TABLE t (x)');
    foreign.close();
    expect(() => openDatabase(path)).toThrow(/not a DER Workbench database/);
  });
});

describe('a database that is refused', () => {
  const sidecars = (path: string): string[] => ['-wal', '-shm', '-journal'].filter((s) => existsSync(path + s));

  it('is left byte-identical, with no -wal or -shm beside it: a rollback-journal database from the future', () => {
    const path = tempDb();
    const old = new Database(path);
    old.pragma('journal_mode = DELETE');
    old.exec('CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at REAL NOT NULL) STRICT');
    old.prepare("INSERT INTO schema_migrations VALUES (1, '0001_from_the_future', 0)").run();
    old.close();
    const before = readFileSync(path);
    expect(() => openDatabase(path)).toThrow(DatabaseRefusedError);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(sidecars(path)).toEqual([]);
  });

  it('is left byte-identical, with no -wal or -shm beside it: an unrelated SQLite file', () => {
    const path = tempDb();
    const foreign = new Database(path);
    foreign.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    foreign.close();
    const before = readFileSync(path);
    expect(() => openDatabase(path)).toThrow(/not a DER Workbench database/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(sidecars(path)).toEqual([]);
  });
});

describe('write transactions', () => {
  it('take the write lock when they begin, so a write of another connection cannot invalidate what they read', () => {
    const path = tempDb();
    const store = RunStore.open(path);
    const other = new Database(path);
    other.pragma('busy_timeout = 50');
    store.db.exec("CREATE TABLE counter (n INTEGER NOT NULL) STRICT; INSERT INTO counter VALUES (0)");
    const read = store.db.prepare('SELECT n FROM counter');
    const write = store.db.prepare('UPDATE counter SET n = ?');
    let otherWrote = true;
    store.transaction(() => {
      const { n } = read.get() as { n: number };
      try {
        other.prepare('UPDATE counter SET n = 100').run();
      } catch (err) {
        otherWrote = false;
        expect((err as { code?: string }).code).toBe('SQLITE_BUSY');
      }
      write.run(n + 1);
    });
    expect(otherWrote).toBe(false);
    expect(read.get()).toEqual({ n: 1 });
    other.close();
    store.close();
  });
});
