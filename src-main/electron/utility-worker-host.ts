/** WorkerHost over Electron's utilityProcess (the desktop app): same lifecycle as the Node implementation. */
import { utilityProcess } from 'electron';
import { join } from 'node:path';
import { splitLines, type WorkerHandle, type WorkerHost } from '../jobs/worker-host';
import { projectRoot } from '../paths';

export class UtilityWorkerHost implements WorkerHost {
  readonly name = 'utilityProcess';

  spawn(): WorkerHandle {
    const child = utilityProcess.fork(join(projectRoot(), 'out', 'main', 'worker.js'), [], {
      serviceName: 'der-worker',
      stdio: ['ignore', 'pipe', 'pipe'],
      execArgv: ['--max-old-space-size=8192'],
    });
    const output = splitLines();
    if (child.stdout) output.attach('stdout', child.stdout);
    if (child.stderr) output.attach('stderr', child.stderr);
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
        if (exited) return;
        try {
          child.postMessage(m);
        } catch {
          /* the worker died under us: 'exit' follows and ends the run as crashed */
        }
      },
      onMessage: (l) => void child.on('message', l),
      onExit: (l) => void (exitListener = l),
      onOutput: (l) => output.listen(l),
      kill: () => void child.kill(),
    };
  }
}
