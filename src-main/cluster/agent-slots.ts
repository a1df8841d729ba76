/**
 * An agent arbitrates no exclusive slot inside runs, so a kind that measures inside an otherwise parallel run
 * (its latency probes) runs alone there, like a timing kind.
 */
export function runsAloneOnAgent(def: { timing: boolean; measuresInside?: boolean }): boolean {
  return def.timing || def.measuresInside === true;
}

/**
 * At most `capacity` runs at once; a timing run only when nothing else runs, and nothing beside it, so its
 * clock readings are not shared with another job's load (the same rule as the local queue).
 */
export class Slots {
  private running = 0;
  private timingRunning = false;
  private timingWaiting = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly capacity: number) {}

  async acquire(timing: boolean): Promise<void> {
    if (timing) this.timingWaiting++;
    for (;;) {
      const free = timing ? this.running === 0 : !this.timingRunning && this.timingWaiting === 0 && this.running < this.capacity;
      if (free) break;
      await new Promise<void>((r) => this.waiters.push(r));
    }
    if (timing) (this.timingWaiting--, (this.timingRunning = true));
    this.running++;
  }

  release(timing: boolean): void {
    this.running--;
    if (timing) this.timingRunning = false;
    for (const w of this.waiters.splice(0)) w();
  }
}
