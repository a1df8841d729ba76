/**
 * The app's cluster setting: the Redis runs go to, chosen in the app instead of with --redis or DER_REDIS
 * (which win when given). It is saved with its password in cluster.json beside the database, readable by its
 * owner only (mode 0600, as ~/.pgpass); the Api never returns the password.
 *
 * Turning it on while runs go to this machine applies at once: new runs are queued on the agents. Changing or
 * turning off an active Redis applies when the workbench starts again, since runs on agents are being received.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ApiError, type ClusterStatus, type Run } from '../api/contract';
import type { JobQueue } from '../jobs/job-queue';
import { ownerOf } from '../jobs/owner';
import type { RunStore } from '../store/run-store';
import { pingRedis } from './connection';
import { checkRedisUrl, redactRedisUrl, redisAddress, sameRedis } from './protocol';
import { RemoteRunner } from './remote-runner';
import { adoptable } from './remote-runs';

const SavedSetting = z.object({ redis: z.string().nullable() }).strict();

export const clusterSettingPath = (dbPath: string): string => join(dirname(dbPath), 'cluster.json');

/** The saved Redis URL, or null when none is saved; a damaged file is reported and ignored. */
export function readClusterSetting(path: string): string | null {
  if (!existsSync(path)) return null;
  try {
    const saved = SavedSetting.parse(JSON.parse(readFileSync(path, 'utf8')));
    if (saved.redis) checkRedisUrl(saved.redis);
    return saved.redis;
  } catch (err) {
    console.error(`der: ignoring the cluster setting in ${path}: ${(err as Error).message}`);
    return null;
  }
}

function writeClusterSetting(path: string, redis: string | null): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ redis }, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

export interface ClusterControlOptions {
  store: RunStore;
  queue: JobQueue;
  newId: () => string;
  /** The Redis in use from the start, and what chose it. */
  active: string | null;
  source: ClusterStatus['source'];
  /** Where the setting is saved (beside the database). */
  settingPath: string;
}

export class ClusterControl {
  private active: string | null;
  private source: ClusterStatus['source'];

  constructor(private readonly options: ClusterControlOptions) {
    this.active = options.active;
    this.source = options.source;
  }

  status(): ClusterStatus {
    const saved = readClusterSetting(this.options.settingPath);
    const differs = saved === null ? this.active !== null : this.active === null || !sameRedis(saved, this.active);
    return {
      active: this.active === null ? null : redisAddress(this.active),
      source: this.source,
      saved: saved === null ? null : redisAddress(saved),
      // --redis and DER_REDIS win at every start: the setting waits for a start without them.
      pendingRestart: differs && (this.source === null || this.source === 'setting'),
    };
  }

  async set(redis: string | null): Promise<ClusterStatus> {
    const url = redis?.trim() || null;
    if (url !== null) {
      try {
        checkRedisUrl(url);
      } catch (err) {
        throw new ApiError('invalid_input', (err as Error).message, [{ path: 'redis', message: (err as Error).message }]);
      }
      try {
        await pingRedis(url);
      } catch (err) {
        throw new ApiError('unavailable', `cannot reach Redis at ${redactRedisUrl(url)}: ${(err as Error).message}; the setting was not changed`);
      }
    }
    writeClusterSetting(this.options.settingPath, url);
    if (url !== null && this.active === null) this.goRemote(url);
    return this.status();
  }

  /** From now on runs go to agents on `url`; runs on that Redis whose workbench is gone are taken over. */
  private goRemote(url: string): void {
    const { store, queue, newId } = this.options;
    const remote = new RemoteRunner(store, (e) => queue.publish(e), { redisUrl: url, newId });
    const orphans: Run[] = store.runs.list({ limit: 10_000 }).filter((r) => (r.status === 'running' || r.status === 'queued') && ownerOf(r).kind === 'gone');
    const mine = adoptable(store, orphans, url);
    remote.adopt(orphans.filter((o) => mine.has(o.id)));
    queue.useRemote(remote);
    this.active = url;
    this.source = 'setting';
  }
}
