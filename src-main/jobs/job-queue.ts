/**
 * Runs queued experiment runs in worker processes.
 *
 * Scheduling: at most `maxConcurrent` workers at once (default: one per core, see concurrency.ts); a timing kind runs alone (it starts only when nothing
 * else runs, and nothing starts beside it), so its clock readings are not shared with another job's CPU load.
 * Exclusive phases: a run of a training kind that measures latency asks for the machine (`ctx.exclusive`, slot
 * messages of protocol.ts). Requests are served one at a time in order; before a grant every other local run is
 * asked to pause at its next tick and the grant waits until each has parked (or ended, or is itself waiting
 * for the slot); nothing new starts until the slot is free and nobody waits for it. Training times of the
 * parked runs include the pause; their step-time metrics are read as such.
 * Ending: `done` → done; `error` → failed (cancelled if a cancel was asked); an exit with neither → crashed,
 * with the exit code or signal. Everything received before the end stays in the store.
 * Cancels asked by other processes (`runs.cancel_requested_at`) are polled for the runs this queue holds.
 */
import { EventEmitter } from 'node:events';
import { cpus, hostname, platform, release } from 'node:os';
import type { ApiEvent, Run } from '../api/contract';
import { SlotReport, WorkerToMain } from '../../src-worker/shared/protocol';
import { findExperiment } from '../../src-worker/experiments/registry';
import type { RunStore } from '../store/run-store';
import { resolveConcurrency } from './concurrency';
import { RunRecorder } from './recorder';
import { resolveRunInputs } from './run-inputs';
import type { WorkerHandle, WorkerHost } from './worker-host';

export interface JobQueueOptions {
  /** Non-timing runs at once; default resolveConcurrency() (DER_CONCURRENCY, else the core count). */
  maxConcurrent?: number;
  /** How long a cancelled worker gets to stop by itself before it is killed (also when the queue closes). */
  cancelGraceMs?: number;
  /** How often the store is asked for cancels requested by other processes. */
  cancelPollMs?: number;
}

interface Active {
  runId: string;
  timing: boolean;
  worker: WorkerHandle;
  recorder: RunRecorder;
  cancelRequested: boolean;
  terminal: { kind: 'done'; summary: Record<string, unknown> } | { kind: 'error'; message: string } | null;
  killTimer: NodeJS.Timeout | null;
  finished: Promise<void>;
  /** Its place in the exclusive slot: none, waiting for it, or holding it. */
  slot: 'none' | 'waiting' | 'holding';
  /** Asked to pause for another run's exclusive phase; `parked` once it said it stopped. */
  pauseAsked: boolean;
  parked: boolean;
}

/** At most this long for a worker to stop by itself when the workbench closes. */
const CLOSE_GRACE_MS = 1500;

/**
 * Queues of this process with workers: whatever ends the process (process.exit, an uncaught error) kills them
 * on the way out, since nothing could record what they do afterwards. (SIGKILL of main cannot be caught: the
 * worker watches for its parent itself.)
 */
const openQueues = new Set<JobQueue>();
let exitHookInstalled = false;
function killWorkersOnExit(queue: JobQueue): void {
  openQueues.add(queue);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => openQueues.forEach((q) => q.killAllNow()));
}

export function hostInfo(): Record<string, unknown> {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    node: process.version,
    electron: process.versions.electron ?? null,
    platform: `${platform()} ${release()}`,
    hostname: hostname(),
    mainPid: process.pid,
  };
}

/** Runs executed elsewhere (cluster agents, src-main/cluster): when set, queued runs go there instead of to local workers. */
export interface RemoteRunner {
  enqueue(runId: string): void;
  /** False when the run is not one it holds. */
  cancel(runId: string): boolean;
  holds(runId: string): boolean;
  close(): Promise<void>;
}

export class JobQueue {
  private remote: RemoteRunner | null = null;
  private readonly waiting: string[] = [];
  private readonly active = new Map<string, Active>();
  /** Runs asking for the exclusive slot, first come first served. */
  private readonly slotRequests: string[] = [];
  private readonly events = new EventEmitter();
  readonly maxConcurrent: number;
  private readonly cancelGraceMs: number;
  /** Runs whose end the store refused (full disk, I/O error): how they ended, for waitFor and the front ends. */
  private readonly unrecordedEnds = new Map<string, Run>();
  private closed = false;
  private readonly cancelPoll: NodeJS.Timeout;

  constructor(
    private readonly store: RunStore,
    private readonly host: WorkerHost,
    options: JobQueueOptions = {},
  ) {
    this.maxConcurrent = Math.max(1, options.maxConcurrent ?? resolveConcurrency());
    this.cancelGraceMs = options.cancelGraceMs ?? 3000;
    this.events.setMaxListeners(100);
    this.cancelPoll = setInterval(() => this.pollCancelRequests(), options.cancelPollMs ?? 500);
    this.cancelPoll.unref();
    killWorkersOnExit(this);
  }

  /** Cancels runs of this queue that another process asked to cancel. */
  private pollCancelRequests(): void {
    if (this.closed || (this.waiting.length === 0 && this.active.size === 0)) return;
    try {
      for (const id of this.store.runs.cancelRequested([...this.waiting, ...this.active.keys()])) this.cancel(id);
    } catch {
      // A busy or closing database: the next poll asks again.
    }
  }

  onEvent(listener: (e: ApiEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  /** Sends an event to every subscriber (the service uses it for edits made outside the queue). */
  publish(e: ApiEvent): void {
    this.events.emit('event', e);
  }

  private emitRun(runId: string): void {
    const run = this.store.runs.get(runId);
    if (run) this.publish({ type: 'runChanged', run });
  }

  useRemote(remote: RemoteRunner): void {
    this.remote = remote;
  }

  enqueue(runId: string): void {
    if (this.remote) return this.remote.enqueue(runId);
    this.waiting.push(runId);
    this.pump();
  }

  isActive(runId: string): boolean {
    return this.remote?.holds(runId) || this.active.has(runId) || this.waiting.includes(runId);
  }

  /** Resolves when the run has left the queue (ended in any way). */
  async waitFor(runId: string): Promise<Run> {
    for (;;) {
      const a = this.active.get(runId);
      if (a) await a.finished;
      else if (this.remote?.holds(runId)) await new Promise((r) => setTimeout(r, 100));
      else if (this.waiting.includes(runId)) await new Promise((r) => setTimeout(r, 50));
      else return this.unrecordedEnds.get(runId) ?? this.store.runs.get(runId)!;
    }
  }

  cancel(runId: string): void {
    if (this.remote?.cancel(runId)) return;
    const qi = this.waiting.indexOf(runId);
    if (qi >= 0) {
      this.waiting.splice(qi, 1);
      this.end(runId, 'cancelled', { error: 'cancelled before it started' });
      return;
    }
    const a = this.active.get(runId);
    if (!a || a.cancelRequested) return;
    a.cancelRequested = true;
    a.worker.send({ type: 'cancel' });
    a.killTimer = setTimeout(() => a.worker.kill(), this.cancelGraceMs);
  }

  /** True while some run holds or waits for the exclusive slot (until then nothing new starts). */
  get exclusivePending(): boolean {
    return this.slotRequests.length > 0 || [...this.active.values()].some((a) => a.slot === 'holding');
  }

  private pump(): void {
    if (this.closed || this.exclusivePending) return;
    while (this.waiting.length > 0 && this.active.size < this.maxConcurrent) {
      const runId = this.waiting[0];
      const run = this.store.runs.get(runId);
      if (!run) {
        this.waiting.shift();
        continue;
      }
      const timing = findExperiment(run.kind)?.timing ?? false;
      const timingRunning = [...this.active.values()].some((a) => a.timing);
      if (timingRunning || (timing && this.active.size > 0)) return;
      this.waiting.shift();
      this.start(run);
    }
  }

  private start(run: Run): void {
    const worker = this.host.spawn();
    let resolveFinished!: () => void;
    const a: Active = {
      runId: run.id,
      timing: findExperiment(run.kind)?.timing ?? false,
      worker,
      recorder: new RunRecorder(this.store, run.id),
      cancelRequested: false,
      terminal: null,
      killTimer: null,
      finished: new Promise<void>((r) => (resolveFinished = r)),
      slot: 'none',
      pauseAsked: false,
      parked: false,
    };
    this.active.set(run.id, a);
    try {
      this.store.runs.markRunning(run.id, { ...hostInfo(), worker: this.host.name, pid: worker.pid ?? null });
    } catch (err) {
      // Nothing the worker did could be recorded either: stop it before it starts.
      a.terminal = { kind: 'error', message: `could not record the start of the run: ${(err as Error).message}` };
      worker.kill();
    }
    this.emitRun(run.id);

    worker.onOutput((stream, line) => {
      try {
        this.store.logs.append(run.id, stream, line);
      } catch {
        /* a full disk must not take the queue down; the line is lost, the run is not */
      }
    });
    worker.onMessage((raw) => this.onWorkerMessage(a, run, raw));
    worker.onExit((exit) => {
      if (a.killTimer) clearTimeout(a.killTimer);
      this.active.delete(run.id);
      const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
      if (a.terminal?.kind === 'done') this.end(run.id, 'done', { summary: a.terminal.summary });
      else if (a.cancelRequested) this.end(run.id, 'cancelled', { error: a.terminal?.kind === 'error' ? a.terminal.message : 'cancelled', exitInfo: how });
      else if (a.terminal?.kind === 'error') this.end(run.id, 'failed', { error: a.terminal.message, exitInfo: how });
      else this.end(run.id, 'crashed', { error: `worker ended without a result (${how})`, exitInfo: how });
      const slotIndex = this.slotRequests.indexOf(run.id);
      if (slotIndex >= 0) this.slotRequests.splice(slotIndex, 1);
      this.arbitrateSlot();
      resolveFinished();
      this.pump();
    });
  }

  private onWorkerMessage(a: Active, run: Run, raw: unknown): void {
    const slot = SlotReport.safeParse(raw);
    if (slot.success) return this.onSlotReport(a, slot.data.state);
    const parsed = WorkerToMain.safeParse(raw);
    if (!parsed.success) {
      this.store.logs.append(run.id, 'warn', `main dropped a malformed worker message: ${parsed.error.message.slice(0, 500)}`);
      return;
    }
    const m = parsed.data;
    if (m.type === 'ready') {
      try {
        a.worker.send({ type: 'start', runId: run.id, kind: run.kind, config: run.config, seed: run.seed, inputs: resolveRunInputs(this.store, run), exclusiveSlot: true });
      } catch (err) {
        a.terminal = { kind: 'error', message: (err as Error).message };
        a.worker.kill();
      }
      return;
    }
    let outcome;
    try {
      outcome = a.recorder.record(m);
    } catch (err) {
      // The store refused a write (disk full, I/O error): end the run as failed, keep what is already stored.
      a.terminal = { kind: 'error', message: `could not store worker output: ${(err as Error).message}` };
      a.worker.kill();
      return;
    }
    a.worker.send({ type: 'ack', seq: m.seq });
    if (outcome.kind === 'progress') this.publish({ type: 'runProgress', id: run.id, fraction: outcome.fraction, message: outcome.message });
    else if (outcome.kind === 'done' || outcome.kind === 'error') a.terminal = outcome;
    else if (m.type === 'backend') this.emitRun(run.id);
  }

  private onSlotReport(a: Active, state: SlotReport['state']): void {
    if (!this.active.has(a.runId)) return;
    if (state === 'request') {
      if (a.slot !== 'none') return;
      a.slot = 'waiting';
      this.slotRequests.push(a.runId);
    } else if (state === 'release') {
      const index = this.slotRequests.indexOf(a.runId);
      if (index >= 0) this.slotRequests.splice(index, 1);
      a.slot = 'none';
    } else if (state === 'paused') {
      // A pause already taken back (resume crossed this report) leaves the run going.
      if (a.pauseAsked) {
        a.parked = true;
        const head = this.slotRequests[0];
        const progress = this.store.runs.get(a.runId)?.progress ?? 0;
        this.publish({ type: 'runProgress', id: a.runId, fraction: progress, message: `paused while run ${head ? head.slice(0, 8) : '?'} measures alone` });
      }
    }
    this.arbitrateSlot();
  }

  /**
   * Grants the slot to the first request once every other run is quiet; when nobody holds or wants it, lets
   * the parked runs go on and starts what waits.
   */
  private arbitrateSlot(): void {
    if ([...this.active.values()].some((a) => a.slot === 'holding')) return;
    const head = this.slotRequests.map((id) => this.active.get(id)).find((a) => a !== undefined);
    if (!head) {
      for (const a of this.active.values()) {
        if (!a.pauseAsked) continue;
        a.pauseAsked = false;
        a.parked = false;
        a.worker.send({ type: 'slot', action: 'resume' });
      }
      this.pump();
      return;
    }
    let quiet = true;
    for (const a of this.active.values()) {
      if (a === head || a.slot === 'waiting') continue;
      if (!a.pauseAsked) {
        a.pauseAsked = true;
        a.worker.send({ type: 'slot', action: 'pause' });
      }
      if (!a.parked) quiet = false;
    }
    if (!quiet) return;
    this.slotRequests.splice(this.slotRequests.indexOf(head.runId), 1);
    head.slot = 'holding';
    head.pauseAsked = false;
    head.parked = false;
    head.worker.send({ type: 'slot', action: 'granted' });
  }

  /**
   * Records how a run ended. When the store refuses (a full disk), the end is still known in this process: the
   * run's subscribers and waitFor get it, so a front end reports it and exits instead of waiting for a row that
   * never changes; the next start-up marks the stored row crashed.
   */
  private end(runId: string, status: Exclude<Run['status'], 'queued' | 'running'>, fields: { summary?: Record<string, unknown>; error?: string; exitInfo?: string }): void {
    try {
      this.store.runs.finish(runId, status, fields as Parameters<RunStore['runs']['finish']>[2]);
      this.emitRun(runId);
      return;
    } catch (err) {
      const message = `could not record the end of the run (${status}): ${(err as Error).message}`;
      console.error(`der: run ${runId}: ${message}`);
      let known: Run | null;
      try {
        known = this.store.runs.get(runId);
      } catch {
        known = null;
      }
      if (!known) return;
      const ended: Run = { ...known, status, endedAt: Date.now(), error: fields.error ? `${fields.error}; ${message}` : message };
      this.unrecordedEnds.set(runId, ended);
      this.publish({ type: 'runChanged', run: ended });
    }
  }

  /** Kills every worker at once, synchronously: for exits that cannot wait (an uncaught error, a second Ctrl-C). */
  killAllNow(): void {
    for (const a of this.active.values()) a.worker.kill();
  }


  /**
   * Stops taking jobs and ends running workers: each is asked to cancel and killed if it has not stopped after
   * the grace period (a worker inside a long synchronous step cannot hear the request).
   */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.cancelPoll);
    for (const runId of this.waiting.splice(0)) this.end(runId, 'cancelled', { error: 'the workbench closed before it started' });
    const pending = [...this.active.values()];
    for (const a of pending) {
      if (!a.cancelRequested) this.cancel(a.runId);
      if (a.killTimer) clearTimeout(a.killTimer);
      a.killTimer = setTimeout(() => a.worker.kill(), Math.min(this.cancelGraceMs, CLOSE_GRACE_MS));
    }
    await Promise.all(pending.map((a) => a.finished));
    openQueues.delete(this);
    await this.remote?.close();
  }
}
