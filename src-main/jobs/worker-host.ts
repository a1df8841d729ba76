/**
 * One interface for a worker process, two implementations: Node's child_process.fork (CLI, browser host, tests)
 * and Electron's utilityProcess.fork (src-main/electron/utility-worker-host.ts). The job queue sees only this.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { MainToWorker } from '../../src-worker/protocol';
import { projectRoot, runningFromSource } from '../paths';

export interface WorkerExit {
  code: number | null;
  signal: string | null;
}

export interface WorkerHandle {
  readonly pid: number | undefined;
  send(message: MainToWorker): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once, whatever the cause: normal exit, crash, or kill. */
  onExit(listener: (exit: WorkerExit) => void): void;
  /** Lines the worker wrote to stderr (diagnostics for crashed runs). */
  onStderr(listener: (line: string) => void): void;
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
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const stderrListeners: Array<(line: string) => void> = [];
    let buffered = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) stderrListeners.forEach((l) => l(line));
    });
    return {
      pid: child.pid,
      send: (m) => {
        if (child.connected) child.send(m);
      },
      onMessage: (l) => void child.on('message', l),
      onExit: (l) => void child.once('exit', (code, signal) => l({ code, signal })),
      onStderr: (l) => void stderrListeners.push(l),
      kill: () => void child.kill('SIGKILL'),
    };
  }
}
