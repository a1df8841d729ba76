/**
 * The worker's side of the pipe to main: Electron's `process.parentPort` in a utilityProcess, Node's IPC channel
 * (`process.send`) under child_process.fork. Everything above this file is transport-agnostic.
 */
export interface ParentChannel {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
}

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

export function connectToParent(): ParentChannel {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (m) => parentPort.postMessage(m),
      onMessage: (l) => parentPort.on('message', (e) => l(e.data)),
    };
  }
  if (typeof process.send === 'function') {
    return {
      // Main is gone (its end of the channel closed): nobody can record anything this worker does.
      send: (m) => {
        if (!process.connected) process.exit(2);
        process.send!(m, undefined, undefined, (err) => {
          if (err) process.exit(2);
        });
      },
      onMessage: (l) => process.on('message', l),
    };
  }
  throw new Error('src-worker/entry must be started by the workbench (no parent channel)');
}
