/**
 * Writes one run's worker events into the store. Each worker message is one transaction (the worker already
 * batches metric rows), and its sequence number is acknowledged only after the commit: "acknowledged" means
 * "on disk", which is what a crash test checks.
 */
import type { WorkerToMain } from '../../src-worker/shared/protocol';
import type { RunStore } from '../store/run-store';

export type RecorderOutcome =
  | { kind: 'none' }
  | { kind: 'progress'; fraction: number; message: string }
  | { kind: 'done'; summary: Record<string, unknown> }
  | { kind: 'error'; message: string };

const PROGRESS_WRITE_INTERVAL_MS = 250;

export class RunRecorder {
  private lastProgressWrite = 0;
  rowsWritten = 0;

  constructor(
    private readonly store: RunStore,
    readonly runId: string,
  ) {}

  /** Stores the message; returns what the queue needs to know of it. Throws only if the store fails. */
  record(m: Exclude<WorkerToMain, { type: 'ready' }>): RecorderOutcome {
    const s = this.store;
    switch (m.type) {
      case 'metrics':
        s.transaction(() => s.metrics.append(this.runId, m.rows));
        this.rowsWritten += m.rows.length;
        return { kind: 'none' };
      case 'timing':
        s.transaction(() => s.timings.append(this.runId, m.rows));
        return { kind: 'none' };
      case 'artifact':
        s.artifacts.put(this.runId, m.name, m.mime, Buffer.from(m.base64, 'base64'), m.meta);
        return { kind: 'none' };
      case 'log':
        s.logs.append(this.runId, m.level, m.text);
        return { kind: 'none' };
      case 'backend':
        s.runs.setBackend(this.runId, { name: m.backend, ...m.info });
        return { kind: 'none' };
      case 'progress': {
        const now = Date.now();
        if (now - this.lastProgressWrite >= PROGRESS_WRITE_INTERVAL_MS || m.fraction >= 1) {
          this.lastProgressWrite = now;
          s.runs.setProgress(this.runId, m.fraction, m.message);
        }
        return { kind: 'progress', fraction: m.fraction, message: m.message };
      }
      case 'done':
        return { kind: 'done', summary: m.summary };
      case 'error':
        if (m.stack) s.logs.append(this.runId, 'error', m.stack);
        return { kind: 'error', message: m.message };
    }
  }
}
