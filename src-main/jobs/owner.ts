/**
 * Which workbench process owns a queued or running run. Every run records the host name and main-process pid
 * that queued it (`runs.host`); only that process can signal its worker, so other processes (the app while a
 * CLI run goes on, a second CLI) must not pretend to cancel it, and a run whose owner is gone is an orphan.
 */
import { hostname } from 'node:os';
import type { Run } from '../api/contract';

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type Owner = { kind: 'this-process' } | { kind: 'other-process'; pid: number } | { kind: 'gone' };

/**
 * This process, another live process on this machine, or gone. A run database belongs to one machine: a run
 * queued on another host (a copied or shared file) counts as gone, since nothing here can reach its worker.
 */
export function ownerOf(run: Pick<Run, 'host'>): Owner {
  const pid = run.host?.mainPid;
  if (typeof pid !== 'number' || run.host?.hostname !== hostname()) return { kind: 'gone' };
  if (pid === process.pid) return { kind: 'this-process' };
  return processAlive(pid) ? { kind: 'other-process', pid } : { kind: 'gone' };
}
