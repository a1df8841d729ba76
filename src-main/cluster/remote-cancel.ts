/**
 * `der cancel` of a run on cluster agents whose workbench is gone: the run records the Redis it was queued on
 * (without the password), so the cancelling process opens the workbench with that Redis, takes the run over
 * (storing what its agent sent meanwhile) and asks the agent to stop. The password comes from --redis or
 * DER_REDIS now. A Redis that cannot be reached is said before anything is opened, and nothing changes.
 */
import type { Run } from '../api/contract';
import { ownerOf } from '../jobs/owner';
import type { RunStore } from '../store/run-store';
import { pingRedis } from './connection';
import { redactRedisUrl, redisAddress, sameRedis, withCredentials } from './protocol';
import { remoteRedisOf } from './remote-runs';

export interface RemoteCancelTarget {
  /** The URL to open the workbench with (credentials included, never printed). */
  url: string;
  /** Where the run was queued, for messages. */
  recorded: string;
  /** Set when `given` named another Redis than the run's: only its credentials were used. */
  note: string | null;
}

/** The Redis to cancel `run` through, or null when its own workbench (alive) or the local queue handles it. */
export function remoteCancelTarget(store: RunStore, run: Run, given: string | undefined): RemoteCancelTarget | null {
  if (run.status !== 'queued' && run.status !== 'running') return null;
  if (ownerOf(run).kind !== 'gone') return null;
  const recorded = remoteRedisOf(store, run);
  if (!recorded) return null;
  const note = given && !sameRedis(given, recorded) ? `run ${run.id} was queued on ${redisAddress(recorded)}; only the credentials of ${redactRedisUrl(given)} are used` : null;
  return { url: withCredentials(recorded, given), recorded: redisAddress(recorded), note };
}

export class RedisUnreachableError extends Error {}

/** Resolves when Redis answers PING (authenticated) within `timeoutMs`; otherwise throws a message that says what to do. */
export async function reachRedis(target: RemoteCancelTarget, runId: string, timeoutMs = 5000): Promise<void> {
  try {
    await pingRedis(target.url, timeoutMs);
  } catch (err) {
    const why = (err as Error).message;
    const hint = /NOAUTH|WRONGPASS|invalid username-password/i.test(why)
      ? 'give its password with --redis redis://:PASSWORD@HOST:PORT or DER_REDIS'
      : 'start it again (or the SSH tunnel to it) and repeat der cancel, or give up on the agent with der cancel --forget';
    throw new RedisUnreachableError(
      `cannot reach Redis at ${target.recorded}, where run ${runId} was queued: ${why}. Nothing was changed: the run stays as it is and its agent keeps going; ${hint}.`,
    );
  }
}
