/**
 * The Api implementation. Front ends (IPC, HTTP, CLI) call `invoke(method, args)`, which validates the
 * arguments with zod and turns every failure into an ApiError; nothing else of main is reachable from outside.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import {
  ApiError,
  type Api,
  type ApiEvent,
  type ApiMethodName,
  type ApiMethods,
  type Artifact,
  type ExperimentInfo,
  type ExportedRun,
  type FigureFilesSettings,
  type ClaimsReport,
  type ClusterStatus,
  type ReproducePlan,
  type ImportResult,
  type JsonObject,
  type Run,
  type RunDetail,
  type RunListQuery,
  type RunPage,
} from './contract';
import { argSchemas, zodIssues } from './schemas';
import { commitImport, parseExport, readImportSource, safeRelativePath, type ImportItem } from '../import/import-runs';
import { ImportError, type ImportProgress } from '../import/parsed-run';
import { claimsReport } from '../claims/measure';
import { reportContext, reportHtml, reportPdf } from '../claims/report';
import { buildPlan, stableJson } from '../claims/reproduce';
import { experiments, findExperiment } from '../../src-worker/experiments/registry';
import { hostInfo, type JobQueue } from '../jobs/job-queue';
import { ownerOf } from '../jobs/owner';
import { SweepCoordinator, SweepError } from '../jobs/sweeps';
import { SeedChildrenCoordinator, splitsSeeds } from '../jobs/seed-children';
import type { SweepConfig } from '../../src-worker/experiments/sweep/config';
import type { RunStore } from '../store/run-store';
import { FilterSyntaxError } from '../store/run-filter';
import { version } from '../paths';
import { exportAllFigures } from '../figure-export/export-all';
import { svgToPdf, svgToPng, type FigureExportOptions } from '../figure-export/render';
import { exportSettings } from '../figure-export/settings';
import { readSummary } from '../../src-worker/shared/results';
import type { ClusterControl } from '../cluster/cluster-setting';
import { readStoredArtifact } from './artifact-read';

/** Sortable, short, unique: base36 milliseconds + 6 random hex digits. */
export function newRunId(): string {
  return `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

function defaultsOf(schema: z.ZodType): JsonObject {
  const r = schema.safeParse({});
  return r.success ? (r.data as JsonObject) : {};
}

export class ApiService implements Api {
  private readonly experimentInfos: ExperimentInfo[];

  private readonly sweeps: SweepCoordinator;
  private readonly seedChildren: SeedChildrenCoordinator;

  constructor(
    private readonly store: RunStore,
    private readonly queue: JobQueue,
    private readonly cluster: ClusterControl | null = null,
  ) {
    this.sweeps = new SweepCoordinator(store, queue, newRunId);
    this.seedChildren = new SeedChildrenCoordinator(store, queue, newRunId);
    this.experimentInfos = experiments.map((e) => ({
      kind: e.kind,
      title: e.title,
      description: e.description,
      timing: e.timing,
      configSchema: z.toJSONSchema(e.configSchema, { io: 'input', unrepresentable: 'any' }) as JsonObject,
      defaults: defaultsOf(e.configSchema),
      presets: Object.fromEntries(Object.entries(e.presets).map(([k, v]) => [k, { ...defaultsOf(e.configSchema), ...(v as JsonObject) }])),
    }));
  }

  /** The one door: validated arguments in, a result or an ApiError out. */
  async invoke(method: string, args: unknown): Promise<unknown> {
    if (!Object.hasOwn(argSchemas, method)) throw new ApiError('not_found', `no such method: ${method}`);
    const name = method as ApiMethodName;
    const parsed = (argSchemas[name] as z.ZodType).safeParse(Array.isArray(args) ? args : []);
    if (!parsed.success) throw new ApiError('invalid_input', `invalid arguments to ${name}: ${parsed.error.issues[0]?.message ?? ''}`, zodIssues(parsed.error));
    try {
      return await (this[name] as (...a: unknown[]) => Promise<unknown>).apply(this, parsed.data as unknown[]);
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw new ApiError('internal', (err as Error).message ?? String(err));
    }
  }

  onEvent(listener: (event: ApiEvent) => void): () => void {
    return this.queue.onEvent(listener);
  }

  private mustGet(id: string): Run {
    const run = this.store.runs.get(id);
    if (!run) throw new ApiError('not_found', `no run with id ${id}`);
    return run;
  }

  async health(): ReturnType<ApiMethods['health']> {
    return { ok: true, version: version(), db: this.store.path };
  }

  async listRuns(query: Parameters<ApiMethods['listRuns']>[0] = {}): Promise<Run[]> {
    return this.store.runs.list(query);
  }

  async getRun(id: string, options: Parameters<ApiMethods['getRun']>[1] = {}): ReturnType<ApiMethods['getRun']> {
    const run = this.mustGet(id);
    const series = this.store.metrics.listSeries(id);
    const detail: RunDetail = { ...run, summary: readSummary(run.kind, run.summary), series, artifacts: this.store.artifacts.list(id), logs: this.store.logs.list(id) };
    if (options.metrics) {
      const { maxPoints } = options.metrics;
      detail.metrics = series.map((s) => this.store.metrics.query(id, s.key, { maxPoints }));
    }
    return detail;
  }

  async getMetrics(id: string, keys: string[], options: Parameters<ApiMethods['getMetrics']>[2] = {}): ReturnType<ApiMethods['getMetrics']> {
    this.mustGet(id);
    return keys.map((k) => this.store.metrics.query(id, k, options));
  }

  async getTimings(id: string): ReturnType<ApiMethods['getTimings']> {
    this.mustGet(id);
    return this.store.timings.list(id);
  }

  async getArtifact(id: string, name: string): Promise<Artifact> {
    const a = this.store.artifacts.get(id, name);
    if (!a) throw new ApiError('not_found', `run ${id} has no artifact named ${name}`);
    return readStoredArtifact(this.mustGet(id).kind, a);
  }

  async listExperiments(): Promise<ExperimentInfo[]> {
    return this.experimentInfos;
  }

  /** Validates `config` against the kind's schema (defaults filled in), stores the run as queued, enqueues it. */
  async startRun(kind: string, config: JsonObject, name?: string, parentId?: string): Promise<Run> {
    const def = findExperiment(kind);
    if (!def) throw new ApiError('not_found', `unknown experiment kind "${kind}" (known: ${experiments.map((e) => e.kind).join(', ')})`);
    const parsed = def.configSchema.safeParse(config);
    if (!parsed.success) {
      const issues = zodIssues(parsed.error);
      throw new ApiError('invalid_input', `invalid ${kind} config: ${issues.map((i) => `${i.path || '(config)'}: ${i.message}`).join('; ')}`, issues);
    }
    const data = parsed.data as JsonObject;
    for (const ref of def.inputs?.(parsed.data) ?? []) {
      if (!this.store.artifacts.list(ref.runId).some((a) => a.name === ref.name)) {
        throw new ApiError('invalid_input', `${kind} config reads artifact "${ref.name}" of run ${ref.runId}, which does not exist`);
      }
    }
    if (def.runsInMain) {
      const infos = await this.listExperiments();
      const childKind = String(data.kind);
      try {
        const parent = this.sweeps.start(
          { id: newRunId(), name: name?.trim() || `sweep of ${childKind}`, config: data as SweepConfig, host: hostInfo() },
          infos.find((e) => e.kind === childKind)?.presets ?? {},
        );
        this.queue.publish({ type: 'runChanged', run: parent });
        return parent;
      } catch (err) {
        if (err instanceof SweepError) throw new ApiError('invalid_input', err.message, err.issues);
        throw err;
      }
    }
    // Several seeds of a kind that can combine them: one child run per seed, side by side, then the combined table.
    if (!parentId && splitsSeeds(kind, data)) {
      const parent = this.seedChildren.start({ id: newRunId(), kind, name: name?.trim() || `${kind} ${new Date().toISOString().slice(0, 19).replace('T', ' ')}`, config: data, host: hostInfo() });
      this.queue.publish({ type: 'runChanged', run: parent });
      return parent;
    }
    const seed = typeof data.seed === 'number' ? data.seed : Array.isArray(data.seeds) && typeof data.seeds[0] === 'number' ? data.seeds[0] : 42;
    const id = newRunId();
    const run = this.store.runs.create({ id, kind, name: name?.trim() || `${kind} ${new Date().toISOString().slice(0, 19).replace('T', ' ')}`, config: data, seed, parentId: parentId ?? null, host: hostInfo() });
    this.queue.enqueue(id);
    return run;
  }

  async cancelRun(id: string): Promise<Run> {
    const run = this.mustGet(id);
    if (run.status !== 'queued' && run.status !== 'running') throw new ApiError('conflict', `run ${id} is ${run.status}, not running`);
    const owner = this.queue.isActive(id) ? ({ kind: 'this-process' } as const) : ownerOf(run);
    if (owner.kind === 'gone') {
      // Its process ended without finishing it: the same recovery as at start-up.
      this.store.runs.finish(id, 'crashed', { error: 'the workbench process that ran it ended', exitInfo: run.exitInfo ?? 'owner process gone' });
      const ended = this.mustGet(id);
      this.queue.publish({ type: 'runChanged', run: ended });
      return ended;
    }
    if (run.kind === 'sweep' && owner.kind === 'this-process') {
      this.sweeps.cancel(id);
    } else if (owner.kind === 'this-process' && this.seedChildren.isParent(run)) {
      this.seedChildren.cancel(id);
    } else if (this.queue.isActive(id)) this.queue.cancel(id);
    else {
      // Another process (or another workbench in this one) runs it: ask through the store; its queue polls
      // (a sweep's children are the queue's runs; the parent ends cancelled when they have ended).
      this.store.runs.requestCancel(id);
      if (run.kind === 'sweep' || this.seedChildren.isParent(run)) for (const child of this.store.runs.list({ parentId: id, limit: 10_000 })) this.store.runs.requestCancel(child.id);
    }
    return this.mustGet(id);
  }

  async updateRun(id: string, patch: { name?: string; tags?: string[]; notes?: string }): Promise<Run> {
    this.mustGet(id);
    this.store.runs.update(id, patch);
    const run = this.mustGet(id);
    this.queue.publish({ type: 'runChanged', run });
    return run;
  }

  async deleteRun(id: string): ReturnType<ApiMethods['deleteRun']> {
    const run = this.mustGet(id);
    if (this.queue.isActive(id) || run.status === 'running' || run.status === 'queued') throw new ApiError('conflict', `run ${id} is ${run.status}; cancel it before deleting it`);
    this.store.deleteRun(id);
    this.queue.publish({ type: 'runDeleted', id });
    return { deleted: id };
  }

  async queryRuns(query: RunListQuery): Promise<RunPage> {
    try {
      return this.store.runs.page(query);
    } catch (err) {
      if (err instanceof FilterSyntaxError) throw new ApiError('invalid_input', `filter: ${err.message}`, [{ path: 'filter', message: err.message }]);
      throw err;
    }
  }

  async tagRuns(ids: string[], change: { add?: string[]; remove?: string[] }): ReturnType<ApiMethods['tagRuns']> {
    const add = (change.add ?? []).map((t) => t.trim()).filter(Boolean);
    const remove = (change.remove ?? []).map((t) => t.trim()).filter(Boolean);
    const updated = this.store.transaction(() => {
      const missing = ids.find((id) => !this.store.runs.get(id));
      if (missing) throw new ApiError('not_found', `no run with id ${missing}; no run was tagged`);
      return this.store.runs.retag(ids, add, remove);
    });
    for (const id of ids) this.queue.publish({ type: 'runChanged', run: this.mustGet(id) });
    return { updated };
  }

  async deleteRuns(ids: string[]): ReturnType<ApiMethods['deleteRuns']> {
    const unique = [...new Set(ids)];
    this.store.transaction(() => {
      for (const id of unique) {
        const run = this.mustGet(id);
        if (this.queue.isActive(id) || run.status === 'running' || run.status === 'queued') {
          throw new ApiError('conflict', `run ${id} is ${run.status}; cancel it before deleting it (no run was deleted)`);
        }
      }
      for (const id of unique) this.store.deleteRun(id);
    });
    for (const id of unique) this.queue.publish({ type: 'runDeleted', id });
    return { deleted: unique };
  }

  async convertFigure(svg: string, format: 'pdf' | 'png', size: { widthPt: number; heightPt: number; scale?: number }): Promise<{ base64: string; mime: string }> {
    try {
      const bytes = format === 'pdf' ? await svgToPdf(svg, size.widthPt, size.heightPt) : svgToPng(svg, size.widthPt, size.scale ?? 2);
      return { base64: bytes.toString('base64'), mime: format === 'pdf' ? 'application/pdf' : 'image/png' };
    } catch (err) {
      throw new ApiError('invalid_input', `could not convert the figure to ${format.toUpperCase()}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async getCluster(): Promise<ClusterStatus> {
    return this.cluster?.status() ?? { active: null, source: null, saved: null, pendingRestart: false };
  }

  async setCluster(redis: string | null): Promise<ClusterStatus> {
    if (!this.cluster) throw new ApiError('unavailable', 'this workbench has no cluster setting');
    return this.cluster.set(redis);
  }

  async exportFigures(runIds: string[], settings: FigureFilesSettings): Promise<Array<{ name: string; base64: string }>> {
    for (const id of runIds) this.mustGet(id);
    let resolved: FigureExportOptions;
    try {
      resolved = exportSettings({ theme: settings.theme, width: settings.width, fontSize: settings.fontSize });
    } catch (err) {
      throw err instanceof ApiError ? err : new ApiError('invalid_input', err instanceof Error ? err.message : String(err));
    }
    const files = await exportAllFigures(this, runIds, resolved, settings.formats ?? ['svg', 'pdf']);
    return files.map((f) => ({ name: f.name, base64: f.bytes.toString('base64') }));
  }

  async exportRun(id: string, _format: 'json' = 'json'): Promise<ExportedRun> {
    const run = this.mustGet(id);
    const s = this.store;
    return {
      format: 'der-run-v1',
      run,
      metrics: s.metrics.listSeries(id).map((x) => ({ key: x.key, points: s.metrics.allRows(id, x.key) })),
      timings: s.timings.list(id),
      artifacts: s.artifacts.list(id).map((a) => ({ ...a, base64: s.artifacts.get(id, a.name)!.bytes.toString('base64') })),
      logs: s.logs.list(id, 1_000_000),
    };
  }

  async listClaims(): Promise<ClaimsReport> {
    return claimsReport(this.store.runs.list({ status: 'done', limit: 10_000 }));
  }

  async reproducePlan(mode: 'quick' | 'full'): Promise<ReproducePlan> {
    const all = this.store.runs.list({ limit: 100_000 });
    const inFlight = all.filter((r) => r.status === 'queued' || r.status === 'running');
    const steps = buildPlan(mode, all.filter((r) => r.status === 'done')).map((s) => ({
      kind: s.kind,
      preset: s.preset,
      claims: s.claims,
      estimateSeconds: s.estimateSeconds,
      estimateFrom: s.estimateFrom,
      doneBy: s.doneBy,
      waitsFor: s.waitsFor,
      inFlight: inFlight.find((r) => r.kind === s.kind && stableJson(r.config) === stableJson(s.config))?.id ?? null,
    }));
    return { mode, steps };
  }

  async reproduce(mode: 'quick' | 'full'): Promise<{ started: string[] }> {
    const all = this.store.runs.list({ limit: 100_000 });
    const inFlight = all.filter((r) => r.status === 'queued' || r.status === 'running');
    const started: string[] = [];
    for (const step of buildPlan(mode, all.filter((r) => r.status === 'done'))) {
      if (step.doneBy || step.waitsFor || inFlight.some((r) => r.kind === step.kind && stableJson(r.config) === stableJson(step.config))) continue;
      started.push((await this.startRun(step.kind, step.config, `reproduce ${mode}: ${step.kind} / ${step.preset}`)).id);
    }
    return { started };
  }

  async reproductionReport(): Promise<{ html: string; pdfBase64: string }> {
    const runs = this.store.runs.list({ status: 'done', limit: 10_000 });
    const report = claimsReport(runs);
    const ctx = reportContext(report, runs, { node: process.version, 'der-workbench': version() });
    return { html: reportHtml(report, ctx), pdfBase64: (await reportPdf(report, ctx)).toString('base64') };
  }

  /** Imports every run of a workbench export (its text) in one transaction: a bad or colliding file imports nothing. */
  async importRuns(text: string): Promise<ImportResult> {
    return this.importItems(async () => parseExport(text, 'import').map((run) => ({ kind: 'exported' as const, run, origin: 'import' })));
  }

  /**
   * Imports uploaded files (the app): each `name` may be a relative path, so a TensorBoard log folder or an
   * `mlruns/` folder arrives whole. They are written to a private temporary folder and read like `der import`.
   */
  async importFiles(files: Array<{ name: string; base64: string }>): Promise<ImportResult> {
    const dir = mkdtempSync(join(tmpdir(), 'der-import-'));
    try {
      const roots = new Set<string>();
      for (const f of files) {
        const rel = safeRelativePath(f.name);
        if (!rel) throw new ApiError('invalid_input', `import: "${f.name}" is not a file name`);
        const target = join(dir, ...rel.split('/'));
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, Buffer.from(f.base64, 'base64'));
        roots.add(rel.split('/')[0]);
      }
      return await this.importPaths([...roots].sort().map((r) => ({ path: join(dir, r), origin: r })));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Imports files and folders (der import): all are read and checked before anything is written. */
  async importPaths(sources: Array<{ path: string; origin: string }>, onProgress?: ImportProgress): Promise<ImportResult> {
    return this.importItems(async () => {
      const items: ImportItem[] = [];
      for (const [i, src] of sources.entries()) {
        items.push(...(await readImportSource(src.path, src.origin, onProgress && ((f, m) => onProgress((i + f) / sources.length / 2, m)))));
      }
      return items;
    }, onProgress && ((f, m) => onProgress(0.5 + f / 2, m)));
  }

  private async importItems(read: () => Promise<ImportItem[]>, onWrite?: ImportProgress): Promise<ImportResult> {
    let ids: string[];
    try {
      ids = commitImport(this.store, await read(), newRunId, onWrite);
    } catch (err) {
      if (err instanceof ImportError) throw new ApiError(err.code, `import: ${err.message}`);
      throw err;
    }
    for (const id of ids) this.queue.publish({ type: 'runChanged', run: this.mustGet(id) });
    return { imported: ids, skipped: [] };
  }
}
