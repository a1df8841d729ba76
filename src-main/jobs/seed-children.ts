/**
 * Multi-seed runs as parallel children: a run of a kind with a seed combiner and more than one seed becomes a
 * parent (kind and config as asked, owned by main like a sweep) and one child per seed (the same config with
 * `seeds: [seed]`), queued together so that the queue runs them side by side. When the last child ends, the
 * kind's combiner rebuilds the parent's summary and table (CIs over seeds) from the finished children, and
 * their artifacts and metrics are copied to the parent under the names one run of every seed would have used.
 * The parent ends `done` with the seeds that finished (it names the missing ones), `failed` if none did, or
 * `cancelled`. Cancelling the parent cancels its children.
 */
import type { JsonObject, Run } from '../api/contract';
import { configSchema as attentionSchema } from '../../src-worker/experiments/attention-train/config';
import { combineSeedChildren, seedKey, type SeedChild } from '../../src-worker/experiments/attention-train/combine';
import type { RunStore } from '../store/run-store';
import { cancelChildren, ENDED_STATUSES, onChildEnded } from './child-runs';
import type { JobQueue } from './job-queue';

const CHILDREN_ARTIFACT = 'seed-children.json';

interface Combiner {
  combine(parentConfig: JsonObject, children: SeedChild[], wallSeconds: number): { summary: JsonObject; table: JsonObject };
}

/** Kinds whose seeds run as children, and how their parent's results are rebuilt. */
const COMBINERS: Record<string, Combiner> = {
  'attention-train': {
    combine: (config, children, wall) => {
      const r = combineSeedChildren(attentionSchema.parse(config), children, wall);
      return { summary: r.summary as JsonObject, table: r.table as JsonObject };
    },
  },
};

const seedsOf = (config: JsonObject): number[] => (Array.isArray(config.seeds) ? config.seeds.filter((s): s is number => typeof s === 'number') : []);

/** Whether a run of this kind and (validated) config is split into one child per seed. */
export function splitsSeeds(kind: string, config: JsonObject): boolean {
  return kind in COMBINERS && new Set(seedsOf(config)).size > 1;
}

export class SeedChildrenCoordinator {
  private readonly cancelled = new Set<string>();

  constructor(
    private readonly store: RunStore,
    private readonly queue: JobQueue,
    private readonly newId: () => string,
  ) {
    onChildEnded(queue, (parentId) => this.childEnded(parentId));
  }

  isParent(run: Run): boolean {
    return run.kind in COMBINERS && this.store.artifacts.get(run.id, CHILDREN_ARTIFACT) !== null;
  }

  /** Creates the parent (running, owned by main) and one queued child per seed. Returns the parent. */
  start(parent: { id: string; kind: string; name: string; config: JsonObject; host: JsonObject }): Run {
    const seeds = [...new Set(seedsOf(parent.config))];
    const ids: Array<{ runId: string; seed: number }> = [];
    this.store.transaction(() => {
      this.store.runs.create({ id: parent.id, kind: parent.kind, name: parent.name, config: parent.config, seed: seeds[0], host: parent.host });
      this.store.runs.markRunning(parent.id, { ...parent.host, worker: 'main (seed children)' });
      this.store.runs.setProgress(parent.id, 0, `0/${seeds.length} seeds ended`);
      for (const seed of seeds) {
        const id = this.newId();
        this.store.runs.create({ id, kind: parent.kind, name: `${parent.name} · seed=${seed}`, config: { ...parent.config, seeds: [seed] }, seed, parentId: parent.id, host: parent.host });
        ids.push({ runId: id, seed });
      }
      this.store.artifacts.put(parent.id, CHILDREN_ARTIFACT, 'application/json', new TextEncoder().encode(JSON.stringify(ids)), { kind: 'seed-children' });
    });
    for (const { runId } of ids) this.queue.enqueue(runId);
    return this.store.runs.get(parent.id)!;
  }

  cancel(parentId: string): void {
    this.cancelled.add(parentId);
    cancelChildren(this.store, this.queue, parentId);
  }

  private childEnded(parentId: string): void {
    const parent = this.store.runs.get(parentId);
    if (!parent || parent.status !== 'running' || !(parent.kind in COMBINERS)) return;
    const listed = this.store.artifacts.get(parentId, CHILDREN_ARTIFACT);
    if (!listed) return;
    const planned = JSON.parse(listed.bytes.toString('utf8')) as Array<{ runId: string; seed: number }>;
    const children = planned.map((p) => ({ ...p, run: this.store.runs.get(p.runId) }));
    const ended = children.filter((c) => !c.run || ENDED_STATUSES.has(c.run.status));
    const message = `${ended.length}/${children.length} seeds ended`;
    this.store.runs.setProgress(parentId, ended.length / children.length, message);
    if (ended.length < children.length) {
      this.queue.publish({ type: 'runProgress', id: parentId, fraction: ended.length / children.length, message });
      return;
    }
    const cancelled = this.cancelled.delete(parentId) || this.store.runs.cancelRequested([parentId]).length > 0;
    const done = children.filter((c): c is typeof c & { run: Run } => c.run?.status === 'done');
    try {
      if (cancelled) this.store.runs.finish(parentId, 'cancelled', { error: 'cancelled' });
      else if (done.length === 0) this.store.runs.finish(parentId, 'failed', { error: `no seed's child run ended done (${children.map((c) => `seed ${c.seed}: ${c.run?.status ?? 'deleted'}`).join(', ')})` });
      else this.store.transaction(() => this.combine(parent, done));
    } catch (err) {
      this.store.runs.finish(parentId, 'failed', { error: `combining the seeds' runs failed: ${err instanceof Error ? err.message : String(err)}` });
    }
    const run = this.store.runs.get(parentId);
    if (run) this.queue.publish({ type: 'runChanged', run });
  }

  private combine(parent: Run, done: Array<{ runId: string; seed: number; run: Run }>): void {
    const children: SeedChild[] = done.map(({ runId, seed, run }) => {
      const summary = (run.summary ?? {}) as JsonObject;
      const names = Array.isArray(summary.artifacts) ? summary.artifacts.filter((a): a is string => typeof a === 'string') : [];
      const evals = names
        .filter((a) => a.startsWith('eval/'))
        .map((a) => this.store.artifacts.get(runId, a))
        .filter((a): a is NonNullable<typeof a> => a !== null)
        .map((a) => JSON.parse(a.bytes.toString('utf8')) as JsonObject);
      return { runId, seed, summary, evals };
    });
    const wall = parent.startedAt !== null ? (Date.now() - parent.startedAt) / 1000 : 0;
    const { summary, table } = COMBINERS[parent.kind].combine(parent.config, children, wall);
    for (const child of children) {
      const prefixes = ((child.summary.metricKeys as JsonObject | undefined)?.prefixes as string[] | undefined) ?? [];
      for (const a of this.store.artifacts.list(child.runId)) {
        if (a.name === 'table.json') continue;
        const stored = this.store.artifacts.get(child.runId, a.name);
        if (stored) this.store.artifacts.put(parent.id, seedKey(a.name, prefixes, child.seed), stored.mime, stored.bytes, { ...stored.meta, seed: child.seed, fromRun: child.runId });
      }
      for (const s of this.store.metrics.listSeries(child.runId)) {
        const rows = this.store.metrics.allRows(child.runId, s.key);
        this.store.metrics.appendSeries(parent.id, seedKey(s.key, prefixes, child.seed), rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]));
      }
    }
    this.store.artifacts.put(parent.id, 'table.json', 'application/json', new TextEncoder().encode(JSON.stringify(table)), { kind: 'attention-table' });
    const backend = done[0].run.backend;
    if (backend) this.store.runs.setBackend(parent.id, backend);
    this.store.runs.finish(parent.id, 'done', { summary });
  }
}
