import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../src-main/paths';
import { RunStore } from '../../src-main/store/run-store';

/** The environment for a `der` child process: not the test runner's own IPC channel variables. */
export function cliEnv(dbPath: string): NodeJS.ProcessEnv {
  const { NODE_CHANNEL_FD: _fd, NODE_CHANNEL_SERIALIZATION_MODE: _mode, ...inherited } = process.env;
  return { ...inherited, DER_DB: dbPath };
}

/** Runs `der ARGS` on the database at `dbPath` to its end; a non-zero exit is returned, not thrown. */
export function runDer(dbPath: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src-main/cli/der.ts', ...args], { cwd: projectRoot(), env: cliEnv(dbPath), maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

export interface DerProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startDer(dbPath: string, args: string[]): DerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src-main/cli/der.ts', ...args], {
    cwd: projectRoot(),
    env: cliEnv(dbPath),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
  };
}

/** Pids of the worker processes whose parent is `parentPid`. */
export function workersOf(parentPid: number): number[] {
  return execFileSync('ps', ['-eo', 'pid,ppid,args'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[1] === String(parentPid) && f.slice(2).join(' ').includes('src-worker/entry.ts'))
    .map((f) => Number(f[0]));
}

/** Running (not gone, not a zombie waiting for a reaper: PID 1 in a container may never reap it). */
export function processRunning(pid: number): boolean {
  try {
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

export async function waitUntil(f: () => boolean, timeoutMs: number, step = 20): Promise<number> {
  const t0 = Date.now();
  while (!f()) {
    if (Date.now() - t0 > timeoutMs) return -1;
    await new Promise((r) => setTimeout(r, step));
  }
  return Date.now() - t0;
}

/**
 * A database in `dir` holding one run left `running` by a dead process, stored with 64 KiB pages: under a
 * 48 KiB `ulimit -f` the first WAL frame of any write fails (as on a full disk) while reading still works.
 */
export function databaseWithOrphan(dir: string, name: string, id = 'orphan-run'): string {
  const path = join(dir, name);
  const s = RunStore.open(path);
  s.runs.create({ id, kind: 'selftest', name: 'left running', config: {}, seed: 0, status: 'running', host: { hostname: hostname(), mainPid: 2 ** 22 + 1 } });
  s.close();
  const d = new Database(path);
  d.pragma('journal_mode = DELETE');
  d.pragma('page_size = 65536');
  d.exec('VACUUM');
  d.pragma('journal_mode = WAL');
  d.close();
  return path;
}
