/**
 * The rows of a virtualised list that are in the DOM: which display indexes a scroll position needs, and which
 * element slot shows each. Row i goes in slot i mod n, so a row that stays in the window while scrolling keeps its
 * element untouched, and a row entering takes over the element of the row that just left at the other end: the
 * element's text and attributes change, nothing is created or removed.
 *
 *   display rows  …  8   9 │10  11  12  13  14  15│16  17 …      window [10, 16), n = 6
 *   slot          …  2   3 │ 4   5   0   1   2   3│ 4   5 …      scrolling one row down: row 16 takes slot 4
 */

/**
 * Display rows [first, last) to render: the rows in the viewport and at least `overscan` more on each side. The
 * window is always slotCount rows long where the list has them, so that while scrolling each row coming in takes the
 * slot of one going out (a shorter window would leave a slot empty for a frame, its element removed and created).
 */
export function rowWindow(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan: number): { first: number; last: number } {
  const onScreen = Math.ceil(viewportHeight / rowHeight);
  // A shorter list after a new filter must not leave the window past its end.
  const first = Math.max(0, Math.min(Math.floor(scrollTop / rowHeight), count - onScreen) - overscan);
  const last = Math.max(first, Math.min(count, first + slotCount(viewportHeight, rowHeight, overscan)));
  return { first, last };
}

/**
 * Slots for a window: the rows on screen (one more when the viewport's edge cuts two rows) and the overscan. A
 * window from rowWindow fills it exactly, except at the list's end.
 */
export function slotCount(viewportHeight: number, rowHeight: number, overscan: number): number {
  return Math.ceil(viewportHeight / rowHeight) + 2 * overscan + 1;
}

export interface Slot<T> {
  /** Display index of the row. */
  index: number;
  row: T;
}

/**
 * Slot j of the result holds the row i of [first, last) with i mod n = j, or null. A slot whose index and row are
 * unchanged is the same object as in `previous`, so a keyed view sees no change in it.
 */
export function assignSlots<T>(first: number, last: number, n: number, rowAt: (i: number) => T, previous: ReadonlyArray<Slot<T> | null>): Array<Slot<T> | null> {
  if (last - first > n) throw new RangeError(`window of ${last - first} rows in ${n} slots`);
  const out: Array<Slot<T> | null> = new Array<Slot<T> | null>(n).fill(null);
  for (let i = first; i < last; i++) {
    const j = i % n;
    const row = rowAt(i);
    const prev = previous.length === n ? previous[j] : null;
    out[j] = prev && prev.index === i && prev.row === row ? prev : { index: i, row };
  }
  return out;
}

/**
 * The order of the slots' elements in the DOM, as positions in `slots`. While the list scrolls, elements stay where
 * they are (moving one costs Chromium about as much as making it) and slots newly filled go last; once it has
 * settled, the order is the rows' order, so that Tab and a screen reader go through the rows as they are seen.
 */
export function slotOrder<T>(slots: ReadonlyArray<Slot<T> | null>, previous: readonly number[], settled: boolean): number[] {
  const filled = slots.flatMap((s, j) => (s ? [j] : []));
  if (settled) return filled.sort((a, b) => slots[a]!.index - slots[b]!.index);
  const kept = previous.filter((j) => slots[j] !== null && slots[j] !== undefined);
  const known = new Set(kept);
  return [...kept, ...filled.filter((j) => !known.has(j)).sort((a, b) => slots[a]!.index - slots[b]!.index)];
}
