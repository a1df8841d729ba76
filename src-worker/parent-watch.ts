/**
 * A worker must not outlive the process that owns its run: nothing could record what it computes. The IPC
 * channel's 'disconnect' event cannot tell a worker that is inside a long synchronous step (its event loop is
 * busy), so a small thread watches instead: when the parent is gone (this process was re-parented) it kills
 * the whole process.
 */
import { Worker } from 'node:worker_threads';

const WATCH = `
const { workerData } = require('node:worker_threads');
setInterval(() => {
  if (process.ppid !== workerData.ppid) process.kill(workerData.pid, 'SIGKILL');
}, workerData.intervalMs);
`;

export function exitWhenParentDies(intervalMs = 250): void {
  const watcher = new Worker(WATCH, { eval: true, workerData: { ppid: process.ppid, pid: process.pid, intervalMs } });
  watcher.unref();
}
