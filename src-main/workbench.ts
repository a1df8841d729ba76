/** Wires the main-process services together: store → queue → service. Every front end starts here. */
import { ApiService } from './api/service';
import { JobQueue, type JobQueueOptions } from './jobs/job-queue';
import { NodeWorkerHost, type WorkerHost } from './jobs/worker-host';
import { ownerOf } from './jobs/owner';
import { defaultDbPath } from './store/database';
import { RunStore } from './store/run-store';

export interface Workbench {
  store: RunStore;
  queue: JobQueue;
  service: ApiService;
  close(): Promise<void>;
}

export function openWorkbench(options: { dbPath?: string; host?: WorkerHost; queue?: JobQueueOptions } = {}): Workbench {
  const store = RunStore.open(options.dbPath ?? defaultDbPath());
  // Runs left queued or running by a process that is gone died with it. Runs of a live workbench on this
  // machine (the app while the CLI runs) are theirs and are left alone.
  const orphans = store.runs
    .list({ limit: 10_000 })
    .filter((r) => (r.status === 'running' || r.status === 'queued') && ownerOf(r).kind === 'gone');
  for (const r of orphans) {
    store.runs.finish(r.id, 'crashed', { error: 'the workbench process that ran it ended', exitInfo: r.exitInfo ?? 'owner process gone' });
  }
  const queue = new JobQueue(store, options.host ?? new NodeWorkerHost(), options.queue);
  const service = new ApiService(store, queue);
  return {
    store,
    queue,
    service,
    async close() {
      await queue.close();
      store.close();
    },
  };
}
