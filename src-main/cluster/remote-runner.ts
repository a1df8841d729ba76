/**
 * The workbench's side of the cluster: runs (and sweep children) go to BullMQ queues instead of local workers,
 * and their events come back through one Redis stream per run, which main reads with a consumer group and
 * records through the same RunRecorder as local runs. The database stays single-writer.
 *
 * No acknowledged event is lost: an entry is XACKed only after the transaction that stores it (and the run's
 * stream cursor) has committed. A main process that stops in between reads its pending entries again when it
 * restarts (XREADGROUP from id 0) and skips those whose sequence number the cursor already holds.
 *
 * A run whose BullMQ job failed without an exit event (its agent died: the job lock expired and a stalled check
 * moved it to failed) is drained of what it sent and ended `crashed`; a sweep with `retries` then queues a new
 * run linked to it (runs.retry_of), with exponential backoff as the job's delay.
 */
import type { Queue, Worker } from 'bullmq';
import { lazyPackage } from '../lazy-package';
import type { Redis } from 'ioredis';
import type { ApiEvent, JsonObject, Run } from '../api/contract';
import { findExperiment } from '../../src-worker/experiments/registry';
import { RunRecorder } from '../jobs/recorder';
import { resolveRunInputs } from '../jobs/run-inputs';
import type { RunStore } from '../store/run-store';
import { agentKinds } from './agent';
import { ChunkAssembly } from './artifact-chunks';
import { connectRedis } from './connection';
import {
  CANCEL_CHANNEL,
  CLUSTER_PROTOCOL,
  CONSUMER_GROUP,
  KEY_PREFIX,
  cancelKey,
  decodeEntry,
  eventStreamKey,
  queueName,
  redactRedisUrl,
  redisAddress,
  type JobPayload,
  type StreamEvent,
} from './protocol';
import { RemoteRunTable } from './remote-runs';

const bullmq = lazyPackage<typeof import('bullmq')>('bullmq');
const CONSUMER = 'main';
/** A run is not queued on a Redis that does not answer this fast: it fails with a message instead of waiting. */
const ENQUEUE_TIMEOUT_MS = 20_000;
const ENDED = new Set(['done', 'failed', 'cancelled', 'crashed']);

export interface RemoteRunnerOptions {
  redisUrl: string;
  newId: () => string;
  /** How often main itself checks for stalled jobs (agents check too). */
  stalledCheckMs?: number;
  /** How often job states and cross-process cancel requests are checked. */
  reconcileMs?: number;
  /** First retry delay; doubles with each retry of the same grid point. */
  retryBackoffMs?: number;
}

interface Held {
  runId: string;
  kind: string;
  recorder: RunRecorder;
  /** Group created and job added (or adopted): its stream can be read. */
  ready: boolean;
  /** Adopted after a restart: pending entries are read first, from `lastId` on. */
  recovering: boolean;
  lastId: string;
  cancelRequested: boolean;
  assembling: Map<string, { asm: ChunkAssembly; ids: string[] }>;
}

type StreamReply = Array<[string, Array<[string, string[]]>]> | null;

function answersWithin(redis: Redis, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`Redis did not answer within ${ms / 1000} s`)), ms);
    redis.ping().then(
      () => (clearTimeout(t), resolve()),
      (err: Error) => (clearTimeout(t), reject(err)),
    );
  });
}

/** XREADGROUP's reply as [stream, entries] pairs: over RESP3 ioredis's `call` flattens the map into [k1, v1, k2, v2]. */
function streamPairs(raw: unknown): StreamReply {
  if (!Array.isArray(raw) || raw.length === 0) return null;
  if (typeof raw[0] !== 'string') return raw as StreamReply;
  const out: Array<[string, Array<[string, string[]]>]> = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([String(raw[i]), raw[i + 1] as Array<[string, string[]]>]);
  return out;
}

export class RemoteRunner {
  private readonly redis: Redis;
  private readonly reader: Redis;
  private readonly queues = new Map<string, Queue>();
  private readonly checkers: Worker[] = [];
  private readonly held = new Map<string, Held>();
  private readonly table: RemoteRunTable;
  private readonly redacted: string;
  private closed = false;
  private readonly loopDone: Promise<void>;
  private lastReconcile = 0;
  /** Messages said since the connection was last ready: a Redis that is down repeats them on every retry. */
  private readonly noted = new Set<string>();

  constructor(
    private readonly store: RunStore,
    private readonly publish: (e: ApiEvent) => void,
    private readonly options: RemoteRunnerOptions,
  ) {
    this.redacted = redactRedisUrl(options.redisUrl);
    this.redis = connectRedis(options.redisUrl, { giveUpMs: Number.POSITIVE_INFINITY });
    this.reader = connectRedis(options.redisUrl, { giveUpMs: Number.POSITIVE_INFINITY });
    this.redis.on('ready', () => {
      if (this.noted.size > 0) console.error(`der (cluster ${this.redacted}): connected again`);
      this.noted.clear();
    });
    this.table = new RemoteRunTable(store);
    for (const kind of agentKinds()) {
      // A worker that never fetches: it only runs BullMQ's stalled check, so a job whose agent died is failed
      // even when no other agent serves its queue.
      const checker = new (bullmq().Worker)(queueName(kind), null, {
        connection: this.redis,
        prefix: KEY_PREFIX,
        autorun: false,
        stalledInterval: options.stalledCheckMs ?? 5000,
        maxStalledCount: 0,
      });
      checker.on('error', (err) => this.note(`stalled check: ${err.message}`));
      void checker.startStalledCheckTimer().catch((err: Error) => this.note(`stalled check: ${err.message}`));
      this.checkers.push(checker);
    }
    this.loopDone = this.loop();
  }

  holds(runId: string): boolean {
    return this.held.has(runId);
  }

  /** Takes over runs left by a workbench process that is gone (their agents kept working). */
  adopt(runs: readonly Run[]): void {
    for (const run of runs) {
      this.table.setHost(run.id, { ...(run.host ?? {}), mainPid: process.pid });
      if (run.kind === 'sweep') continue;
      this.held.set(run.id, this.newHeld(run, { ready: true, recovering: true }));
      void this.ensureGroup(run.id).catch((err: Error) => this.note(`run ${run.id}: ${err.message}`));
    }
  }

  enqueue(runId: string, delayMs = 0): void {
    const run = this.store.runs.get(runId);
    if (!run) return;
    const def = findExperiment(run.kind);
    if (!def || def.runsInMain) {
      this.end(run.id, 'failed', { error: `kind "${run.kind}" cannot run on a cluster agent` });
      return;
    }
    const h = this.newHeld(run, { ready: false, recovering: false });
    this.held.set(run.id, h);
    this.table.setHost(run.id, { ...(run.host ?? {}), remote: { redis: redisAddress(this.options.redisUrl), queue: queueName(run.kind) } });
    void (async () => {
      const payload: JobPayload = {
        protocol: CLUSTER_PROTOCOL,
        runId: run.id,
        kind: run.kind,
        config: def.configSchema.parse(run.config),
        seed: run.seed,
        inputs: resolveRunInputs(this.store, run),
      };
      await answersWithin(this.redis, ENQUEUE_TIMEOUT_MS);
      await this.ensureGroup(run.id);
      await this.queue(run.kind).add('run', payload, {
        jobId: run.id,
        attempts: 1,
        delay: delayMs,
        removeOnComplete: true,
        removeOnFail: { age: 24 * 3600 },
      });
      h.ready = true;
    })().catch((err: Error) => {
      this.held.delete(run.id);
      this.end(run.id, 'failed', { error: `could not queue the run on ${this.redacted}: ${err.message}` });
    });
  }

  /** Removes a job that has not started; otherwise asks its agent to cancel. False when this runner lacks the run. */
  cancel(runId: string): boolean {
    const h = this.held.get(runId);
    if (!h) return false;
    if (h.cancelRequested) return true;
    h.cancelRequested = true;
    void (async () => {
      const job = await this.queue(h.kind).getJob(runId);
      const state = job ? await job.getState() : 'unknown';
      if (job && (state === 'waiting' || state === 'delayed' || state === 'prioritized')) {
        try {
          await job.remove();
          this.held.delete(runId);
          this.end(runId, 'cancelled', { error: 'cancelled before it started' });
          await this.redis.del(eventStreamKey(runId));
          return;
        } catch {
          // Taken by an agent meanwhile: cancel it there.
        }
      }
      await this.redis.set(cancelKey(runId), '1', 'EX', 24 * 3600);
      await this.redis.publish(CANCEL_CHANNEL, runId);
    })().catch((err: Error) => this.note(`cancel ${runId}: ${err.message}`));
    return true;
  }

  /** Stops reading; bounded, since a Redis that is down would keep a polite close waiting for its reconnect. */
  async close(): Promise<void> {
    this.closed = true;
    const within = (p: Promise<unknown>, ms: number): Promise<unknown> => Promise.race([p, new Promise((r) => setTimeout(r, ms).unref())]);
    await within(this.loopDone, 3000);
    await within(Promise.allSettled([...this.checkers.map((c) => c.close(true)), ...[...this.queues.values()].map((q) => q.close())]), 3000);
    this.reader.disconnect();
    if (this.redis.status === 'ready') await within(this.redis.quit().catch(() => undefined), 2000);
    this.redis.disconnect();
  }

  private newHeld(run: Run, s: { ready: boolean; recovering: boolean }): Held {
    return { runId: run.id, kind: run.kind, recorder: new RunRecorder(this.store, run.id), ...s, lastId: '0', cancelRequested: false, assembling: new Map() };
  }

  private queue(kind: string): Queue {
    let q = this.queues.get(kind);
    if (!q) {
      q = new (bullmq().Queue)(queueName(kind), { connection: this.redis, prefix: KEY_PREFIX });
      q.on('error', (err) => this.note(`queue ${kind}: ${err.message}`));
      this.queues.set(kind, q);
    }
    return q;
  }

  private async ensureGroup(runId: string): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', eventStreamKey(runId), CONSUMER_GROUP, '0', 'MKSTREAM');
    } catch (err) {
      if (!/BUSYGROUP/.test((err as Error).message)) throw err;
    }
  }


  private note(message: string): void {
    if (this.noted.has(message)) return;
    this.noted.add(message);
    console.error(`der (cluster ${this.redacted}): ${message}`);
  }

  private async loop(): Promise<void> {
    while (!this.closed) {
      try {
        for (const h of [...this.held.values()]) if (h.recovering) await this.recover(h);
        const readable = [...this.held.values()].filter((h) => h.ready && !h.recovering);
        if (readable.length === 0) await new Promise((r) => setTimeout(r, 100));
        else {
          const keys = readable.map((h) => eventStreamKey(h.runId));
          const reply = streamPairs(await this.reader.call('XREADGROUP', 'GROUP', CONSUMER_GROUP, CONSUMER, 'COUNT', '500', 'BLOCK', '250', 'STREAMS', ...keys, ...keys.map(() => '>')));
          await this.consumeReply(reply);
        }
        if (Date.now() - this.lastReconcile >= (this.options.reconcileMs ?? 1000)) {
          this.lastReconcile = Date.now();
          await this.reconcile();
        }
      } catch (err) {
        if (this.closed) break;
        // Redis unreachable or restarting: ioredis reconnects; nothing was acknowledged that is not stored.
        this.note((err as Error).message);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /** Reads the entries delivered to this consumer but never acknowledged (a previous main stopped first). */
  private async recover(h: Held): Promise<void> {
    for (;;) {
      const reply = streamPairs(await this.redis.call('XREADGROUP', 'GROUP', CONSUMER_GROUP, CONSUMER, 'COUNT', '500', 'STREAMS', eventStreamKey(h.runId), h.lastId));
      const entries = reply?.[0]?.[1] ?? [];
      if (entries.length === 0) break;
      h.lastId = entries[entries.length - 1][0];
      await this.consumeReply(reply);
      if (!this.held.has(h.runId)) return;
    }
    h.recovering = false;
  }

  private async consumeReply(reply: StreamReply): Promise<void> {
    for (const [key, entries] of reply ?? []) {
      const runId = key.slice(eventStreamKey('').length);
      const h = this.held.get(runId);
      const ack: string[] = [];
      for (const [id, fields] of entries) {
        if (!h || !this.held.has(runId)) ack.push(id);
        else ack.push(...this.consume(h, id, fields ?? []));
      }
      if (ack.length > 0) await this.redis.xack(key, CONSUMER_GROUP, ...ack);
      if (h && !this.held.has(runId)) await this.redis.del(key, cancelKey(runId));
    }
  }

  /** Stores one entry; returns the stream ids that may now be acknowledged (all committed). */
  private consume(h: Held, id: string, fields: string[]): string[] {
    const decoded = decodeEntry(fields);
    if (!decoded.ok) {
      this.store.logs.append(h.runId, 'warn', `main dropped a malformed cluster event: ${decoded.error}`);
      return [id];
    }
    const { n, e } = decoded.entry;
    if (n <= this.table.cursor(h.runId)) return [...this.takeChunks(h, e), id];
    if (e.type === 'chunk') {
      let a = h.assembling.get(e.name);
      if (!a) h.assembling.set(e.name, (a = { asm: new ChunkAssembly(), ids: [] }));
      a.ids.push(id);
      try {
        a.asm.add(e.index, e.base64);
      } catch (err) {
        this.store.logs.append(h.runId, 'error', `artifact ${e.name}: ${(err as Error).message}`);
      }
      return [];
    }
    const ack = [...(e.type === 'artifact-end' ? (h.assembling.get(e.name)?.ids ?? []) : []), id];
    let after: (() => void) | null = null;
    try {
      this.store.transaction(() => {
        after = this.apply(h, e);
        this.table.setCursor(h.runId, n);
      });
    } catch (err) {
      // The store refused the write (disk full): nothing is acknowledged, the entry stays pending in Redis.
      this.note(`run ${h.runId}: could not store a cluster event: ${(err as Error).message}`);
      return [];
    }
    if (e.type === 'artifact-end') h.assembling.delete(e.name);
    (after as (() => void) | null)?.();
    return ack;
  }

  private takeChunks(h: Held, e: StreamEvent): string[] {
    if (e.type !== 'artifact-end') return [];
    const a = h.assembling.get(e.name);
    h.assembling.delete(e.name);
    return a?.ids ?? [];
  }

  /** The event's writes (inside the caller's transaction); returns what to announce after the commit. */
  private apply(h: Held, e: StreamEvent): (() => void) | null {
    const emitRun = (): void => {
      const run = this.store.runs.get(h.runId);
      if (run) this.publish({ type: 'runChanged', run });
    };
    switch (e.type) {
      case 'started': {
        const run = this.store.runs.get(h.runId);
        if (!run || ENDED.has(run.status)) return null;
        this.store.runs.markRunning(h.runId, { ...(run.host ?? {}), worker: `agent ${e.agent.label}`, agent: { ...e.agent, workerPid: e.workerPid } });
        return emitRun;
      }
      case 'chunk':
        return null;
      case 'artifact-end': {
        const a = h.assembling.get(e.name);
        try {
          if (!a && e.chunks > 0) throw new Error('its chunks never arrived');
          const bytes = a ? a.asm.finish(e) : Buffer.alloc(0);
          this.store.artifacts.put(h.runId, e.name, e.mime, bytes, e.meta as JsonObject);
        } catch (err) {
          this.store.logs.append(h.runId, 'error', `artifact ${e.name} not stored: ${(err as Error).message}`);
        }
        return null;
      }
      case 'exit':
        return this.ended(h, e);
      default: {
        const outcome = h.recorder.record(e);
        if (outcome.kind === 'progress') return () => this.publish({ type: 'runProgress', id: h.runId, fraction: outcome.fraction, message: outcome.message });
        return e.type === 'backend' ? emitRun : null;
      }
    }
  }

  private ended(h: Held, e: Extract<StreamEvent, { type: 'exit' }>): () => void {
    const how = e.signal ? `signal ${e.signal}` : e.code === null ? 'no worker' : `exit code ${e.code}`;
    let retry: string | null = null;
    const run = this.store.runs.get(h.runId);
    if (run && !ENDED.has(run.status)) {
      if (e.terminal?.kind === 'done') this.store.runs.finish(h.runId, 'done', { summary: e.terminal.summary as JsonObject });
      else if (e.cancelled || h.cancelRequested) this.store.runs.finish(h.runId, 'cancelled', { error: e.terminal?.kind === 'error' ? e.terminal.message : 'cancelled', exitInfo: how });
      else if (e.terminal?.kind === 'error') this.store.runs.finish(h.runId, 'failed', { error: e.terminal.message, exitInfo: how });
      else {
        this.store.runs.finish(h.runId, 'crashed', { error: `worker ended without a result (${how})`, exitInfo: how });
        retry = this.createRetry(run);
      }
    }
    this.held.delete(h.runId);
    return () => this.announceEnd(h.runId, retry);
  }

  private announceEnd(runId: string, retry: string | null): void {
    if (retry) this.enqueue(retry, (this.options.retryBackoffMs ?? 500) * 2 ** Math.max(0, this.table.retryDepth(retry) - 1));
    const run = this.store.runs.get(runId);
    if (run) this.publish({ type: 'runChanged', run });
    const r = retry ? this.store.runs.get(retry) : null;
    if (r) this.publish({ type: 'runChanged', run: r });
  }

  /** Ends a run whose job failed or vanished without an exit event: its agent is gone. */
  private crash(h: Held, reason: string): void {
    let retry: string | null = null;
    this.store.transaction(() => {
      const run = this.store.runs.get(h.runId);
      if (!run || ENDED.has(run.status)) return;
      const agent = (run.host?.agent as JsonObject | undefined)?.label;
      if (h.cancelRequested) this.store.runs.finish(h.runId, 'cancelled', { error: 'cancelled', exitInfo: reason });
      else {
        this.store.runs.finish(h.runId, 'crashed', { error: `agent ${agent ?? '(none yet)'} lost the run: ${reason}`, exitInfo: reason });
        retry = this.createRetry(run);
      }
    });
    this.held.delete(h.runId);
    this.announceEnd(h.runId, retry);
  }

  /**
   * A sweep child that crashed gets a new run if the sweep asks for retries: same config and seed, named and
   * linked as a retry, and put in the crashed run's place in the sweep's table. Never a replay into the crashed run.
   */
  private createRetry(run: Run): string | null {
    if (!run.parentId) return null;
    const parent = this.store.runs.get(run.parentId);
    const retries = parent?.kind === 'sweep' ? Number((parent.config as JsonObject).retries ?? 0) : 0;
    const depth = this.table.retryDepth(run.id);
    if (!parent || depth >= retries) return null;
    const id = this.options.newId();
    const base = run.name.replace(/ · retry \d+$/, '');
    this.store.runs.create({ id, kind: run.kind, name: `${base} · retry ${depth + 1}`, config: run.config, seed: run.seed, parentId: parent.id, host: { ...(parent.host ?? {}), mainPid: process.pid } });
    this.table.setRetryOf(id, run.id);
    for (const a of this.store.artifacts.list(parent.id).filter((x) => x.name.startsWith('child-'))) {
      const stored = this.store.artifacts.get(parent.id, a.name);
      if (!stored) continue;
      const row = JSON.parse(stored.bytes.toString('utf8')) as { runId: string; params: JsonObject; retryOf?: string[] };
      if (row.runId !== run.id) continue;
      const next = { ...row, runId: id, retryOf: [...(row.retryOf ?? []), run.id] };
      this.store.artifacts.put(parent.id, a.name, a.mime, new TextEncoder().encode(JSON.stringify(next)), (a.meta ?? {}) as JsonObject);
    }
    this.store.logs.append(run.id, 'warn', `retried as run ${id} (retry ${depth + 1} of ${retries})`);
    return id;
  }

  /** Job states (a failed or vanished job with no exit event means its agent died) and cancels from other processes. */
  private async reconcile(): Promise<void> {
    const ready = [...this.held.values()].filter((h) => h.ready && !h.recovering);
    if (ready.length === 0) return;
    for (const id of this.store.runs.cancelRequested(ready.map((h) => h.runId))) this.cancel(id);
    for (const h of ready) {
      const job = await this.queue(h.kind).getJob(h.runId);
      const state = job ? await job.getState() : 'missing';
      // BullMQ's stalled check does not fail a job itself: it marks it (deferredFailure) and moves it back to
      // wait, where the next worker to fetch it fails it. Main ends the run now rather than waiting for one.
      const stalled = !!job?.deferredFailure && state !== 'active' && state !== 'completed' && state !== 'failed';
      if (!stalled && state !== 'failed' && state !== 'missing' && state !== 'unknown') continue;
      if (stalled) await job!.remove().catch(() => undefined);
      // Whatever the agent sent before it died is stored first, then the run ends.
      for (;;) {
        const reply = streamPairs(await this.redis.call('XREADGROUP', 'GROUP', CONSUMER_GROUP, CONSUMER, 'COUNT', '500', 'STREAMS', eventStreamKey(h.runId), '>'));
        if (!reply?.[0]?.[1]?.length) break;
        await this.consumeReply(reply);
      }
      if (!this.held.has(h.runId)) continue;
      this.crash(h, stalled ? `job stalled: ${job!.deferredFailure}` : job?.failedReason ? `job failed: ${job.failedReason}` : 'job vanished from the queue');
      await this.redis.del(eventStreamKey(h.runId), cancelKey(h.runId));
    }
  }

  private end(runId: string, status: 'failed' | 'cancelled', fields: { error: string }): void {
    this.store.runs.finish(runId, status, fields);
    const run = this.store.runs.get(runId);
    if (run) this.publish({ type: 'runChanged', run });
  }
}
