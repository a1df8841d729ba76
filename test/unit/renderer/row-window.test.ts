import { describe, expect, it } from 'vitest';
import { assignSlots, rowWindow, slotCount, slotOrder, type Slot } from '../../../src-renderer/src/row-window';

const H = 36;

describe('rowWindow', () => {
  it('covers the viewport and the overscan on each side, in as many rows as there are slots, clamped to the list', () => {
    // 17 rows on screen (600 / 36): 38 slots.
    expect(slotCount(600, H, 10)).toBe(38);
    expect(rowWindow(0, 600, H, 10_000, 10)).toEqual({ first: 0, last: 38 });
    // Row 100 at the top: 10 rows above it; 17 on screen and at least 10 below.
    expect(rowWindow(100 * H, 600, H, 10_000, 10)).toEqual({ first: 90, last: 128 });
    expect(rowWindow(100.5 * H, 600, H, 10_000, 10)).toEqual({ first: 90, last: 128 });
    expect(rowWindow(9_990 * H, 600, H, 10_000, 10)).toEqual({ first: 9_973, last: 10_000 });
    expect(rowWindow(0, 600, H, 5, 10)).toEqual({ first: 0, last: 5 });
    expect(rowWindow(0, 600, H, 0, 10)).toEqual({ first: 0, last: 0 });
  });

  it('never leaves the window past the end of a list that became shorter', () => {
    // Scrolled far down a long list, then a filter left 11 rows: all 11 are in the window at once.
    expect(rowWindow(5_000 * H, 600, H, 11, 10)).toEqual({ first: 0, last: 11 });
    expect(rowWindow(5_000 * H, 600, H, 40, 10)).toEqual({ first: 13, last: 40 });
  });

  it('holds as many rows as slotCount, fewer only at the end of the list, at any scroll position, height and length', () => {
    for (const height of [1, 35, 36, 37, 600, 611.5, 1000]) {
      const n = slotCount(height, H, 10);
      for (const count of [0, 1, 17, 27, 28, 10_000]) {
        for (let top = 0; top <= count * H; top += 7.25) {
          const { first, last } = rowWindow(top, height, H, count, 10);
          expect(first).toBeGreaterThanOrEqual(0);
          expect(last).toBeLessThanOrEqual(count);
          expect(last - first).toBe(Math.min(n, count - first));
          if (count >= n && last < count) expect(last - first).toBe(n);
          // The rows on screen are in the window.
          if (count > 0) {
            expect(first).toBeLessThanOrEqual(Math.min(count - 1, Math.floor(top / H)));
            expect(last).toBeGreaterThanOrEqual(Math.min(count, Math.ceil((top + height) / H) + 10));
            expect(first).toBeLessThanOrEqual(Math.max(0, Math.floor(top / H) - 10));
          }
          if (top > 3 * H * 40) top += H * 97;
        }
      }
    }
  });
});

describe('assignSlots', () => {
  const rows = Array.from({ length: 200 }, (_, i) => ({ id: `run-${i}` }));
  const rowAt = (i: number): { id: string } => rows[i];

  it('puts each row of the window in exactly one slot, row i in slot i mod n', () => {
    const slots = assignSlots(10, 16, 6, rowAt, []);
    expect(slots.map((s) => s?.index)).toEqual([12, 13, 14, 15, 10, 11]);
    expect(slots.map((s) => s?.row.id)).toEqual(['run-12', 'run-13', 'run-14', 'run-15', 'run-10', 'run-11']);
    expect(assignSlots(0, 3, 6, rowAt, []).map((s) => s?.index ?? null)).toEqual([0, 1, 2, null, null, null]);
  });

  it('keeps the slot object of every row that stays when the window moves, and fills the freed slot with the row coming in', () => {
    let slots: Array<Slot<{ id: string }> | null> = assignSlots(10, 16, 6, rowAt, []);
    const before = [...slots];
    slots = assignSlots(11, 17, 6, rowAt, slots);
    for (let j = 0; j < 6; j++) {
      if (j === 4) expect(slots[j]).toEqual({ index: 16, row: rows[16] });
      else expect(slots[j]).toBe(before[j]);
    }
    // Scrolling back: row 10 returns to its slot.
    slots = assignSlots(10, 16, 6, rowAt, slots);
    expect(slots[4]).toEqual({ index: 10, row: rows[10] });
    expect(slots[0]).toBe(before[0]);
  });

  it('gives a new slot object when the row at an index changed (a reloaded page, an opened sweep)', () => {
    const first = assignSlots(0, 4, 6, rowAt, []);
    const changed = { id: 'run-2 again' };
    const second = assignSlots(0, 4, 6, (i) => (i === 2 ? changed : rows[i]), first);
    expect(second[2]).toEqual({ index: 2, row: changed });
    expect(second[1]).toBe(first[1]);
  });

  it('starts afresh when the number of slots changed (the viewport was resized)', () => {
    const six = assignSlots(10, 16, 6, rowAt, []);
    const eight = assignSlots(10, 16, 8, rowAt, six);
    expect(eight.map((s) => s?.index ?? null)).toEqual([null, null, 10, 11, 12, 13, 14, 15]);
    expect(eight.filter((s) => s !== null && six.includes(s))).toEqual([]);
  });

  it('refuses a window larger than the slots', () => {
    expect(() => assignSlots(0, 7, 6, rowAt, [])).toThrow(RangeError);
  });
});

describe('slotOrder', () => {
  const rows = Array.from({ length: 200 }, (_, i) => ({ id: `run-${i}` }));
  const rowAt = (i: number): { id: string } => rows[i];
  const indexes = (slots: Array<Slot<{ id: string }> | null>, order: number[]): number[] => order.map((j) => slots[j]!.index);

  it('once settled, lists the filled slots in the order of their rows', () => {
    const slots = assignSlots(10, 16, 6, rowAt, []);
    expect(indexes(slots, slotOrder(slots, [], true))).toEqual([10, 11, 12, 13, 14, 15]);
    const short = assignSlots(0, 3, 6, rowAt, []);
    expect(slotOrder(short, [], true)).toEqual([0, 1, 2]);
  });

  it('while scrolling, keeps every element where it is and puts newly filled slots last', () => {
    let slots = assignSlots(10, 16, 6, rowAt, []);
    const settled = slotOrder(slots, [], true);
    slots = assignSlots(12, 18, 6, rowAt, slots);
    const scrolling = slotOrder(slots, settled, false);
    // Rows 16 and 17 took the slots of rows 10 and 11: same places in the DOM, now out of row order.
    expect(scrolling).toEqual(settled);
    expect(indexes(slots, scrolling)).toEqual([16, 17, 12, 13, 14, 15]);
    expect(indexes(slots, slotOrder(slots, scrolling, true))).toEqual([12, 13, 14, 15, 16, 17]);
    // A slot emptied (the list's end) drops out; one filled again goes last.
    const few = assignSlots(0, 4, 6, rowAt, []);
    const fewOrder = slotOrder(few, [], true);
    const more = assignSlots(0, 6, 6, rowAt, few);
    expect(slotOrder(more, fewOrder, false)).toEqual([0, 1, 2, 3, 4, 5]);
    const fewer = assignSlots(0, 2, 6, rowAt, more);
    expect(slotOrder(fewer, [3, 0, 5, 1], false)).toEqual([0, 1]);
  });
});
