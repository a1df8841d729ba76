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
