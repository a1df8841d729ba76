/**
 * A worker process: receives one `start`, runs that experiment, streams its events, exits.
 * Metric rows are batched here (every 100 ms or 2,000 rows) so main writes them in few transactions.
 */
import { connectToParent } from './channel';
import { exitWhenParentDies } from './parent-watch';
import { MainToWorker, PROTOCOL_VERSION, type MetricRow, type SlotReport, type StartMessage, type WorkerEvent } from './shared/protocol';
import { findExperiment } from './experiments/registry';
import { runners } from './experiments/runners';
import type { ExperimentContext } from './experiments/types';
import { runChecked } from './run-checked';

const channel = connectToParent();
const abort = new AbortController();
let seq = 0;
let ackedSeq = -1;
let ackWaiter: (() => void) | null = null;
let pending: MetricRow[] = [];
let flushTimer: NodeJS.Timeout | null = null;
let started = false;
let lastProgressAt = 0;
const PROGRESS_INTERVAL_MS = 100;

function send(event: WorkerEvent): number {
  const s = seq++;
  channel.send({ ...event, seq: s });
  return s;
}

function flushMetrics(): void {
  if (flushTimer) (clearTimeout(flushTimer), (flushTimer = null));
  if (pending.length === 0) return;
  const rows = pending;
  pending = [];
  send({ type: 'metrics', rows });
}

/**
 * A full batch is sent when the next step begins, never between two rows of one step: main stores each batch
 * in one transaction, so a main killed at any moment leaves no step half stored.
 */
function queueMetric(row: MetricRow): void {
  if (pending.length >= 2000 && pending[pending.length - 1].step !== row.step) flushMetrics();
  pending.push(row);
  if (!flushTimer) flushTimer = setTimeout(flushMetrics, 100);
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * The exclusive slot (protocol.ts SlotControl): a pause asked by main parks the run at its next tick until
 * resume; `exclusive` asks for the slot, waits for `granted`, measures, releases. A cancel ends either wait.
 */
const slot = { pauseAsked: false, holding: false, wake: null as (() => void) | null, grantedWaiter: null as (() => void) | null };

function sendSlot(state: SlotReport['state']): void {
  channel.send({ type: 'slot', state } satisfies SlotReport);
}

function waitUntil(done: () => boolean, setWaker: (w: (() => void) | null) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (abort.signal.aborted) (cleanup(), reject(new Error('cancelled')));
      else if (done()) (cleanup(), resolve());
    };
    const cleanup = (): void => {
      setWaker(null);
      abort.signal.removeEventListener('abort', check);
    };
    abort.signal.addEventListener('abort', check);
    setWaker(check);
    check();
  });
}

async function parkIfPaused(): Promise<void> {
  if (!slot.pauseAsked || slot.holding) return;
  flushMetrics();
  sendSlot('paused');
  await waitUntil(() => !slot.pauseAsked, (w) => (slot.wake = w));
}

async function runExclusive<T>(measure: () => Promise<T>): Promise<T> {
  let granted = false;
  // A run waiting for the slot counts as quiet: rows it logged before asking are sent first, so main stores
  // them before another run's phase can begin (else the 100 ms flush timer lands them inside that phase).
  flushMetrics();
  sendSlot('request');
  try {
    await waitUntil(() => granted, (w) => (slot.grantedWaiter = w ? () => ((granted = true), w()) : null));
    slot.holding = true;
    slot.pauseAsked = false;
    return await measure();
  } finally {
    slot.holding = false;
    sendSlot('release');
  }
}

function waitForAck(target: number, timeoutMs: number): Promise<void> {
  if (ackedSeq >= target) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(resolve, timeoutMs);
    ackWaiter = () => {
      if (ackedSeq >= target) (clearTimeout(t), resolve());
    };
  });
}

let finishing = false;

async function finish(event: WorkerEvent, code: number): Promise<never> {
  // Once: an error thrown while reporting the end must not report again (and loop).
  if (finishing) process.exit(code);
  finishing = true;
  flushMetrics();
  const last = send(event);
  await waitForAck(last, 5000);
  process.exit(code);
}

async function runJob(start: StartMessage): Promise<void> {
  const def = findExperiment(start.kind);
  const load = runners[start.kind];
  if (!def || !load) return finish({ type: 'error', message: `unknown experiment kind "${start.kind}"` }, 1);
  const parsed = def.configSchema.safeParse(start.config);
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ');
    return finish({ type: 'error', message: `invalid config: ${msg}` }, 1);
  }
  const ctx: ExperimentContext = {
    runId: start.runId,
    seed: start.seed,
    metric: (key, step, value) => queueMetric({ key, step, value: finite(value) }),
    metrics: (rows) => rows.forEach(queueMetric),
    timing: (rows) => void send({ type: 'timing', rows }),
    artifact: (name, mime, bytes, meta = {}) =>
      void send({ type: 'artifact', name, mime, base64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'), meta }),
    progress: (fraction, message = '') => {
      const now = Date.now();
      if (now - lastProgressAt < PROGRESS_INTERVAL_MS && fraction < 1) return;
      lastProgressAt = now;
      send({ type: 'progress', fraction: Math.min(1, Math.max(0, fraction)), message });
    },
    log: (text, level = 'info') => void send({ type: 'log', level, text }),
    backend: (backend, info) => void send({ type: 'backend', backend, info }),
    signal: abort.signal,
    tick: async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (abort.signal.aborted) throw new Error('cancelled');
      await parkIfPaused();
    },
    written: async () => {
      flushMetrics();
      await channel.written();
    },
    input: (runId, name) => {
      const found = start.inputs.find((i) => i.runId === runId && i.name === name);
      if (!found) throw new Error(`input ${runId}/${name} was not provided to this run (declare it in the kind's inputs())`);
      return new Uint8Array(Buffer.from(found.base64, 'base64'));
    },
    exclusive: async <T>(label: string, measure: () => Promise<T>): Promise<T> => {
      if (!start.exclusiveSlot) return measure();
      const t0 = performance.now();
      return runExclusive(async () => {
        const waited = ((performance.now() - t0) / 1000).toFixed(1);
        send({ type: 'log', level: 'info', text: `${label}: has the machine to itself (waited ${waited} s)` });
        try {
          return await measure();
        } finally {
          send({ type: 'log', level: 'info', text: `${label}: gave the machine back` });
        }
      });
    },
  };
  try {
    const { run } = await load();
    // The kind's results schema is the contract with main and the views: a result outside it fails the run.
    const outcome = await runChecked(start.kind, run, parsed.data, ctx);
    await finish(outcome, outcome.type === 'done' ? 0 : 1);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    // A cancel is no fault: its message says so once, and there is no stack to keep.
    if (abort.signal.aborted) await finish({ type: 'error', message: e.message === 'cancelled' ? 'cancelled' : `cancelled: ${e.message}` }, 1);
    else await finish({ type: 'error', message: e.message, stack: e.stack }, 1);
  }
}

channel.onMessage((raw) => {
  const parsed = MainToWorker.safeParse(raw);
  if (!parsed.success) {
    send({ type: 'log', level: 'warn', text: `worker ignored a malformed message: ${parsed.error.message}` });
    return;
  }
  const m = parsed.data;
  if (m.type === 'ack') {
    ackedSeq = Math.max(ackedSeq, m.seq);
    ackWaiter?.();
  } else if (m.type === 'cancel') {
    abort.abort();
  } else if (m.type === 'slot') {
    if (m.action === 'granted') slot.grantedWaiter?.();
    else {
      slot.pauseAsked = m.action === 'pause';
      slot.wake?.();
    }
  } else if (!started) {
    started = true;
    void runJob(m);
  }
});

process.on('uncaughtException', (err) => void finish({ type: 'error', message: `uncaught: ${err.message}`, stack: err.stack }, 1));
process.on('unhandledRejection', (err) =>
  void finish({ type: 'error', message: `unhandled rejection: ${err instanceof Error ? err.message : String(err)}` }, 1),
);

// Main is gone (killed, crashed): nobody can record what this worker does, so stop rather than run orphaned.
process.on('disconnect', () => process.exit(2));
exitWhenParentDies();

channel.send({ type: 'ready', pid: process.pid, protocol: PROTOCOL_VERSION });
