/**
 * The worker's side of the pipe to main: Electron's `process.parentPort` in a utilityProcess, Node's IPC channel
 * (`process.send`) under child_process.fork. Everything above this file is transport-agnostic.
 */
export interface ParentChannel {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /**
   * Resolves when every message sent so far has been written to the pipe. A message larger than the pipe
   * takes one piece per turn of the event loop, and every message after it waits behind it: a run that turns
   * the loop once between long synchronous stretches gets a megabyte out only after many of them.
   */
  written(): Promise<void>;
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
      // postMessage reports no completion: one turn of the event loop is all this side can offer.
      written: () => new Promise<void>((resolve) => setImmediate(resolve)),
    };
  }
  if (typeof process.send === 'function') {
    // Messages handed to process.send whose write has not completed (its callback runs once it has).
    let unwritten = 0;
    let waiters: Array<() => void> = [];
    return {
      // Main is gone (its end of the channel closed): nobody can record anything this worker does.
      send: (m) => {
        if (!process.connected) process.exit(2);
        unwritten++;
        process.send!(m, undefined, undefined, (err) => {
          if (err) process.exit(2);
          if (--unwritten === 0) {
            const ready = waiters;
            waiters = [];
            for (const w of ready) w();
          }
        });
      },
      onMessage: (l) => process.on('message', l),
      written: () => (unwritten === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
    };
  }
  throw new Error('src-worker/entry must be started by the workbench (no parent channel)');
}
