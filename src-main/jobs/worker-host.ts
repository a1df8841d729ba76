/**
 * One interface for a worker process, two implementations: Node's child_process.fork (CLI, browser host, tests)
 * and Electron's utilityProcess.fork (src-main/electron/utility-worker-host.ts). The job queue sees only this.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { MainToWorkerInput } from '../../src-worker/shared/protocol';
import { projectRoot, runningFromSource } from '../paths';

export interface WorkerExit {
  code: number | null;
  signal: string | null;
}

export interface WorkerHandle {
  readonly pid: number | undefined;
  send(message: MainToWorkerInput): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once, whatever the cause: normal exit, crash, or kill. */
  onExit(listener: (exit: WorkerExit) => void): void;
  /** Lines the worker wrote to stdout or stderr: kept in the run's log (diagnostics for crashed runs), never
   * mixed into the front end's own output (the CLI's --json stdout). */
  onOutput(listener: (stream: 'stdout' | 'stderr', line: string) => void): void;
  kill(): void;
}

export interface WorkerHost {
  readonly name: string;
  spawn(): WorkerHandle;
}

/** The worker entry: TypeScript source through tsx when main itself runs from source, else the built bundle. */
export function workerEntry(): { path: string; execArgv: string[] } {
  const root = projectRoot();
  return runningFromSource
    ? { path: join(root, 'src-worker', 'entry.ts'), execArgv: ['--import', 'tsx'] }
    : { path: join(root, 'out', 'main', 'worker.js'), execArgv: [] };
}

export class NodeWorkerHost implements WorkerHost {
  readonly name = 'child_process';

  spawn(): WorkerHandle {
    const entry = workerEntry();
    const child = fork(entry.path, [], {
      cwd: projectRoot(),
      execArgv: [...entry.execArgv, '--max-old-space-size=8192'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const output = splitLines();
    if (child.stdout) output.attach('stdout', child.stdout);
    if (child.stderr) output.attach('stderr', child.stderr);
    // A worker can die between main reading its message and main answering it (main may have waited seconds
    // for a write lock meanwhile): the answer then fails with EPIPE. That is no error of main's; the death
    // itself arrives as 'exit' and ends the run as crashed.
    child.on('error', () => undefined);
    return {
      pid: child.pid,
      send: (m) => {
        if (!child.connected) return;
        try {
          child.send(m, undefined, undefined, () => undefined);
        } catch {
          /* the channel closed under us: 'exit' follows */
        }
      },
      onMessage: (l) => void child.on('message', l),
      onExit: (l) => void child.once('exit', (code, signal) => l({ code, signal })),
      onOutput: (l) => output.listen(l),
      kill: () => void child.kill('SIGKILL'),
    };
  }
}

/** Splits a child's output streams into lines for listeners. */
export function splitLines(): {
  attach(stream: 'stdout' | 'stderr', readable: NodeJS.ReadableStream): void;
  listen(listener: (stream: 'stdout' | 'stderr', line: string) => void): void;
} {
  const listeners: Array<(stream: 'stdout' | 'stderr', line: string) => void> = [];
  return {
    attach(stream, readable) {
      let buffered = '';
      readable.setEncoding('utf8');
      readable.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) listeners.forEach((l) => l(stream, line));
      });
    },
    listen(listener) {
      listeners.push(listener);
    },
  };
}
