import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { projectRoot } from '../../src-main/paths';

/** The environment for a `der` child process: not the test runner's own IPC channel variables. */
export function cliEnv(dbPath: string): NodeJS.ProcessEnv {
  const { NODE_CHANNEL_FD: _fd, NODE_CHANNEL_SERIALIZATION_MODE: _mode, ...inherited } = process.env;
  return { ...inherited, DER_DB: dbPath };
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
