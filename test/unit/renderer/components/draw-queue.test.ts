import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

describe('chart draws, one per frame', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.resetModules();
  });
  afterEach(() => vi.useRealTimers());

  it('draws the first at once and the next ones one per frame, each owner only its newest draw, a cancelled one never', async () => {
    const { scheduleDraw } = await import('../../../../src-renderer/src/components/draw-queue');
    const done: string[] = [];
    const a = {};
    const b = {};
    const c = {};
    scheduleDraw(a, () => done.push('a1'));
    expect(done).toEqual(['a1']);
    scheduleDraw(b, () => done.push('b1'));
    scheduleDraw(c, () => done.push('c1'));
    scheduleDraw(b, () => done.push('b2'));
    const cancel = scheduleDraw(a, () => done.push('a2'));
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
    scheduleDraw(c, () => done.push('c2'));
    expect(done.at(-1)).toBe('c2');
  });
});
