/** WorkerHost over Electron's utilityProcess (the desktop app): same lifecycle as the Node implementation. */
import { utilityProcess } from 'electron';
import { join } from 'node:path';
import type { WorkerHandle, WorkerHost } from '../jobs/worker-host';
import { projectRoot } from '../paths';

export class UtilityWorkerHost implements WorkerHost {
  readonly name = 'utilityProcess';

  spawn(): WorkerHandle {
    const child = utilityProcess.fork(join(projectRoot(), 'out', 'main', 'worker.js'), [], {
      serviceName: 'der-worker',
      stdio: ['ignore', 'inherit', 'pipe'],
      execArgv: ['--max-old-space-size=8192'],
    });
    const stderr: Array<(line: string) => void> = [];
    let buffered = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) stderr.forEach((l) => l(line));
    });
    let exitListener: ((e: { code: number | null; signal: string | null }) => void) | null = null;
    let exited = false;
    // utilityProcess reports a crash through 'exit' with a non-zero code; there is no signal field.
    child.once('exit', (code) => {
      exited = true;
      exitListener?.({ code, signal: null });
    });
    return {
      get pid() {
        return child.pid;
      },
      send: (m) => {
        if (!exited) child.postMessage(m);
      },
      onMessage: (l) => void child.on('message', l),
      onExit: (l) => void (exitListener = l),
      onStderr: (l) => void stderr.push(l),
      kill: () => void child.kill(),
    };
  }
}
