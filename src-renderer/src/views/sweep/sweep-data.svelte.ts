/**
 * The children of a sweep. A finished sweep lists them in its summary; a running one does not, so this asks
 * for the child runs (`listRuns({parentId})`) and reads each child's grid point once from the parent's
 * `child-NNNN.json` artifacts (written when the sweep starts, in grid order).
 */
import type { Run, RunDetail } from '../../../../src-main/api/contract';
import { paramsFromConfig, sweepInfo, type SweepChild } from '../../../../src-main/figures/sweep';
import { RunPanelData } from '../../run-panel-data';
import { api, describeError } from '../../api';
import { base64ToBytes } from '../../download';

export class SweepRunData extends RunPanelData {
  /** Children of a sweep still running (a finished one's come from its summary). */
  live: SweepChild[] = $state.raw([]);
  error: string | null = $state(null);
  loaded = $state(false);

  /** Artifact name → child run id and params, read once each. */
  private readonly points = new Map<string, { runId: string; params: Record<string, unknown> }>();

  constructor(readonly runId: string) {
    super();
  }

  protected async load(run: RunDetail): Promise<void> {
    if (Array.isArray(run.summary?.children)) {
      this.loaded = true;
      return;
    }
    try {
      const names = run.artifacts.filter((a) => /^child-\d+\.json$/.test(a.name) && !this.points.has(a.name)).map((a) => a.name);
      const read = await Promise.all(
        names.map(async (name) => {
          const a = await api.getArtifact(run.id, name);
          const body = JSON.parse(new TextDecoder().decode(base64ToBytes(a.base64))) as { runId?: unknown; params?: unknown };
          return { name, body };
        }),
      );
      for (const { name, body } of read) {
        if (typeof body.runId === 'string') this.points.set(name, { runId: body.runId, params: (body.params ?? {}) as Record<string, unknown> });
      }
      const runs: Run[] = await api.listRuns({ parentId: run.id, limit: 1000 });
      if (this.disposed) return;
      const info = sweepInfo(null, run.config);
      const byId = new Map(runs.map((r) => [r.id, r]));
      const ordered = [...this.points.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, p]) => p);
      const known = new Set(ordered.map((p) => p.runId));
      const rest = runs.filter((r) => !known.has(r.id)).sort((a, b) => a.name.localeCompare(b.name));
      this.live = [
        ...ordered.map((p) => {
          const r = byId.get(p.runId);
          return { runId: p.runId, params: p.params, status: r?.status ?? 'deleted', error: r?.error ?? null, summary: r?.summary ?? null, host: r?.host ?? null };
        }),
        ...rest.map((r) => ({ runId: r.id, params: paramsFromConfig(r.config, info.grid, info.variants), status: r.status, error: r.error, summary: r.summary, host: r.host })),
      ];
      this.error = null;
    } catch (err) {
      if (!this.disposed) this.error = describeError(err).message;
    } finally {
      if (!this.disposed) this.loaded = true;
    }
  }

}
