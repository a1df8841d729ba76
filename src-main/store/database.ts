/**
 * Opening the run store: pragmas, and migrations applied in order, each in its own transaction and recorded in
 * the database. A database whose applied migrations are not a prefix of the ones this build knows was written
 * by a newer (or foreign) build: it is refused and left untouched.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectRoot } from '../paths';

export type Db = Database.Database;

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

export class DatabaseRefusedError extends Error {
  override name = 'DatabaseRefusedError';
}

/** One default for every front end; `--db PATH` or `DER_DB` overrides it. */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.DER_DB && env.DER_DB.length > 0 ? env.DER_DB : join(homedir(), '.der-workbench', 'runs.db');
}

export function loadMigrations(dir = join(projectRoot(), 'db', 'migrations')): Migration[] {
  const files = readdirSync(dir).filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return files.map((file, i) => {
    const id = Number(file.slice(0, 4));
    if (id !== i + 1) throw new Error(`migration ${file}: expected number ${String(i + 1).padStart(4, '0')}`);
    return { id, name: file.replace(/\.sql$/, ''), sql: readFileSync(join(dir, file), 'utf8') };
  });
}

export function openDatabase(path: string, options: { migrations?: Migration[]; readonly?: boolean } = {}): Db {
  const migrations = options.migrations ?? loadMigrations();
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const fresh = path === ':memory:' || !existsSync(path);
  const db = new Database(path, { readonly: options.readonly ?? false });
  try {
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Only reads until the file is known to be ours: a foreign or newer database is refused byte-identical
    // (switching it to WAL would rewrite its header and leave -wal/-shm files beside it).
    const applied = checkHistory(db, migrations, fresh);
    if (options.readonly && applied < migrations.length) {
      throw new DatabaseRefusedError(`database needs ${migrations.length - applied} migration(s) before this build can read it, and it is open read-only`);
    }
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      migrate(db, migrations);
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function hasMigrationTable(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
}

/**
 * Refuses (without writing) a database that is not ours or whose applied migrations are not a prefix of ours;
 * returns how many of ours it has.
 */
function checkHistory(db: Db, migrations: Migration[], fresh: boolean): number {
  if (!hasMigrationTable(db)) {
    const userTables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
    if (!fresh && userTables.n > 0) {
      throw new DatabaseRefusedError('this file is not a DER Workbench database (it has tables but no migration record); it was not modified');
    }
    return 0;
  }
  const applied = db.prepare('SELECT id, name FROM schema_migrations ORDER BY id').all() as Array<{ id: number; name: string }>;
  applied.forEach((row, i) => {
    const known = migrations[i];
    if (!known || known.id !== row.id || known.name !== row.name) {
      throw new DatabaseRefusedError(
        `database has migration ${row.name} that this build does not know (known: ${migrations.map((m) => m.name).join(', ') || 'none'}); ` +
          'it was written by a newer or different build and was not modified',
      );
    }
  });
  return applied.length;
}

function migrate(db: Db, migrations: Migration[]): void {
  if (!hasMigrationTable(db)) {
    db.exec('CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at REAL NOT NULL) STRICT');
  }
  const applied = (db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n;
  const record = db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations.slice(applied)) {
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.id, m.name, Date.now());
    }).immediate();
  }
}
