/**
 * What the entropy panel fetches beyond the run detail: the `fit/*`, `est/*` and `val/*` series (every raw row,
 * so the margin-vs-error figure can join them by step) and the `fit-states.json` artifact. Fetched again only
 * when the series grow, so the run page's once-a-second refresh of an active run costs nothing here.
 */
import type { MetricSeries, RunDetail, SeriesInfo } from '../../../../src-main/api/contract';
import { parseFitStates, type FitState } from '../../../../src-main/figures/entropy';
import { RunPanelData } from '../../run-panel-data';
import { api, describeError } from '../../api';
import { base64ToBytes } from '../../download';

/** Above this many rows a series comes downsampled (min/max buckets) and the panel says so. */
const MAX_POINTS = 200_000;
export const FIT_STATES = 'fit-states.json';

/** The series the figures read; `val/fit_*` are one-row copies of the summary's fits. */
function wanted(s: SeriesInfo): boolean {
  return s.key.startsWith('fit/') || s.key.startsWith('est/') || (s.key.startsWith('val/') && !s.key.startsWith('val/fit_'));
}

export class EntropyRunData extends RunPanelData {
  /** Large arrays: kept raw so Svelte does not proxy every point. */
  metrics: MetricSeries[] = $state.raw([]);
  fitStates: FitState[] | null = $state.raw(null);
  metricsError: string | null = $state(null);
  statesError: string | null = $state(null);
  metricsLoaded = $state(false);
  statesLoading = $state(false);

  private signature = '';
  private statesSize = -1;

  constructor(readonly runId: string) {
    super();
  }

  protected async load(run: RunDetail): Promise<void> {
    const series = run.series.filter(wanted);
    const signature = series.map((s) => `${s.key}:${s.count}:${s.maxStep}`).join('|');
    if (signature !== this.signature) {
      try {
        const keys = series.map((s) => s.key);
        // A fixed cap, not the counts in the detail: an active run has logged more rows by the time this reads.
        const metrics = keys.length ? await api.getMetrics(run.id, keys, { maxPoints: MAX_POINTS }) : [];
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
    const artifact = run.artifacts.find((a) => a.name === FIT_STATES);
    if (artifact && artifact.size !== this.statesSize) {
      this.statesLoading = true;
      try {
        const a = await api.getArtifact(run.id, FIT_STATES);
        if (this.disposed) return;
        this.fitStates = parseFitStates(JSON.parse(new TextDecoder().decode(base64ToBytes(a.base64))));
        this.statesSize = artifact.size;
        this.statesError = null;
      } catch (err) {
        if (!this.disposed) this.statesError = describeError(err).message;
      } finally {
        if (!this.disposed) this.statesLoading = false;
      }
    }
  }

}
