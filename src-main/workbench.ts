/** Wires the main-process services together: store → queue → service. Every front end starts here. */
import { ApiService, newRunId } from './api/service';
import { ApiError } from './api/contract';
import { checkRedisUrl } from './cluster/protocol';
import { adoptable } from './cluster/remote-runs';
import { RemoteRunner } from './cluster/remote-runner';
import { ClusterControl, clusterSettingPath, readClusterSetting } from './cluster/cluster-setting';
import { ConcurrencyError, resolveConcurrency } from './jobs/concurrency';
import { JobQueue, type JobQueueOptions } from './jobs/job-queue';
import { NodeWorkerHost, type WorkerHost } from './jobs/worker-host';
import { ownerOf } from './jobs/owner';
import { defaultDbPath } from './store/database';
import { RunStore } from './store/run-store';
import type { Run } from './api/contract';

export interface Workbench {
  store: RunStore;
  /** Why the database is open read-only (it could not be written at start-up), or null. */
  readOnly: string | null;
  queue: JobQueue;
  service: ApiService;
  close(): Promise<void>;
}

export interface WorkbenchOptions {
  dbPath?: string;
  host?: WorkerHost;
  queue?: JobQueueOptions;
  /** Run on cluster agents through BullMQ on this Redis (redis:// or rediss://) instead of local workers; default DER_REDIS. */
  redis?: string;
  /** Without --redis or DER_REDIS, use the cluster setting saved in the app (the app and serve do). */
  clusterSetting?: boolean;
  /** Local runs at once (`--concurrency N`); default DER_CONCURRENCY, else the core count. Overridden by queue.maxConcurrent. */
  concurrency?: string | number;
}

/** A write the disk or the file refused (full, I/O error, read-only), as opposed to a database we refuse. */
function isWriteFailure(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|PROTOCOL)/.test(code);
}

/**
 * Opens the store and ends the runs whose process is gone. When that cannot be written (a full disk, a
 * read-only file), the store is opened read-only instead, and says so: runs stay listable and viewable, and a
 * user can free space without first being locked out of their results.
 */
function openStore(path: string, redis: string | undefined): { store: RunStore; readOnly: string | null; orphans: Run[]; adopted: Set<string> } {
  let store: RunStore | null = null;
  try {
    store = RunStore.open(path);
    // Runs left queued or running by a process that is gone died with it. Runs of a live workbench on this
    // machine (the app while the CLI runs) are theirs and are left alone.
    const orphans = store.runs
      .list({ limit: 10_000 })
      .filter((r) => (r.status === 'running' || r.status === 'queued') && ownerOf(r).kind === 'gone');
    // Runs on cluster agents are not orphans: their agents keep working and their events wait in Redis, for a
    // workbench opened with that Redis (this one, if so) or `der cancel`.
    const onAgents = adoptable(store, orphans);
    const adopted = redis ? adoptable(store, orphans, redis) : new Set<string>();
    const s = store;
    s.transaction(() => {
      for (const r of orphans.filter((o) => !onAgents.has(o.id))) {
        s.runs.finish(r.id, 'crashed', { error: 'the workbench process that ran it ended', exitInfo: r.exitInfo ?? 'owner process gone' });
      }
    });
    return { store, readOnly: null, orphans, adopted };
  } catch (err) {
    if (!isWriteFailure(err)) {
      store?.close();
      throw err;
    }
    store?.close();
    const readOnly = `the database cannot be written (${(err as Error).message}); it is open read-only: runs can be listed and viewed, not started`;
    console.error(`der: ${readOnly}`);
    return { store: RunStore.open(path, { readonly: true }), readOnly, orphans: [], adopted: new Set() };
  }
}

export function openWorkbench(opts: WorkbenchOptions = {}): Workbench {
  const dbPath = opts.dbPath ?? defaultDbPath();
  const settingPath = clusterSettingPath(dbPath);
  const fromEnv = process.env.DER_REDIS || undefined;
  const saved = opts.clusterSetting && opts.redis === undefined && !fromEnv ? (readClusterSetting(settingPath) ?? undefined) : undefined;
  const options = { ...opts, redis: opts.redis ?? fromEnv ?? saved };
  const source = opts.redis ? 'flag' : opts.redis === undefined && fromEnv ? 'env' : saved ? 'setting' : null;
  if (options.redis) {
    try {
      checkRedisUrl(options.redis);
    } catch (err) {
      throw new ApiError('invalid_input', (err as Error).message);
    }
  }
  let maxConcurrent: number;
  try {
    maxConcurrent = options.queue?.maxConcurrent ?? resolveConcurrency(options.concurrency);
  } catch (err) {
    if (err instanceof ConcurrencyError) throw new ApiError('invalid_input', err.message);
    throw err;
  }
  const { store, readOnly, orphans, adopted } = openStore(dbPath, options.redis);
  const queue = new JobQueue(store, options.host ?? new NodeWorkerHost(), { ...options.queue, maxConcurrent });
  if (options.redis) {
    const remote = new RemoteRunner(store, (e) => queue.publish(e), { redisUrl: options.redis, newId: newRunId });
    remote.adopt(orphans.filter((o) => adopted.has(o.id)));
    queue.useRemote(remote);
  }
  const cluster = new ClusterControl({ store, queue, newId: newRunId, active: options.redis || null, source: options.redis ? source : null, settingPath });
  const service = new ApiService(store, queue, cluster);
  return {
    store,
    readOnly,
    queue,
    service,
    async close() {
      await queue.close();
      store.close();
    },
  };
}
