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

  /** The newest zoom the user made on a chart itself; zooms that follow it by the shared cursor wait for it. */
  private lead: Promise<void> = Promise.resolve();

  /**
   * `direct` false: the zoom follows another chart's (charts over the same steps zoom together); it is asked
   * for after that chart's data has arrived, so the chart the user brushed is re-queried and drawn first.
   */
  async zoom(chart: string, keys: string[], range: [number, number], withWallTime = false, direct = true): Promise<void> {
    const fromStep = Math.floor(Math.min(range[0], range[1]));
    const toStep = Math.ceil(Math.max(range[0], range[1]));
    const mine = (this.seq.get(chart) ?? 0) + 1;
    this.seq.set(chart, mine);
    let done = (): void => {};
    if (direct) this.lead = new Promise((resolve) => (done = resolve));
    else {
      // The brushed chart hears its own zoom after the charts that follow it: let it start first.
      await new Promise((resolve) => setTimeout(resolve, 0));
      await this.lead;
      if (mine !== this.seq.get(chart)) return;
    }
    try {
      const series = await api.getMetrics(this.runId, keys, { maxPoints: MAX_POINTS, fromStep, toStep, withWallTime });
      if (mine !== this.seq.get(chart)) return;
      const next = new Map(this.zoomed);
      next.set(chart, { range: [fromStep, toStep], series });
      this.zoomed = next;
      this.error = null;
    } catch (err) {
      this.error = describeError(err).message;
    } finally {
      done();
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
