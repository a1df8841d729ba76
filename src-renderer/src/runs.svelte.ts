/**
 * The run list, loaded once and then kept live by the event stream: runChanged replaces or inserts a run,
 * runDeleted removes it, runProgress moves its bar. After the stream reconnects the list is reloaded, since
 * events sent while it was down are gone.
 */
import type { ApiEvent, Run, RunStatus } from '../../src-main/api/contract';
import { api, describeError, onConnection } from './api';

export const ACTIVE_STATUSES: ReadonlySet<RunStatus> = new Set(['queued', 'running']);
export const isActive = (run: Pick<Run, 'status'>): boolean => ACTIVE_STATUSES.has(run.status);

class RunsState {
  runs: Run[] = $state([]);
  loaded = $state(false);
  loading = $state(false);
  error: string | null = $state(null);
  live = $state(false);
  readonly anyActive = $derived(this.runs.some(isActive));

  private started = false;
  private reloadAgain = false;

  /** Subscribes once for the life of the page; later calls do nothing. */
  start(): void {
    if (this.started) return;
    this.started = true;
    api.onEvent((e) => this.apply(e));
    let wasLive = false;
    onConnection((live) => {
      this.live = live;
      if (live && !wasLive && this.loaded) void this.reload();
      wasLive = live;
    });
    void this.reload();
  }

  async reload(): Promise<void> {
    if (this.loading) {
      this.reloadAgain = true;
      return;
    }
    this.loading = true;
    try {
      this.runs = await api.listRuns({ limit: 500 });
      this.error = null;
      this.loaded = true;
    } catch (err) {
      this.error = describeError(err).message;
    } finally {
      this.loading = false;
    }
    if (this.reloadAgain) {
      this.reloadAgain = false;
      await this.reload();
    }
  }

  get(id: string): Run | undefined {
    return this.runs.find((r) => r.id === id);
  }

  apply(e: ApiEvent): void {
    if (e.type === 'runChanged') this.upsert(e.run);
    else if (e.type === 'runDeleted') this.remove(e.id);
    else {
      const run = this.get(e.id);
      if (run && isActive(run)) {
        run.progress = e.fraction;
        run.progressMessage = e.message;
      }
    }
  }

  upsert(run: Run): void {
    const i = this.runs.findIndex((r) => r.id === run.id);
    if (i >= 0) {
      this.runs[i] = run;
      return;
    }
    // Newest first, as listRuns orders them.
    const at = this.runs.findIndex((r) => r.createdAt < run.createdAt);
    if (at < 0) this.runs.push(run);
    else this.runs.splice(at, 0, run);
  }

  remove(id: string): void {
    const i = this.runs.findIndex((r) => r.id === id);
    if (i >= 0) this.runs.splice(i, 1);
  }

  async cancel(id: string): Promise<void> {
    this.upsert(await api.cancelRun(id));
  }

  async delete(id: string): Promise<void> {
    await api.deleteRun(id);
    this.remove(id);
  }
}

export const runsState = new RunsState();
