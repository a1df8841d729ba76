/**
 * Sweeps run in main: the parent run is created `running`, its children are validated all together (one bad
 * grid point starts nothing), queued with parent_id, and when the last child ends the parent ends `done` with a
 * table of the children (params, status, summary) — or `failed` if no child ended done. Cancelling the parent
 * cancels its children.
 */
import type { JsonObject, Run } from '../api/contract';
import { configSchema as sweepSchema, expandGrid, withKey, type SweepConfig } from '../../src-worker/experiments/sweep/config';
import { findExperiment } from '../../src-worker/experiments/registry';
import type { RunStore } from '../store/run-store';
import { cancelChildren, ENDED_STATUSES, onChildEnded } from './child-runs';
import type { JobQueue } from './job-queue';

export class SweepError extends Error {
  constructor(
    message: string,
    readonly issues: Array<{ path: string; message: string }> = [],
  ) {
    super(message);
  }
}


export class SweepCoordinator {
  private readonly cancelled = new Set<string>();

  constructor(
    private readonly store: RunStore,
    private readonly queue: JobQueue,
    private readonly newId: () => string,
  ) {
    onChildEnded(queue, (parentId) => this.childEnded(parentId));
  }

  /** Validates every child config, then creates the parent and children. Returns the parent. */
  start(parent: { id: string; name: string; config: SweepConfig; host: JsonObject }, presets: Record<string, JsonObject>): Run {
    const cfg = parent.config;
    const def = findExperiment(cfg.kind);
    if (!def || def.runsInMain) throw new SweepError(`sweep: child kind "${cfg.kind}" is not a runnable experiment`, [{ path: 'kind', message: 'unknown kind' }]);
    let start: JsonObject = {};
    if (cfg.preset) {
      const key = Object.keys(presets).find((k) => k.toLowerCase() === cfg.preset!.toLowerCase());
      if (!key) throw new SweepError(`sweep: ${cfg.kind} has no preset "${cfg.preset}"`, [{ path: 'preset', message: 'unknown preset' }]);
      start = presets[key];
    }
    start = { ...start, ...cfg.base };
    const points = expandGrid(cfg.grid, cfg.variants);
    if (points.length > cfg.maxChildren) throw new SweepError(`sweep: ${points.length} grid points exceed maxChildren ${cfg.maxChildren}`, [{ path: 'grid', message: 'too many points' }]);
    const children = points.map((params) => {
      let c = start;
      // "variant" only names a row of an ablation; every other key is a config key of the child kind.
      for (const [k, v] of Object.entries(params)) if (k !== 'variant') c = withKey(c, k, v);
      const r = def.configSchema.safeParse(c);
      if (!r.success) {
        const i = r.error.issues[0];
        throw new SweepError(`sweep: grid point ${JSON.stringify(params)} gives an invalid ${cfg.kind} config: ${i.path.join('.')}: ${i.message}`, [{ path: 'grid', message: i.message }]);
      }
      return { params, config: r.data as JsonObject };
    });
    const ids: string[] = [];
    this.store.transaction(() => {
      this.store.runs.create({ id: parent.id, kind: 'sweep', name: parent.name, config: sweepSchema.parse(cfg) as JsonObject, seed: 0, host: parent.host });
      this.store.runs.markRunning(parent.id, { ...parent.host, worker: 'main (sweep)' });
      this.store.runs.setProgress(parent.id, 0, `0/${children.length} children ended`);
      children.forEach((ch, i) => {
        const id = this.newId();
        const seed = typeof ch.config.seed === 'number' ? ch.config.seed : 42;
        const label = Object.entries(ch.params).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
        this.store.runs.create({ id, kind: cfg.kind, name: `${parent.name} · ${label || `#${i}`}`, config: { ...ch.config }, seed, parentId: parent.id, host: parent.host });
        this.store.artifacts.put(parent.id, `child-${String(i).padStart(4, '0')}.json`, 'application/json', new TextEncoder().encode(JSON.stringify({ runId: id, params: ch.params })), { kind: 'sweep-child' });
        ids.push(id);
      });
    });
    for (const id of ids) this.queue.enqueue(id);
    return this.store.runs.get(parent.id)!;
  }

  cancel(parentId: string): void {
    this.cancelled.add(parentId);
    cancelChildren(this.store, this.queue, parentId);
  }

  private childEnded(parentId: string): void {
    const parent = this.store.runs.get(parentId);
    if (!parent || parent.kind !== 'sweep' || parent.status !== 'running') return;
    const children = this.store.runs.list({ parentId, limit: 10_000 });
    const ended = children.filter((c) => ENDED_STATUSES.has(c.status));
    this.store.runs.setProgress(parentId, ended.length / Math.max(1, children.length), `${ended.length}/${children.length} children ended`);
    if (ended.length < children.length) {
      this.queue.publish({ type: 'runProgress', id: parentId, fraction: ended.length / children.length, message: `${ended.length}/${children.length} children ended` });
      return;
    }
    // Grid order is the order of the child-NNNN artifacts (children share a creation millisecond).
    const byId = new Map(children.map((c) => [c.id, c]));
    const table = this.store.artifacts
      .list(parentId)
      .filter((a) => a.name.startsWith('child-'))
      .map((a) => JSON.parse(this.store.artifacts.get(parentId, a.name)!.bytes.toString('utf8')) as { runId: string; params: JsonObject })
      .map(({ runId, params }) => {
        const c = byId.get(runId);
        return { runId, params, status: c?.status ?? 'deleted', error: c?.error ?? null, summary: c?.summary ?? null, host: c?.host ?? null };
      });
    const done = table.filter((t) => t.status === 'done').length;
    const cancelled = this.cancelled.delete(parentId) || this.store.runs.cancelRequested([parentId]).length > 0;
    const status = cancelled ? 'cancelled' : done > 0 ? 'done' : 'failed';
    this.store.runs.finish(parentId, status, {
      summary: { kind: (parent.config as SweepConfig).kind, grid: (parent.config as SweepConfig).grid, variants: (parent.config as SweepConfig).variants, done, total: table.length, children: table },
      error: status === 'done' ? null : status === 'cancelled' ? 'cancelled' : 'no child run ended done',
    });
    const run = this.store.runs.get(parentId);
    if (run) this.queue.publish({ type: 'runChanged', run });
  }
}
