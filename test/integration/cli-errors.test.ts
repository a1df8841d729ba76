import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src-main/paths';
import { cliEnv, startDer, waitUntil } from './cli-process';

const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'der-clierr-'));
const db = join(dir, 'runs.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sh(command: string, dbPath = db): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec('bash', ['-o', 'pipefail', '-c', command], { cwd: projectRoot(), env: cliEnv(dbPath), maxBuffer: 64 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
const DER = 'node --import tsx src-main/cli/der.ts';
const oneLine = (stderr: string): void => {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
};

describe('der: expected errors', () => {
  it('a database from a newer build: one line, exit 1', async () => {
    const future = join(dir, 'future.db');
    const f = new Database(future);
    f.exec("CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at REAL NOT NULL) STRICT; INSERT INTO schema_migrations VALUES (1, '0001_from_the_future', 0)");
    f.close();
    const r = await sh(`${DER} list`, future);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/0001_from_the_future/);
    oneLine(r.stderr);
  });

  it('a missing config file, and a directory where a file belongs: one line each', async () => {
    const missing = await sh(`${DER} run selftest --config ${join(dir, 'nope.json')}`);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/nope\.json/);
    oneLine(missing.stderr);
    mkdirSync(join(dir, 'adir'));
    const directory = await sh(`${DER} import ${join(dir, 'adir')}`);
    expect(directory.code).not.toBe(0);
    oneLine(directory.stderr);
  });

  it('--set of an unknown config key exits 2 naming the key', async () => {
    const r = await sh(`${DER} run selftest --set nosuchkey=1`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nosuchkey/);
    oneLine(r.stderr);
  });

  it('an unknown option exits 2 with one line, for every command', async () => {
    for (const command of ['run selftest', 'list', 'show x', 'export x', 'import', 'cancel x', 'delete x', 'serve', 'agent', 'experiments', 'claims', 'reproduce', 'figure', 'hull', 'delaunay', 'entropy']) {
      const r = await sh(`${DER} ${command} --no-such-option`);
      expect(r.code, command).toBe(2);
      expect(r.stderr, command).toMatch(/no-such-option/);
      oneLine(r.stderr);
    }
  });

  it('output into a pipe closed early (| head) is no crash', async () => {
    const run = JSON.parse((await sh(`${DER} run selftest --set steps=3000 --set delayMs=0 --json`)).stdout) as { id: string };
    const r = await sh(`${DER} export ${run.id} | head -c 100`);
    expect(r.stdout).toHaveLength(100);
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
    expect(r.code).toBe(0);
  });

  it('a cancelled run says "cancelled" once and logs no stack', async () => {
    const der = startDer(db, ['run', 'selftest', '--set', 'steps=1000000', '--set', 'delayMs=2', '--json']);
    const running = (): string | undefined => {
      const d = new Database(db, { readonly: true });
      try {
        return (d.prepare("SELECT id FROM runs WHERE status = 'running' AND progress > 0").get() as { id: string } | undefined)?.id;
      } finally {
        d.close();
      }
    };
    expect(await waitUntil(() => running() !== undefined, 60_000, 100)).toBeGreaterThanOrEqual(0);
    const id = running()!;
    der.child.kill('SIGINT');
    const ended = await der.exited;
    expect(ended.code).toBe(1);
    expect(JSON.parse(der.stdout())).toMatchObject({ id, status: 'cancelled', error: 'cancelled' });
    const show = await sh(`${DER} show ${id}`);
    expect(show.stdout).toMatch(/error: cancelled(\s|$)/);
    const d = new Database(db, { readonly: true });
    const logs = d.prepare('SELECT text FROM run_logs WHERE run_id = ?').all(id) as Array<{ text: string }>;
    d.close();
    expect(logs.map((l) => l.text).join('\n')).not.toMatch(/^\s+at /m);
  });
});
