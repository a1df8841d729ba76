/**
 * The zoomed ranges of a run page's metric charts: a chart zoomed to [from, to] re-queries the store for that
 * step range (the min/max pyramid gives at most MAX_POINTS points of it, so detail appears as one zooms in).
 */
import type { MetricSeries } from '../../../../src-main/api/contract';
import { api, describeError } from '../../api';
import { MAX_POINTS } from '../../run-detail.svelte';

interface Zoomed {
  range: [number, number];
  series: MetricSeries[];
}

export class MetricZoom {
  /** By chart title. */
  zoomed: Map<string, Zoomed> = $state.raw(new Map());
  error: string | null = $state(null);
  /** The latest request per chart: an older answer arriving late is dropped. */
  private seq = new Map<string, number>();

  constructor(private readonly runId: string) {}

  async zoom(chart: string, keys: string[], range: [number, number], withWallTime = false): Promise<void> {
    const fromStep = Math.floor(Math.min(range[0], range[1]));
    const toStep = Math.ceil(Math.max(range[0], range[1]));
    const mine = (this.seq.get(chart) ?? 0) + 1;
    this.seq.set(chart, mine);
    try {
      const series = await api.getMetrics(this.runId, keys, { maxPoints: MAX_POINTS, fromStep, toStep, withWallTime });
      if (mine !== this.seq.get(chart)) return;
      const next = new Map(this.zoomed);
      next.set(chart, { range: [fromStep, toStep], series });
      this.zoomed = next;
      this.error = null;
    } catch (err) {
      this.error = describeError(err).message;
    }
  }

  reset(chart?: string): void {
    if (chart === undefined) {
      this.seq.clear();
      this.zoomed = new Map();
      return;
    }
    this.seq.delete(chart);
    const next = new Map(this.zoomed);
    next.delete(chart);
    this.zoomed = next;
  }
}
