/** A shared "now" that ticks once a second while someone watches it (durations of running runs). */
class Clock {
  now = $state(Date.now());
  private timer: ReturnType<typeof setInterval> | null = null;
  private watchers = 0;

  /** Call from an `$effect`; returns the cleanup. */
  watch(): () => void {
    if (this.watchers++ === 0) {
      this.now = Date.now();
      this.timer = setInterval(() => (this.now = Date.now()), 1000);
    }
    return () => {
      if (--this.watchers === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }
}

export const clock = new Clock();
