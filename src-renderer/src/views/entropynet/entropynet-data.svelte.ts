/**
 * What the EntropyNet panel fetches beyond the run detail: the per-epoch series its curves draw, the
 * `before-after.json` artifact (Fig. 10) and, while the pipeline evaluation is still going, its timing rows.
 * Each is fetched again only when it grew, so the run page's once-a-second refresh costs nothing here.
 */
import type { MetricSeries, RunDetail, TimingSample } from '../../../../src-main/api/contract';
import { TRAINING_KEYS, parseBeforeAfter, type BeforeAfter } from '../../../../src-main/figures/entropynet';
import { RunPanelData } from '../../run-panel-data';
import { api, describeError } from '../../api';
import { base64ToBytes } from '../../download';

export const BEFORE_AFTER = 'before-after.json';
const MAX_POINTS = 5000;

export class EntropyNetRunData extends RunPanelData {
  metrics: MetricSeries[] = $state.raw([]);
  beforeAfter: BeforeAfter | null = $state.raw(null);
  timings: TimingSample[] = $state.raw([]);
  metricsError: string | null = $state(null);
  beforeAfterError: string | null = $state(null);
  timingsError: string | null = $state(null);
  metricsLoaded = $state(false);
  beforeAfterLoading = $state(false);

  private signature = '';
  private artifactSize = -1;
  private timingsAt = 0;

  constructor(readonly runId: string) {
    super();
  }

  protected async load(run: RunDetail): Promise<void> {
    const series = run.series.filter((s) => TRAINING_KEYS.includes(s.key));
    const signature = series.map((s) => `${s.key}:${s.count}:${s.maxStep}`).join('|');
    if (signature !== this.signature) {
      try {
        const metrics = series.length ? await api.getMetrics(run.id, series.map((s) => s.key), { maxPoints: MAX_POINTS }) : [];
        if (this.disposed) return;
        this.metrics = metrics;
        this.signature = signature;
        this.metricsError = null;
      } catch (err) {
        if (!this.disposed) this.metricsError = describeError(err).message;
      } finally {
        if (!this.disposed) this.metricsLoaded = true;
      }
    }

    const artifact = run.artifacts.find((a) => a.name === BEFORE_AFTER);
    if (artifact && artifact.size !== this.artifactSize) {
      this.beforeAfterLoading = true;
      try {
        const a = await api.getArtifact(run.id, BEFORE_AFTER);
        if (this.disposed) return;
        const parsed = parseBeforeAfter(JSON.parse(new TextDecoder().decode(base64ToBytes(a.base64))), { ...artifact.meta, ...a.meta });
        this.beforeAfter = parsed;
        this.beforeAfterError = parsed ? null : `${BEFORE_AFTER} has no point sets and hulls this view can read`;
        this.artifactSize = artifact.size;
      } catch (err) {
        if (!this.disposed) this.beforeAfterError = describeError(err).message;
      } finally {
        if (!this.disposed) this.beforeAfterLoading = false;
      }
    }

    // Timing rows only matter while the summary has no pipeline table; every 5 s at most while running.
    const hasPipeline = Array.isArray(run.summary?.pipeline);
    const active = run.status === 'running' || run.status === 'queued';
    const now = Date.now();
    if (!hasPipeline && artifact && (this.timingsAt === 0 || (active && now - this.timingsAt > 5000))) {
      this.timingsAt = now;
      try {
        const t = await api.getTimings(run.id);
        if (!this.disposed) (this.timings = t), (this.timingsError = null);
      } catch (err) {
        if (!this.disposed) this.timingsError = describeError(err).message;
      }
    }
  }

}
