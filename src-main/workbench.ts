/** Wires the main-process services together: store → queue → service. Every front end starts here. */
import { ApiService, newRunId } from './api/service';
import { adoptable } from './cluster/remote-runs';
import { RemoteRunner } from './cluster/remote-runner';
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

export interface WorkbenchOptions {
  dbPath?: string;
  host?: WorkerHost;
  queue?: JobQueueOptions;
  /** Run on cluster agents through BullMQ on this Redis (redis:// or rediss://) instead of local workers. */
  redis?: string;
}

export function openWorkbench(options: WorkbenchOptions = {}): Workbench {
  const store = RunStore.open(options.dbPath ?? defaultDbPath());
  // Runs left queued or running by a process that is gone died with it. Runs of a live workbench on this
  // machine (the app while the CLI runs) are theirs and are left alone.
  const orphans = store.runs
    .list({ limit: 10_000 })
    .filter((r) => (r.status === 'running' || r.status === 'queued') && ownerOf(r).kind === 'gone');
  // With the same Redis, runs on cluster agents are not orphans: their events wait in Redis for this process.
  const adopted = options.redis ? adoptable(store, orphans) : new Set<string>();
  for (const r of orphans.filter((o) => !adopted.has(o.id))) {
    store.runs.finish(r.id, 'crashed', { error: 'the workbench process that ran it ended', exitInfo: r.exitInfo ?? 'owner process gone' });
  }
  const queue = new JobQueue(store, options.host ?? new NodeWorkerHost(), options.queue);
  if (options.redis) {
    const remote = new RemoteRunner(store, (e) => queue.publish(e), { redisUrl: options.redis, newId: newRunId });
    remote.adopt(orphans.filter((o) => adopted.has(o.id)));
    queue.useRemote(remote);
  }
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
