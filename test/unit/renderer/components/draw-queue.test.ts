import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

describe('chart draws, one per frame', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.resetModules();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  /** A clock that only the draws move: each draw "takes" `cost` ms. */
  function clockedDraws(cost: number): { done: string[]; draw: (name: string) => () => void } {
    let t = 0;
    vi.stubGlobal('performance', { now: () => t });
    const done: string[] = [];
    return {
      done,
      draw: (name) => () => {
        t += cost;
        done.push(name);
      },
    };
  }

  it('draws the first at once and the next ones after a frame, one per frame when each fills the budget; each owner only its newest draw, a cancelled one never', async () => {
    const { done, draw } = clockedDraws(20);
    const { scheduleDraw } = await import('../../../../src-renderer/src/components/draw-queue');
    const a = {};
    const b = {};
    const c = {};
    scheduleDraw(a, draw('a1'));
    expect(done).toEqual(['a1']);
    scheduleDraw(b, draw('b1'));
    scheduleDraw(c, draw('c1'));
    scheduleDraw(b, draw('b2'));
    const cancel = scheduleDraw(a, draw('a2'));
    cancel();
    expect(done).toEqual(['a1']);
    // No frames here (a node test): the fallback timer stands in for "after the next frame".
    vi.advanceTimersByTime(100);
    expect(done).toEqual(['a1', 'b2']);
    vi.advanceTimersByTime(100);
    expect(done).toEqual(['a1', 'b2', 'c1']);
    vi.advanceTimersByTime(500);
    expect(done).toEqual(['a1', 'b2', 'c1']);
    // Idle again: the next draw runs at once.
    scheduleDraw(c, draw('c2'));
    expect(done.at(-1)).toBe('c2');
  });

  it('draws as many cheap charts per frame as fit the budget', async () => {
    const { done, draw } = clockedDraws(5);
    const { scheduleDraw } = await import('../../../../src-renderer/src/components/draw-queue');
    scheduleDraw({}, draw('first'));
    for (let i = 0; i < 6; i++) scheduleDraw({}, draw(`q${i}`));
    expect(done).toEqual(['first']);
    // 12 ms per frame at 5 ms each: three draws (the third crosses the budget), then the next frame.
    vi.advanceTimersByTime(100);
    expect(done).toEqual(['first', 'q0', 'q1', 'q2']);
    vi.advanceTimersByTime(100);
    expect(done).toEqual(['first', 'q0', 'q1', 'q2', 'q3', 'q4', 'q5']);
  });

  it('draws the queued charts on screen before the ones below the fold, in queue order within each', async () => {
    class FakeElement {
      constructor(readonly top: number) {}
      getBoundingClientRect(): { top: number; bottom: number; left: number; right: number; width: number; height: number } {
        return { top: this.top, bottom: this.top + 200, left: 0, right: 600, width: 600, height: 200 };
      }
    }
    vi.stubGlobal('Element', FakeElement);
    vi.stubGlobal('window', { innerHeight: 800, innerWidth: 1000 });
    vi.stubGlobal('document', { documentElement: { clientHeight: 800, clientWidth: 1000 } });
    const { scheduleDraw } = await import('../../../../src-renderer/src/components/draw-queue');
    const done: string[] = [];
    const first = new FakeElement(0);
    const below1 = new FakeElement(2000);
    const below2 = new FakeElement(3000);
    const shown = new FakeElement(500);
    scheduleDraw(first, () => done.push('first'));
    scheduleDraw(below1, () => done.push('below1'));
    scheduleDraw(below2, () => done.push('below2'));
    scheduleDraw(shown, () => done.push('shown'));
    vi.advanceTimersByTime(300);
    expect(done).toEqual(['first', 'shown', 'below1', 'below2']);
  });
});
