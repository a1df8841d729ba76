/**
 * What the parents that main owns (a sweep, a multi-seed run) do alike with their child runs: hear when one
 * ends, and cancel the ones still queued or running.
 */
import type { RunStore } from '../store/run-store';
import type { JobQueue } from './job-queue';

export const ENDED_STATUSES: ReadonlySet<string> = new Set(['done', 'failed', 'cancelled', 'crashed']);

/** Calls `ended(parentId)` each time a child run ends. */
export function onChildEnded(queue: JobQueue, ended: (parentId: string) => void): void {
  queue.onEvent((e) => {
    if (e.type === 'runChanged' && e.run.parentId && ENDED_STATUSES.has(e.run.status)) ended(e.run.parentId);
  });
}

/** Cancels a parent's children that are queued or running. */
export function cancelChildren(store: RunStore, queue: JobQueue, parentId: string): void {
  for (const child of store.runs.list({ parentId, limit: 10_000 })) {
    if (child.status === 'queued' || child.status === 'running') queue.cancel(child.id);
  }
}
