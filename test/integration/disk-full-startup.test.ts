import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src-main/paths';
import { cliEnv, databaseWithOrphan } from './cli-process';

/**
 * A full disk, for real: the CLI runs under `ulimit -f` (RLIMIT_FSIZE; Node ignores SIGXFSZ, so a write past
 * the limit fails with EFBIG like one on a full disk). The database has 64 KiB pages, so the first WAL frame of
 * any write is past a 48 KiB limit while reading (and the 32 KiB -shm) still works.
 */
const dir = mkdtempSync(join(tmpdir(), 'der-full-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const LIMIT_KB = 48;


function derOnFullDisk(db: string, args: string[]) {
  const child = spawn('bash', ['-c', `ulimit -f ${LIMIT_KB}; exec "$0" --import tsx src-main/cli/der.ts "$@"`, process.execPath, ...args], {
    cwd: projectRoot(),
    env: cliEnv(db),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

describe('a disk full at start-up', () => {
  it('der list still lists, from a read-only database, and says so', async () => {
    const db = databaseWithOrphan(dir, 'list.db');
    const r = derOnFullDisk(db, ['list', '--json']);
    expect(await r.exited).toBe(0);
    expect(r.stderr()).toMatch(/cannot be written .*read-only/);
    expect(JSON.parse(r.stdout()).map((x: { id: string }) => x.id)).toEqual(['orphan-run']);
  });

  it('der run exits non-zero with a one-line message', async () => {
    const db = databaseWithOrphan(dir, 'run.db');
    const r = derOnFullDisk(db, ['run', 'selftest', '--set', 'steps=5']);
    expect(await r.exited).not.toBe(0);
    const lines = r.stderr().trim().split('\n');
    expect(lines.at(-1)).toMatch(/^der: .*(readonly|read-only)/);
    expect(r.stderr()).not.toMatch(/^\s+at /m);
  });

  it('der serve answers the Api', async () => {
    const db = databaseWithOrphan(dir, 'serve.db');
    const r = derOnFullDisk(db, ['serve', '--port', '0']);
    try {
      const t0 = Date.now();
      while (!/http:\/\/127\.0\.0\.1:\d+\//.test(r.stdout()) && Date.now() - t0 < 60_000) await new Promise((res) => setTimeout(res, 100));
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(r.stdout())?.[0];
      expect(url).toBeDefined();
      const health = await fetch(`${url}api/health`);
      expect(health.status).toBe(200);
      const list = await fetch(`${url}api/listRuns`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[{}]' });
      expect((await list.json()).map((x: { id: string }) => x.id)).toEqual(['orphan-run']);
    } finally {
      r.child.kill('SIGTERM');
      await r.exited;
    }
  });
});
