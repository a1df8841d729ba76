import type { RunDetail } from '../../src-main/api/contract';

/**
 * The fetch discipline every run panel's data class shares: `sync(detail)` brings the panel up to date with
 * the run detail (which the Run page refreshes while the run is active); calls made while a fetch is under way
 * coalesce into one more, and nothing is written after `dispose()`.
 */
export abstract class RunPanelData {
  private inFlight: Promise<void> | null = null;
  private pending: RunDetail | null = null;
  protected disposed = false;

  sync(run: RunDetail): Promise<void> {
    if (this.inFlight) {
      this.pending = run;
      return this.inFlight;
    }
    this.inFlight = this.load(run).finally(() => {
      this.inFlight = null;
      const next = this.pending;
      this.pending = null;
      if (next && !this.disposed) void this.sync(next);
    });
    return this.inFlight;
  }

  protected abstract load(run: RunDetail): Promise<void>;

  dispose(): void {
    this.disposed = true;
  }
}
