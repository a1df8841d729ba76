/**
 * 3-D maxima (the Pareto set, App. D.1): point i is maximal iff no j dominates it, where j dominates i when
 * xⱼ ≥ xᵢ, yⱼ ≥ yᵢ, zⱼ ≥ zᵢ with at least one strict inequality. Coincident points do not dominate each other,
 * so all copies of a maximal location are returned. Input: flat [x0, y0, z0, x1, …]; output: indices ascending.
 */

/**
 * Sweep, O(n log n) (Kung, Luccio & Preparata 1975 in spirit).
 *
 * Process points by decreasing x, a whole group of equal x at a time. A point is dominated by an earlier group
 * (strictly larger x) iff some earlier point has y ≥ yᵢ and z ≥ zᵢ: a query "max z over y ≥ yᵢ" on a Fenwick
 * tree indexed by descending y-rank (prefix maxima; equal y share a rank, so ≥ is honoured). Inside a group
 * (equal x) dominance is the 2-D one with one strict inequality, settled by a sort on (y, z) descending:
 * a point is dominated by a strictly higher y with z ≥ zᵢ, or by the same y with a strictly larger z. The group
 * enters the tree only after all its members are decided.
 */
export function maxima3dSweep(points: Float64Array): Uint32Array {
  const n = Math.floor(points.length / 3);
  if (n === 0) return new Uint32Array(0);
  const X = (i: number): number => points[3 * i];
  const Y = (i: number): number => points[3 * i + 1];
  const Z = (i: number): number => points[3 * i + 2];

  // Descending y-ranks, equal y sharing one rank.
  const byY = new Uint32Array(n);
  for (let i = 0; i < n; i++) byY[i] = i;
  byY.sort((a, b) => Y(b) - Y(a));
  const rank = new Uint32Array(n);
  let ranks = 0;
  for (let k = 0; k < n; k++) {
    if (k > 0 && Y(byY[k]) !== Y(byY[k - 1])) ranks++;
    rank[byY[k]] = ranks;
  }
  ranks++;
  const tree = new Float64Array(ranks + 1).fill(-Infinity);

  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => X(b) - X(a) || Y(b) - Y(a) || Z(b) - Z(a) || a - b);

  const maximal = new Uint8Array(n);
  let count = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && X(order[end]) === X(order[start])) end++;
    // The group is sorted by y desc, then z desc.
    let bestZHigherY = -Infinity;
    for (let s = start; s < end; ) {
      let e = s + 1;
      while (e < end && Y(order[e]) === Y(order[s])) e++;
      const topZ = Z(order[s]);
      for (let k = s; k < e; k++) {
        const i = order[k];
        const z = Z(i);
        if (bestZHigherY >= z || topZ > z) continue;
        // Max z among earlier groups with y ≥ yᵢ: prefix max over ranks 0 … rank[i].
        let best = -Infinity;
        for (let r = rank[i] + 1; r > 0; r -= r & -r) if (tree[r] > best) best = tree[r];
        if (best >= z) continue;
        maximal[i] = 1;
        count++;
      }
      if (topZ > bestZHigherY) bestZHigherY = topZ;
      s = e;
    }
    for (let k = start; k < end; k++) {
      const i = order[k];
      const z = Z(i);
      for (let r = rank[i] + 1; r <= ranks; r += r & -r) if (tree[r] < z) tree[r] = z;
    }
    start = end;
  }
  const out = new Uint32Array(count);
  for (let i = 0, c = 0; i < n; i++) if (maximal[i]) out[c++] = i;
  return out;
}

/** Elementary steps done by `maxima3dOutputSensitive`: comparisons, staircase probes and shifts. */
export interface MaximaWork {
  steps: number;
}

/**
 * Output-sensitive variant, O(n log h) for h maxima: Kirkpatrick–Seidel's marriage before conquest with Chan's
 * guesses H = 2^(2^t), after cheap rounds of gift wrapping while they pay.
 *
 * Rounds first: the alive point of largest rounded sum is a maximum; it and what it dominates leave. On most
 * inputs the first rounds empty the set (a uniform cube keeps ~1% after one), and then they are the fastest
 * route there is. After each round the average number of points a round removed, r̄, prices finishing by
 * rounds at about alive²/(2r̄) point visits; once that exceeds ALTERNATIVE_COST visits per alive point (what
 * the guesses or the sweep below cost, measured), or the rounds have visited GIFT_CAP·n points (so they stay
 * O(n)), the rest goes to the guesses. A point alive then is maximal among the alive iff it is maximal overall
 * (whatever dominated it was removed by, or is, a maximum already found).
 *
 * Guesses: points are taken in lexicographic order (x, y, z descending, then index), in which every dominator
 * comes before what it dominates. A node (a range of that order) is first filtered against the (y, z)
 * staircase of the maxima already found, all lexicographically larger; a survivor's only possible dominators
 * then lie in its own node, and the node's lexicographically largest survivor is a maximum. So at most h nodes
 * per level survive the filter, and only those are split, into H buckets by median selection (no sort), after
 * pruning what the node's largest-sum point dominates. Nodes of at most H points are sorted and scanned. With
 * h ≤ H the levels cost O(n log H) in all; a guess that finds more than H maxima is abandoned after O(n) work,
 * and once H² > m (m alive points) the O(m log m) sweep is used, which is then O(m log h) since h > m^¼. The
 * first guess is the smallest H at least alive/r̄, the maxima still to come if rounds kept their pace: on points
 * in convex position (r̄ = 1) that goes straight to the sweep instead of failing four guesses first. An
 * overshooting estimate (rounds that removed little although few maxima remain) costs at most the sweep.
 */
const ALTERNATIVE_COST = 48;
const GIFT_CAP = 128;

export function maxima3dOutputSensitive(points: Float64Array, work: MaximaWork = { steps: 0 }): Uint32Array {
  const n = Math.floor(points.length / 3);
  const { alive, count, found, visits } = giftWrap(points, (r) => {
    const pace = (n - r.count) / r.found.length;
    return (r.count * r.count) / (2 * pace) > ALTERNATIVE_COST * r.count || r.visits > GIFT_CAP * n;
  });
  const removed = n - count;
  work.steps += visits;
  if (count === 0) return Uint32Array.from(found).sort();

  const candidates = alive.subarray(0, count);
  const estimate = count / (removed / found.length);
  let rest: Uint32Array | null = null;
  for (let t = 0; !rest; t++) {
    const H = 2 ** (2 ** t);
    if (H < estimate && H * H <= count) continue;
    if (H * H > count) {
      // The sweep is not instrumented; its two sorts are counted as comparison sorts.
      work.steps += 2 * count * Math.ceil(Math.log2(count + 1));
      // Rounds that removed only what they found (points in convex position): the sweep on the input as it
      // is finds those too, without copying the rest out.
      if (removed === found.length) return maxima3dSweep(points);
      const sub = new Float64Array(3 * count);
      for (let k = 0; k < count; k++) {
        const i = candidates[k];
        sub[3 * k] = points[3 * i];
        sub[3 * k + 1] = points[3 * i + 1];
        sub[3 * k + 2] = points[3 * i + 2];
      }
      rest = maxima3dSweep(sub);
      for (let k = 0; k < rest.length; k++) rest[k] = candidates[rest[k]];
    } else rest = maxima3dBoundedGuess(points, H, work, candidates);
  }
  // Both lists ascending (alive keeps input order); merge rather than sort up to n indices.
  found.sort((a, b) => a - b);
  const out = new Uint32Array(found.length + rest.length);
  for (let a = 0, b = 0, k = 0; k < out.length; k++) {
    out[k] = b >= rest.length || (a < found.length && found[a] < rest[b]) ? found[a++] : rest[b++];
  }
  return out;
}

/**
 * One guess of `maxima3dOutputSensitive`: the maxima if there are at most H of them, else null. `candidates`
 * (default: all points) must contain every maximum; the maxima of the candidates are then those of all points.
 */
export function maxima3dBoundedGuess(
  points: Float64Array,
  H: number,
  work: MaximaWork = { steps: 0 },
  candidates?: Uint32Array,
): Uint32Array | null {
  const n = candidates ? candidates.length : Math.floor(points.length / 3);
  const idx = candidates ? candidates.slice() : new Uint32Array(n);
  if (!candidates) for (let i = 0; i < n; i++) idx[i] = i;
  // Staircase of the found maxima projected on (y, z): y ascending, z strictly descending; sx is the largest x
  // seen at that (y, z), which decides whether an equal (y, z) is a copy or a dominator.
  const sy = new Float64Array(H + 1);
  const sz = new Float64Array(H + 1);
  const sx = new Float64Array(H + 1);
  let size = 0;
  const found = new Uint32Array(H);
  let count = 0;
  let steps = 0;

  const before = (a: number, b: number): boolean => {
    steps++;
    for (let d = 0; d < 3; d++) {
      const u = points[3 * a + d];
      const v = points[3 * b + d];
      if (u !== v) return u > v;
    }
    return a < b;
  };
  const order = (a: number, b: number): number => (a === b ? 0 : before(a, b) ? -1 : 1);

  /** First staircase slot with y ≥ `y`. */
  const lowerBound = (y: number): number => {
    let lo = 0;
    let hi = size;
    while (lo < hi) {
      steps++;
      const mid = (lo + hi) >> 1;
      if (sy[mid] < y) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  // Every staircase entry is lexicographically larger than i, so its x ≥ xᵢ.
  const dominated = (i: number): boolean => {
    const x = points[3 * i], y = points[3 * i + 1], z = points[3 * i + 2];
    const k = lowerBound(y);
    if (k === size || sz[k] < z) return false;
    if (sz[k] > z || sy[k] > y) return true;
    return sx[k] > x;
  };

  const insert = (i: number): void => {
    const x = points[3 * i], y = points[3 * i + 1], z = points[3 * i + 2];
    const k = lowerBound(y);
    if (k < size && sy[k] === y && sz[k] === z) return;
    let from = k;
    while (from > 0 && sz[from - 1] <= z) from--;
    const to = k < size && sy[k] === y ? k + 1 : k;
    const shift = 1 - (to - from);
    if (shift !== 0) {
      sy.copyWithin(to + shift, to, size);
      sz.copyWithin(to + shift, to, size);
      sx.copyWithin(to + shift, to, size);
      steps += size - to;
    }
    steps += to - from;
    sy[from] = y;
    sz[from] = z;
    sx[from] = x;
    size += shift;
  };

  /** Quickselect: afterwards idx[lo, pos) all come before idx[pos, hi). */
  const select = (lo: number, hi: number, pos: number): void => {
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      // Median of three.
      let a = idx[lo], b = idx[mid];
      const c = idx[hi - 1];
      if (before(b, a)) {
        const t = a;
        a = b;
        b = t;
      }
      if (before(c, b)) b = before(c, a) ? a : c;
      const pivot = b;
      const pivotX = points[3 * pivot];
      let i = lo;
      let j = hi - 1;
      // x decides almost every comparison; the full lexicographic test only on ties.
      while (i <= j) {
        for (;;) {
          const a = idx[i];
          const ax = points[3 * a];
          steps++;
          if (ax > pivotX || (ax === pivotX && before(a, pivot))) i++;
          else break;
        }
        for (;;) {
          const a = idx[j];
          const ax = points[3 * a];
          steps++;
          if (ax < pivotX || (ax === pivotX && before(pivot, a))) j--;
          else break;
        }
        if (i <= j) {
          const t = idx[i];
          idx[i] = idx[j];
          idx[j] = t;
          i++;
          j--;
        }
      }
      if (pos <= j) hi = j + 1;
      else if (pos >= i) lo = i;
      else return;
    }
  };

  // Buckets of an H-ary split are the nodes 2^levels binary splits down; only they are filtered. Splitting
  // depth first (not by multi-selection) makes a guess that is too small fail after O(n) work.
  const levels = Math.max(1, Math.round(Math.log2(H)));
  const solve = (lo: number, end: number, depth: number): boolean => {
    let hi = end;
    if (depth % levels === 0) {
      hi = lo;
      let best = -1;
      let bestSum = -Infinity;
      for (let k = lo; k < end; k++) {
        const i = idx[k];
        if (dominated(i)) continue;
        idx[hi++] = i;
        const sum = points[3 * i] + points[3 * i + 1] + points[3 * i + 2];
        if (best < 0 || sum > bestSum || (sum === bestSum && before(i, best))) {
          best = i;
          bestSum = sum;
        }
      }
      if (hi === lo) return true;
      // The largest rounded sum is not dominated inside the node, so it is a maximum (found in its own bucket
      // later); what it dominates goes now, which on most inputs leaves little to split.
      const bx = points[3 * best], by = points[3 * best + 1], bz = points[3 * best + 2];
      steps += hi - lo;
      const end2 = hi;
      hi = lo;
      for (let k = lo; k < end2; k++) {
        const i = idx[k];
        const x = points[3 * i], y = points[3 * i + 1], z = points[3 * i + 2];
        if (!(bx >= x && by >= y && bz >= z && (bx > x || by > y || bz > z))) idx[hi++] = i;
      }
    }
    if (hi - lo <= H) {
      idx.subarray(lo, hi).sort(order);
      for (let k = lo; k < hi; k++) {
        const i = idx[k];
        if (dominated(i)) continue;
        if (count === H) return false;
        found[count++] = i;
        insert(i);
      }
      return true;
    }
    const mid = (lo + hi) >> 1;
    select(lo, hi, mid);
    return solve(lo, mid, depth + 1) && solve(mid, hi, depth + 1);
  };

  const done = solve(0, n, 0);
  work.steps += steps;
  return done ? found.slice(0, count).sort() : null;
}

/**
 * Gift wrapping, O(n·h) for h maxima: the previous output-sensitive variant, kept as the bench baseline.
 *
 * Each round picks, among the points still alive, the one with the largest rounded sum x + y + z, ties broken
 * lexicographically (x, y, z descending). Nothing can dominate it: a dominator j would have sⱼ ≥ sᵢ (rounded
 * addition is monotone in each argument) and be lexicographically larger. It is maximal; it and everything
 * it dominates leave; its coincident copies stay and are picked next. Each round costs O(alive), there are at
 * most h + (copies) rounds, and no sort is needed, so few maxima cost little.
 */
export function maxima3dGiftWrapping(points: Float64Array): Uint32Array {
  return Uint32Array.from(giftWrap(points, () => false).found).sort();
}

interface GiftWrapState {
  /** Points still alive: `alive[0, count)`, ascending. */
  alive: Uint32Array<ArrayBuffer>;
  count: number;
  /** Maxima found so far, in the order found. */
  found: number[];
  /** Point visits so far, two per alive point and round. */
  visits: number;
}

/** Gift-wrapping rounds until no point is alive or `stop` (asked after each round) says to hand over the rest. */
function giftWrap(points: Float64Array, stop: (state: GiftWrapState) => boolean): GiftWrapState {
  const n = Math.floor(points.length / 3);
  const state: GiftWrapState = { alive: new Uint32Array(n), count: n, found: [], visits: 0 };
  let next: Uint32Array<ArrayBuffer> = new Uint32Array(n);
  for (let i = 0; i < n; i++) state.alive[i] = i;
  while (state.count > 0) {
    const c = giftWrappingRound(points, state.alive, state.count, next, state.found);
    state.visits += 2 * state.count;
    const t = state.alive;
    state.alive = next;
    next = t;
    state.count = c;
    if (stop(state)) break;
  }
  return state;
}

/**
 * One gift-wrapping round over `alive[0, count)`: pushes onto `found` the point with the largest rounded sum
 * x + y + z (ties lexicographically largest, so nothing can dominate it), writes the others it does not dominate
 * into `next` (coincident copies stay) and returns their count.
 */
function giftWrappingRound(points: Float64Array, alive: Uint32Array, count: number, next: Uint32Array, found: number[]): number {
  let best = alive[0];
  let bs = points[3 * best] + points[3 * best + 1] + points[3 * best + 2];
  for (let k = 1; k < count; k++) {
    const i = alive[k];
    const s = points[3 * i] + points[3 * i + 1] + points[3 * i + 2];
    if (s > bs || (s === bs && lexGreater(points, i, best))) {
      best = i;
      bs = s;
    }
  }
  found.push(best);
  const bx = points[3 * best], by = points[3 * best + 1], bz = points[3 * best + 2];
  let c = 0;
  for (let k = 0; k < count; k++) {
    const i = alive[k];
    if (i === best) continue;
    const x = points[3 * i], y = points[3 * i + 1], z = points[3 * i + 2];
    if (!(bx >= x && by >= y && bz >= z && (bx > x || by > y || bz > z))) next[c++] = i;
  }
  return c;
}

function lexGreater(p: Float64Array, i: number, j: number): boolean {
  for (let d = 0; d < 3; d++) {
    const a = p[3 * i + d];
    const b = p[3 * j + d];
    if (a !== b) return a > b;
  }
  return i < j;
}

/** O(n²) oracle for tests. */
export function maxima3dBruteForce(points: Float64Array): Uint32Array {
  const n = Math.floor(points.length / 3);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let dominated = false;
    for (let j = 0; j < n && !dominated; j++) {
      const ge = points[3 * j] >= points[3 * i] && points[3 * j + 1] >= points[3 * i + 1] && points[3 * j + 2] >= points[3 * i + 2];
      const gt = points[3 * j] > points[3 * i] || points[3 * j + 1] > points[3 * i + 1] || points[3 * j + 2] > points[3 * i + 2];
      dominated = ge && gt;
    }
    if (!dominated) out.push(i);
  }
  return Uint32Array.from(out);
}

export type Maxima3dAlgorithm = 'sweep' | 'output-sensitive';

export function maxima3d(points: Float64Array, algorithm: Maxima3dAlgorithm = 'sweep'): Uint32Array {
  if (points.length % 3 !== 0) throw new RangeError(`maxima3d: coordinate count ${points.length} is not a multiple of 3`);
  return algorithm === 'sweep' ? maxima3dSweep(points) : maxima3dOutputSensitive(points);
}
