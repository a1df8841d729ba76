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
      send: (m) => void process.send!(m),
      onMessage: (l) => process.on('message', l),
    };
  }
  throw new Error('src-worker/entry must be started by the workbench (no parent channel)');
}
