/**
 * ioredis connections for agents and main. The URL passes through unchanged, so a password
 * (redis://:secret@host:6379) and TLS (rediss://) work as ioredis documents them. Reconnection is bounded: after
 * `giveUpMs` without a connection the client ends and its owner decides (an agent exits).
 */
import type { Redis } from 'ioredis';
import { lazyPackage } from '../lazy-package';
import { checkRedisUrl } from './protocol';

export interface ConnectOptions {
  /** Stop reconnecting after this long without a connection. */
  giveUpMs?: number;
  /** BullMQ's blocking connections need `null` (commands wait for the reconnect instead of failing). */
  maxRetriesPerRequest?: number | null;
}

const ioredis = lazyPackage<typeof import('ioredis')>('ioredis');

export function connectRedis(url: string, options: ConnectOptions = {}): Redis {
  checkRedisUrl(url);
  const giveUpMs = options.giveUpMs ?? 30_000;
  let firstFailure: number | null = null;
  const redis = new (ioredis().Redis)(url, {
    maxRetriesPerRequest: options.maxRetriesPerRequest === undefined ? null : options.maxRetriesPerRequest,
    enableReadyCheck: true,
    retryStrategy: (times) => {
      firstFailure ??= Date.now();
      if (Date.now() - firstFailure > giveUpMs) return null;
      return Math.min(100 * times, 2000);
    },
  });
  redis.on('ready', () => (firstFailure = null));
  // Connection errors surface through 'end' and failed commands; an unhandled 'error' event would crash Node.
  redis.on('error', () => undefined);
  return redis;
}

/** Resolves when Redis answers PING (authenticated) within `timeoutMs`; otherwise rejects with the reason. */
export async function pingRedis(url: string, timeoutMs = 5000): Promise<void> {
  const redis = connectRedis(url, { giveUpMs: timeoutMs, maxRetriesPerRequest: 1 });
  // A refused connection fails the PING only with "max retries"; the connection's own error says why.
  let lastError: string | null = null;
  redis.on('error', (err: Error) => (lastError = err.message));
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([redis.ping(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs)))]);
  } catch (err) {
    throw new Error(/max retries|Connection is closed/i.test((err as Error).message) && lastError ? lastError : (err as Error).message);
  } finally {
    clearTimeout(timer);
    redis.disconnect();
  }
}
