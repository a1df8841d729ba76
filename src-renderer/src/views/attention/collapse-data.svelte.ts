/**
 * What the attention panel's collapse section fetches: every `<prefix>/collapse/…` series of the run (a few
 * dozen points each), again only when one of them grew.
 */
import type { MetricSeries, RunDetail } from '../../../../src-main/api/contract';
import { collapseKeys } from '../../../../src-main/figures/attention-collapse';
import { RunPanelData } from '../../run-panel-data';
import { api, describeError } from '../../api';

const MAX_POINTS = 2000;

export class CollapseRunData extends RunPanelData {
  series: MetricSeries[] = $state.raw([]);
  error: string | null = $state(null);
  loaded = $state(false);

  private signature = '';

  constructor(readonly runId: string) {
    super();
  }

  protected async load(run: RunDetail): Promise<void> {
    const wanted = new Set(collapseKeys(run.series.map((s) => s.key)).map((k) => k.key));
    const infos = run.series.filter((s) => wanted.has(s.key));
    const signature = infos.map((s) => `${s.key}:${s.count}:${s.maxStep}`).join('|');
    if (signature === this.signature) {
      this.loaded = true;
      return;
    }
    try {
      const series = infos.length ? await api.getMetrics(run.id, infos.map((s) => s.key), { maxPoints: MAX_POINTS }) : [];
      if (this.disposed) return;
      this.series = series;
      this.signature = signature;
      this.error = null;
    } catch (err) {
      if (!this.disposed) this.error = describeError(err).message;
    } finally {
      if (!this.disposed) this.loaded = true;
    }
  }
}
