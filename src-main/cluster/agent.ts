/**
 * A cluster agent (`der agent`): takes run jobs from BullMQ queues, one queue per experiment kind it serves, and
 * runs each in a worker process exactly as the local job queue does (same WorkerHost, entry and protocol). Every
 * worker event goes to the run's Redis stream; the worker gets its ack once the entry is in Redis.
 *
 * Faults are BullMQ's: the agent holds a job lock it renews while it works; killed, its locks expire and a
 * stalled check (any agent's, or main's) moves the job to failed (maxStalledCount 0: never silently re-run),
 * and main ends the run as crashed. SIGTERM drains: running jobs finish, no new one is taken.
 */
import { randomBytes } from 'node:crypto';
import { cpus, hostname, platform, release } from 'node:os';
import type { Job, Worker } from 'bullmq';
import { lazyPackage } from '../lazy-package';
import type { Redis } from 'ioredis';
import { WorkerToMain } from '../../src-worker/shared/protocol';
import { experiments, findExperiment } from '../../src-worker/experiments/registry';
import type { WorkerHandle, WorkerHost } from '../jobs/worker-host';
import { runsAloneOnAgent, Slots } from './agent-slots';
import { sha256, splitChunks } from './artifact-chunks';
import { connectRedis } from './connection';
import {
  CANCEL_CHANNEL,
  JobPayload,
  KEY_PREFIX,
  cancelKey,
  encodeEntry,
  eventStreamKey,
  queueName,
  redactRedisUrl,
  type AgentInfo,
  type StreamEvent,
  type Terminal,
} from './protocol';

export interface AgentOptions {
  redisUrl: string;
  host: WorkerHost;
  concurrency?: number;
  label?: string;
  /** Kinds this agent runs; default every registered kind that runs in a worker. */
  kinds?: string[];
  /** BullMQ job lock: an agent silent this long (killed, cut off) has its job declared stalled. */
  lockMs?: number;
  /** Give up and exit after this long without a Redis connection. */
  giveUpMs?: number;
  cancelGraceMs?: number;
  log?: (line: string) => void;
}

const bullmq = lazyPackage<typeof import('bullmq')>('bullmq');

/** Runnable kinds: registered, and run by a worker (sweeps are coordinated by main). */
export function agentKinds(requested?: string[]): string[] {
  const runnable = experiments.filter((e) => !e.runsInMain).map((e) => e.kind);
  if (!requested || requested.length === 0) return runnable;
  const unknown = requested.filter((k) => !runnable.includes(k));
  if (unknown.length > 0) throw new Error(`unknown or not runnable kind(s) ${unknown.join(', ')} (runnable: ${runnable.join(', ')})`);
  return requested;
}

interface ActiveJob {
  runId: string;
  worker: WorkerHandle | null;
  cancelled: boolean;
  killTimer: NodeJS.Timeout | null;
}

export class Agent {
  readonly info: AgentInfo;
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly workers: Worker[] = [];
  private readonly active = new Map<string, ActiveJob>();
  private readonly slots: Slots;
  private readonly kinds: string[];
  private readonly log: (line: string) => void;
  private draining: Promise<void> | null = null;
  private resolveEnded!: (code: number) => void;
  /** Resolves with the exit code once the agent has stopped (drained, or lost Redis). */
  readonly ended = new Promise<number>((r) => (this.resolveEnded = r));

  constructor(private readonly options: AgentOptions) {
    this.kinds = agentKinds(options.kinds);
    const concurrency = Math.max(1, options.concurrency ?? 1);
    this.slots = new Slots(concurrency);
    this.log = options.log ?? ((line) => console.error(line));
    this.info = {
      agentId: `${hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`,
      label: options.label ?? hostname(),
      hostname: hostname(),
      pid: process.pid,
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      platform: `${platform()} ${release()}`,
      node: process.version,
      concurrency,
    };
    const giveUpMs = options.giveUpMs ?? 30_000;
    this.redis = connectRedis(options.redisUrl, { giveUpMs });
    this.subscriber = connectRedis(options.redisUrl, { giveUpMs });
    for (const conn of [this.redis, this.subscriber]) {
      conn.on('end', () => {
        if (!this.draining) this.lostConnection();
      });
    }
    let connectedBefore = false;
    this.redis.on('ready', () => {
      if (connectedBefore) this.log(`der agent ${this.info.label}: connected to Redis again`);
      connectedBefore = true;
      this.logged.clear();
    });
  }

  async start(): Promise<void> {
    await this.redis.ping();
    await this.subscriber.subscribe(CANCEL_CHANNEL);
    this.subscriber.on('message', (_channel: string, runId: string) => this.cancel(runId));
    const lockMs = this.options.lockMs ?? 30_000;
    for (const kind of this.kinds) {
      const w: Worker<unknown> = new (bullmq().Worker)<unknown>(queueName(kind), (job) => this.process(kind, job), {
        connection: this.redis,
        prefix: KEY_PREFIX,
        concurrency: this.info.concurrency,
        name: this.info.label,
        lockDuration: lockMs,
        stalledInterval: lockMs,
        maxStalledCount: 0,
      });
      w.on('error', (err) => this.logOnce(`der agent: ${kind} queue: ${err.message}`));
      this.workers.push(w);
    }
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
    this.log(`der agent ${this.info.label} (${this.info.agentId}) on ${redactRedisUrl(this.options.redisUrl)}: kinds ${this.kinds.join(', ')}, concurrency ${this.info.concurrency}`);
  }

  /** Lines said since the connection was last ready: a reconnecting client repeats its error every retry. */
  private readonly logged = new Set<string>();

  private logOnce(line: string): void {
    if (!this.logged.has(line)) this.log(line);
    this.logged.add(line);
  }

  /** Finishes the running jobs, takes no new one, then disconnects. */
  drain(): Promise<void> {
    this.draining ??= (async () => {
      this.log(`der agent ${this.info.label}: draining (${this.active.size} running)`);
      await Promise.all(this.workers.map((w) => w.close()));
      await Promise.allSettled([this.subscriber.quit(), this.redis.quit()]);
      this.resolveEnded(0);
    })();
    return this.draining;
  }

  private lostConnection(): void {
    this.draining = Promise.resolve();
    this.log(`der agent ${this.info.label}: lost the connection to Redis and gave up reconnecting; stopping ${this.active.size} run(s)`);
    for (const a of this.active.values()) a.worker?.kill();
    void Promise.allSettled(this.workers.map((w) => w.close(true))).finally(() => this.resolveEnded(3));
  }

  private cancel(runId: string): void {
    const a = this.active.get(runId);
    if (!a || a.cancelled) return;
    a.cancelled = true;
    if (a.worker) this.cancelWorker(a);
  }

  /** One job: validate, run in a worker, stream its events; returns when the exit event is in Redis. */
  private async process(kind: string, job: Job<unknown>): Promise<void> {
    const runId = job.id ?? '';
    const key = eventStreamKey(runId);
    let n = 0;
    const xadd = (e: StreamEvent): Promise<unknown> => this.redis.xadd(key, '*', ...encodeEntry(n++, e));
    const refuse = (message: string): Promise<unknown> =>
      xadd({ type: 'exit', code: null, signal: null, terminal: { kind: 'error', message }, cancelled: false });

    const parsed = JobPayload.safeParse(job.data);
    if (!parsed.success) return void (await refuse(`agent ${this.info.label} refused the job: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`));
    const payload = parsed.data;
    const def = findExperiment(payload.kind);
    if (payload.runId !== runId || payload.kind !== kind || !def || def.runsInMain) return void (await refuse(`agent ${this.info.label} refused the job: kind "${payload.kind}" is not runnable from queue ${queueName(kind)}`));
    const config = def.configSchema.safeParse(payload.config);
    if (!config.success) return void (await refuse(`invalid config: ${config.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ')}`));

    const a: ActiveJob = { runId, worker: null, cancelled: false, killTimer: null };
    this.active.set(runId, a);
    const alone = runsAloneOnAgent(def);
    await this.slots.acquire(alone);
    try {
      if (a.cancelled || (await this.redis.exists(cancelKey(runId)))) {
        await xadd({ type: 'exit', code: null, signal: null, terminal: { kind: 'error', message: 'cancelled before it started' }, cancelled: true });
        return;
      }
      await this.runWorker(payload, config.data, a, xadd);
    } finally {
      this.slots.release(alone);
      if (a.killTimer) clearTimeout(a.killTimer);
      this.active.delete(runId);
    }
  }

  private runWorker(payload: JobPayload, config: unknown, a: ActiveJob, xadd: (e: StreamEvent) => Promise<unknown>): Promise<void> {
    const worker = this.options.host.spawn();
    a.worker = worker;
    let terminal: Terminal | null = null;
    // Entries of one run go out in order: each XADD waits for the previous one.
    let chain: Promise<unknown> = xadd({ type: 'started', agent: this.info, workerPid: worker.pid ?? null });
    const forward = (f: () => Promise<unknown>): void => {
      chain = chain.then(f).catch((err: Error) => this.log(`der agent: run ${payload.runId}: could not write to Redis: ${err.message}`));
    };
    worker.onOutput((stream, line) => forward(() => xadd({ type: 'log', seq: -1, level: stream === 'stderr' ? 'warn' : 'info', text: line })));
    worker.onMessage((raw) => {
      const m = WorkerToMain.safeParse(raw);
      if (!m.success) return forward(() => xadd({ type: 'log', seq: -1, level: 'warn', text: `agent dropped a malformed worker message: ${m.error.message.slice(0, 500)}` }));
      const e = m.data;
      if (e.type === 'ready') {
        worker.send({ type: 'start', runId: payload.runId, kind: payload.kind, config, seed: payload.seed, inputs: payload.inputs });
        if (a.cancelled) this.cancelWorker(a);
        return;
      }
      if (e.type === 'done') terminal = { kind: 'done', summary: e.summary };
      if (e.type === 'error') terminal = { kind: 'error', message: e.message };
      forward(async () => {
        if (e.type === 'artifact') await this.sendArtifact(e, xadd);
        else await xadd(e);
        worker.send({ type: 'ack', seq: e.seq });
      });
    });
    return new Promise<void>((resolve) => {
      worker.onExit((exit) => {
        forward(() => xadd({ type: 'exit', code: exit.code, signal: exit.signal, terminal, cancelled: a.cancelled }));
        void chain.then(() => resolve());
      });
    });
  }

  private cancelWorker(a: ActiveJob): void {
    a.worker?.send({ type: 'cancel' });
    a.killTimer ??= setTimeout(() => a.worker?.kill(), this.options.cancelGraceMs ?? 3000);
  }

  private async sendArtifact(e: Extract<WorkerToMain, { type: 'artifact' }>, xadd: (e: StreamEvent) => Promise<unknown>): Promise<void> {
    const bytes = Buffer.from(e.base64, 'base64');
    let chunks: Uint8Array[];
    try {
      chunks = splitChunks(bytes);
    } catch (err) {
      await xadd({ type: 'log', seq: e.seq, level: 'error', text: `artifact ${e.name} not sent: ${(err as Error).message}` });
      return;
    }
    for (let i = 0; i < chunks.length; i++) await xadd({ type: 'chunk', name: e.name, index: i, base64: Buffer.from(chunks[i]).toString('base64') });
    await xadd({ type: 'artifact-end', name: e.name, mime: e.mime, meta: e.meta, bytes: bytes.byteLength, chunks: chunks.length, sha256: sha256(bytes) });
  }
}
