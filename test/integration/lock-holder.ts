import { spawn } from 'node:child_process';
import { projectRoot } from '../../src-main/paths';

/**
 * Another process that takes the database's write lock, holds it `holdMs` (SIGKILLing `killPid` after
 * `killAfterMs`, while it still holds the lock), then commits. Resolves when it has exited.
 */
export function holdWriteLock(dbPath: string, opts: { holdMs: number; killPid?: number; killAfterMs?: number }): Promise<void> {
  const script = `
    const Database = require('better-sqlite3');
    const [path, holdMs, killPid, killAfterMs] = process.argv.slice(1);
    const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    const db = new Database(path);
    db.pragma('busy_timeout = 10000');
    db.exec('BEGIN IMMEDIATE');
    if (Number(killPid) > 0) { sleep(Number(killAfterMs)); try { process.kill(Number(killPid), 'SIGKILL'); } catch {} }
    sleep(Number(holdMs) - (Number(killPid) > 0 ? Number(killAfterMs) : 0));
    db.exec('COMMIT');
    db.close();
  `;
  const child = spawn(process.execPath, ['-e', script, dbPath, String(opts.holdMs), String(opts.killPid ?? 0), String(opts.killAfterMs ?? 0)], {
    cwd: projectRoot(),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`lock holder exited ${code}`))));
  });
}
