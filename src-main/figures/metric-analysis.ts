/**
 * What a metric page does to the series before drawing them: TensorBoard's debiased exponential smoothing,
 * the search over keys, and grouping of keys by prefix (`train/…`, `val/…`) or, to put the methods of one run
 * side by side, by the rest of the key (`none/loss` beside `entropy/loss`).
 */

/**
 * Exponential moving average with TensorBoard's debiasing: last = last·w + (1 − w)·v, shown as
 * last / (1 − w^k) after k finite values, so the first points are not pulled towards 0. Non-finite values
 * stay gaps and do not move the average. w = 0 returns the values unchanged.
 */
export function emaSmooth(values: ReadonlyArray<number | null>, weight: number): Array<number | null> {
  const w = Math.min(Math.max(weight, 0), 0.999);
  const out: Array<number | null> = new Array(values.length);
  let last = 0;
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || !Number.isFinite(v)) {
      out[i] = null;
      continue;
    }
    last = last * w + (1 - w) * v;
    k++;
    const debias = w === 0 ? 1 : 1 - w ** k;
    out[i] = last / debias;
  }
  return out;
}

/** Keys matching a search: words in any order, case-insensitive; `/re/` for a regular expression. */
export function filterKeys(keys: readonly string[], query: string): string[] {
  const q = query.trim();
  if (!q) return [...keys];
  const re = /^\/(.+)\/([a-z]*)$/.exec(q);
  if (re) {
    try {
      const rx = new RegExp(re[1], re[2].includes('i') ? re[2] : `${re[2]}i`);
      return keys.filter((k) => rx.test(k));
    } catch {
      return [];
    }
  }
  const words = q.toLowerCase().split(/\s+/);
  return keys.filter((k) => words.every((w) => k.toLowerCase().includes(w)));
}

export interface KeyGroup {
  /** The shared part: the prefix (`train`), or the rest of the key when overlaying methods (`loss`). */
  name: string;
  /** One chart's keys. */
  charts: Array<{ title: string; keys: string[]; names: string[] }>;
}

const head = (k: string): string => (k.includes('/') ? k.slice(0, k.indexOf('/')) : '');
const tail = (k: string): string => (k.includes('/') ? k.slice(k.indexOf('/') + 1) : k);

/**
 * 'prefix': a section per first key segment, a chart per key. 'overlay': a chart per key remainder with one
 * line per first segment (the methods of one run side by side); keys without a prefix get their own chart.
 */
export function groupKeys(keys: readonly string[], mode: 'prefix' | 'overlay'): KeyGroup[] {
  const groups = new Map<string, KeyGroup>();
  const group = (name: string): KeyGroup => {
    let g = groups.get(name);
    if (!g) groups.set(name, (g = { name, charts: [] }));
    return g;
  };
  if (mode === 'prefix') {
    for (const k of keys) group(head(k)).charts.push({ title: k, keys: [k], names: [k] });
  } else {
    const byTail = new Map<string, string[]>();
    for (const k of keys) byTail.set(tail(k), [...(byTail.get(tail(k)) ?? []), k]);
    for (const [t, ks] of byTail) {
      const g = group(ks.length > 1 ? 'overlaid' : head(ks[0]));
      g.charts.push({ title: ks.length > 1 ? t : ks[0], keys: ks, names: ks.length > 1 ? ks.map((k) => head(k) || k) : ks });
    }
  }
  return [...groups.values()].sort((a, b) => (a.name === '' ? 1 : b.name === '' ? -1 : a.name.localeCompare(b.name)));
}
