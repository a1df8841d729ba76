/**
 * What crosses Redis between the workbench (the one writer) and cluster agents, and where it lives.
 *
 *   main ──BullMQ job (queue "run-<kind>", job id = run id)──▶ agent ──▶ worker process (src-worker/entry)
 *   main ◀──stream der:events:<run id> (XADD by the agent, XREADGROUP + XACK by main)── agent
 *   main ──key der:cancel:<run id> + PUBLISH der:cancel──▶ agent
 *
 * Every stream entry carries `n`, the agent's sequence number within the run: main stores an event and its `n`
 * in one transaction, and acknowledges the entry only after that commit.
 */
import { z } from 'zod';
import { ArtifactInput, WorkerToMain } from '../../src-worker/shared/protocol';

export const CLUSTER_PROTOCOL = 1;
export const KEY_PREFIX = 'der';
export const CONSUMER_GROUP = 'main';
export const CANCEL_CHANNEL = `${KEY_PREFIX}:cancel`;

export const queueName = (kind: string): string => `run-${kind}`;
export const eventStreamKey = (runId: string): string => `${KEY_PREFIX}:events:${runId}`;
export const cancelKey = (runId: string): string => `${KEY_PREFIX}:cancel:${runId}`;

/** Artifacts travel in chunks of this size; larger than MAX_ARTIFACT_BYTES is refused by both ends. */
export const ARTIFACT_CHUNK_BYTES = 512 * 1024;
export const MAX_ARTIFACT_BYTES = 512 * 1024 * 1024;

export const JobPayload = z.object({
  protocol: z.literal(CLUSTER_PROTOCOL),
  runId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  kind: z.string().min(1).max(100),
  config: z.unknown(),
  seed: z.number().int(),
  inputs: z.array(ArtifactInput).default([]),
});
export type JobPayload = z.infer<typeof JobPayload>;

export const AgentInfo = z.object({
  agentId: z.string(),
  label: z.string(),
  hostname: z.string(),
  pid: z.number().int(),
  cpu: z.string(),
  cores: z.number().int(),
  platform: z.string(),
  node: z.string(),
  concurrency: z.number().int(),
});
export type AgentInfo = z.infer<typeof AgentInfo>;

export const Terminal = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('done'), summary: z.record(z.string(), z.unknown()) }),
  z.object({ kind: z.literal('error'), message: z.string() }),
]);
export type Terminal = z.infer<typeof Terminal>;

/** Events of the agent itself; the worker's own events (WorkerToMain, except `ready` and `artifact`) pass as they are. */
export const AgentEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('started'), agent: AgentInfo, workerPid: z.number().int().nullable() }),
  z.object({ type: z.literal('chunk'), name: z.string().min(1).max(200), index: z.number().int().nonnegative(), base64: z.string() }),
  z.object({
    type: z.literal('artifact-end'),
    name: z.string().min(1).max(200),
    mime: z.string().min(1),
    meta: z.record(z.string(), z.unknown()),
    bytes: z.number().int().nonnegative().max(MAX_ARTIFACT_BYTES),
    chunks: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  z.object({
    type: z.literal('exit'),
    code: z.number().int().nullable(),
    signal: z.string().nullable(),
    terminal: Terminal.nullable(),
    cancelled: z.boolean(),
  }),
]);
export type AgentEvent = z.infer<typeof AgentEvent>;

type ForwardedWorkerEvent = Exclude<WorkerToMain, { type: 'ready' | 'artifact' }>;
export type StreamEvent = AgentEvent | ForwardedWorkerEvent;
const StreamEventSchema = z.union([AgentEvent, WorkerToMain]).refine((e) => e.type !== 'ready' && e.type !== 'artifact', {
  message: 'ready and whole artifacts do not travel through the stream',
});

/** One stream entry: field `e` holds the event as JSON, `n` its sequence number within the run. */
export interface StreamEntry {
  n: number;
  e: StreamEvent;
}
const StreamEntrySchema = z.object({ n: z.number().int().nonnegative(), e: StreamEventSchema });

export function encodeEntry(n: number, e: StreamEvent): string[] {
  return ['n', String(n), 'e', JSON.stringify(e)];
}

export function decodeEntry(fields: string[]): { ok: true; entry: StreamEntry } | { ok: false; error: string } {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]] = fields[i + 1];
  let e: unknown;
  try {
    e = JSON.parse(f.e ?? '');
  } catch {
    return { ok: false, error: 'event is not JSON' };
  }
  const r = StreamEntrySchema.safeParse({ n: Number(f.n), e });
  return r.success ? { ok: true, entry: r.data as StreamEntry } : { ok: false, error: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ').slice(0, 500) };
}

/** The URL without its password, for logs and the run's host record. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'redis://(unparsable url)';
  }
}

/**
 * The URL without its password (user name, host, port, database and TLS kept): what a run records as the Redis
 * it was queued on, so a later process can reach its agent with the password it is given then.
 */
export function redisAddress(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return 'redis://(unparsable url)';
  }
}

/** True when both URLs name the same Redis (scheme, host, port, database), whatever their credentials. */
export function sameRedis(a: string, b: string): boolean {
  return redisAddress(a).replace(/\/\/[^@/]*@/, '//') === redisAddress(b).replace(/\/\/[^@/]*@/, '//');
}

/**
 * The URL to reach the Redis a run recorded (`recorded`, no password) with the credentials of `given`
 * (--redis or DER_REDIS now). Given for another address, only its credentials are used.
 */
export function withCredentials(recorded: string, given: string | undefined): string {
  if (!given) return redisAddress(recorded);
  const target = new URL(redisAddress(recorded));
  const from = new URL(given);
  target.username = from.username;
  target.password = from.password;
  return target.toString().replace(/\/$/, '');
}

export function checkRedisUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`not a Redis URL: ${redactRedisUrl(url)} (expected redis://[:password@]host:port or rediss:// for TLS)`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error(`not a Redis URL: ${u.protocol} (expected redis:// or rediss://)`);
}
