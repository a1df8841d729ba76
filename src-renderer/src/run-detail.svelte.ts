/**
 * One run's page data: the detail (config, summary, series, artifacts, logs) and its metric series, refreshed
 * while the run is active. The live status and progress come from the shared run list, which events keep fresh.
 */
import type { MetricSeries, Run, RunDetail } from '../../src-main/api/contract';
import { api, describeError } from './api';
import { isActive, runsState } from './runs.svelte';

export const MAX_POINTS = 2000;

export class RunDetailState {
  detail: RunDetail | null = $state.raw(null);
  /** Large arrays: kept raw so Svelte does not proxy every point. */
  metrics: MetricSeries[] = $state.raw([]);
  error: string | null = $state(null);
  notFound = $state(false);
  loading = $state(false);

  /** The freshest view of the run: the live list entry when there is one, else the last fetched detail. */
  readonly run: Run | null = $derived.by(() => runsState.get(this.id) ?? this.detail);
  readonly active = $derived.by(() => (this.run ? isActive(this.run) : false));

  private inFlight: Promise<void> | null = null;
  private again = false;
  private disposed = false;

  /** The first answer, asked for as the page's state is made (before the page renders); the first load takes it. */
  private early: Promise<RunDetail> | null;

  constructor(readonly id: string) {
    this.early = this.fetch();
    // The load that takes it handles its failure; this only keeps an early failure from counting as unhandled.
    this.early.catch(() => {});
  }

  /** The run and every series in one answer: the first chart draws after one round trip, not two. */
  private fetch(): Promise<RunDetail> {
    return api.getRun(this.id, { metrics: { maxPoints: MAX_POINTS } });
  }

  /** Fetches the detail with its metrics; calls made while one is running coalesce into one more. */
  refresh(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.inFlight = this.load().finally(() => {
      this.inFlight = null;
      if (this.again && !this.disposed) {
        this.again = false;
        void this.refresh();
      }
    });
    return this.inFlight;
  }

  private async load(): Promise<void> {
    this.loading = true;
    try {
      const answer = this.early ?? this.fetch();
      this.early = null;
      const { metrics = [], ...detail } = await answer;
      if (this.disposed) return;
      this.detail = detail;
      this.metrics = metrics;
      this.error = null;
      this.notFound = false;
    } catch (err) {
      const e = describeError(err);
      if (e.code === 'not_found') this.notFound = true;
      else this.error = e.message;
    } finally {
      this.loading = false;
    }
  }

  async update(patch: { name?: string; tags?: string[]; notes?: string }): Promise<void> {
    const run = await api.updateRun(this.id, patch);
    runsState.upsert(run);
    if (this.detail) this.detail = { ...this.detail, ...run };
  }

  dispose(): void {
    this.disposed = true;
  }
}
