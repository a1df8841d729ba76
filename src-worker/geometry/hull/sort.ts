/**
 * Sorting point indices lexicographically by (x, y, index) — the order every sort-based hull needs.
 *
 * Large inputs go through an LSD radix sort on the high 32 bits of x (3 passes of 11/11/10 bits), then a
 * fix-up pass that sorts each run of equal high words by the full key. The high word holds sign, exponent
 * and 20 mantissa bits, so runs are short for real data (10⁶ uniform points: runs of 1–3) and the fix-up is a
 * linear scan; a long run (many x equal to 20 bits) falls back to introsort, so the worst case stays
 * O(n log n). The index breaks ties, so duplicates end up adjacent in ascending index order — the rule that
 * lets every hull keep the lowest index of a duplicate group.
 *
 * Order-preserving map from a double to an unsigned word: flip every bit of a negative number, set the sign
 * bit of a non-negative one. −0 is first turned into +0 so that it ties with +0, as `===` says it should.
 */

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const RADIX_THRESHOLD = 4096;
const INSERTION_MAX = 16;

let keyA = new Uint32Array(0);
let keyB = new Uint32Array(0);
let idxB = new Uint32Array(0);
const histogram = new Uint32Array(2048 * 3);

function ensureScratch(n: number): void {
  if (keyA.length >= n) return;
  const size = Math.max(n, keyA.length * 2);
  keyA = new Uint32Array(size);
  keyB = new Uint32Array(size);
  idxB = new Uint32Array(size);
}

/** Frees the radix scratch buffers (they otherwise stay at the largest size seen). */
export function releaseSortScratch(): void {
  keyA = new Uint32Array(0);
  keyB = new Uint32Array(0);
  idxB = new Uint32Array(0);
}

function lessLex(p: Float64Array, i: number, j: number): boolean {
  const xi = p[2 * i];
  const xj = p[2 * j];
  if (xi !== xj) return xi < xj;
  const yi = p[2 * i + 1];
  const yj = p[2 * j + 1];
  if (yi !== yj) return yi < yj;
  return i < j;
}

function insertionLex(p: Float64Array, a: Uint32Array, lo: number, hi: number): void {
  for (let k = lo + 1; k <= hi; k++) {
    const v = a[k];
    let m = k - 1;
    while (m >= lo && lessLex(p, v, a[m])) {
      a[m + 1] = a[m];
      m--;
    }
    a[m + 1] = v;
  }
}

function siftDown(p: Float64Array, a: Uint32Array, base: number, root: number, size: number): void {
  let r = root;
  for (;;) {
    let child = 2 * r + 1;
    if (child >= size) return;
    if (child + 1 < size && lessLex(p, a[base + child], a[base + child + 1])) child++;
    if (!lessLex(p, a[base + r], a[base + child])) return;
    const t = a[base + r];
    a[base + r] = a[base + child];
    a[base + child] = t;
    r = child;
  }
}

function heapsortLex(p: Float64Array, a: Uint32Array, lo: number, hi: number): void {
  const size = hi - lo + 1;
  for (let r = (size >> 1) - 1; r >= 0; r--) siftDown(p, a, lo, r, size);
  for (let end = size - 1; end > 0; end--) {
    const t = a[lo];
    a[lo] = a[lo + end];
    a[lo + end] = t;
    siftDown(p, a, lo, 0, end);
  }
}

/** Quicksort on a[lo..hi] (inclusive); recursion on the smaller side keeps the stack at O(log n). */
function quickLex(p: Float64Array, a: Uint32Array, lo: number, hi: number, depth: number): void {
  let l = lo;
  let r = hi;
  while (r - l > INSERTION_MAX) {
    if (depth-- === 0) {
      heapsortLex(p, a, l, r);
      return;
    }
    const m = (l + r) >>> 1;
    let t: number;
    if (lessLex(p, a[m], a[l])) ((t = a[l]), (a[l] = a[m]), (a[m] = t));
    if (lessLex(p, a[r], a[l])) ((t = a[l]), (a[l] = a[r]), (a[r] = t));
    if (lessLex(p, a[r], a[m])) ((t = a[m]), (a[m] = a[r]), (a[r] = t));
    const pivot = a[m];
    let i = l;
    let j = r;
    while (i <= j) {
      while (lessLex(p, a[i], pivot)) i++;
      while (lessLex(p, pivot, a[j])) j--;
      if (i <= j) {
        t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (j - l < r - i) {
      quickLex(p, a, l, j, depth);
      l = i;
    } else {
      quickLex(p, a, i, r, depth);
      r = j;
    }
  }
  insertionLex(p, a, l, r);
}

/** Comparison sort of idx[lo, hi) by (x, y, index); introsort, so O(n log n) on any input. */
export function introsortLex(points: Float64Array, idx: Uint32Array, lo: number, hi: number): void {
  if (hi - lo < 2) return;
  const depth = 2 * (32 - Math.clz32(hi - lo));
  quickLex(points, idx, lo, hi - 1, depth);
}

/** Sorts idx[0, count) by (x, y, index) ascending. */
export function sortIndicesLex(points: Float64Array, idx: Uint32Array, count: number): void {
  if (count < RADIX_THRESHOLD || !LITTLE_ENDIAN) {
    introsortLex(points, idx, 0, count);
    return;
  }
  ensureScratch(count);
  const words = new Uint32Array(points.buffer, points.byteOffset, points.length * 2);
  const hist = histogram;
  hist.fill(0);
  const kA = keyA;
  for (let k = 0; k < count; k++) {
    const i = idx[k];
    let hi = words[4 * i + 1];
    if (hi === 0x80000000 && words[4 * i] === 0) hi = 0;
    const key = (hi & 0x80000000) !== 0 ? ~hi >>> 0 : (hi | 0x80000000) >>> 0;
    kA[k] = key;
    hist[key & 0x7ff]++;
    hist[2048 + ((key >>> 11) & 0x7ff)]++;
    hist[4096 + (key >>> 22)]++;
  }

  let srcKey: Uint32Array = kA;
  let srcIdx: Uint32Array = idx;
  let dstKey: Uint32Array = keyB;
  let dstIdx: Uint32Array = idxB;
  for (let pass = 0; pass < 3; pass++) {
    const base = pass * 2048;
    const shift = pass * 11;
    const buckets = pass === 2 ? 1024 : 2048;
    let trivial = false;
    let sum = 0;
    for (let b = 0; b < buckets; b++) {
      const c = hist[base + b];
      if (c === count) trivial = true;
      hist[base + b] = sum;
      sum += c;
    }
    if (trivial) continue;
    const mask = pass === 2 ? 0x3ff : 0x7ff;
    for (let k = 0; k < count; k++) {
      const key = srcKey[k];
      const pos = hist[base + ((key >>> shift) & mask)]++;
      dstKey[pos] = key;
      dstIdx[pos] = srcIdx[k];
    }
    const tk = srcKey;
    srcKey = dstKey;
    dstKey = tk;
    const ti = srcIdx;
    srcIdx = dstIdx;
    dstIdx = ti;
  }
  if (srcIdx !== idx) idx.set(srcIdx.subarray(0, count));

  // Keys are now sorted; every run of equal high words still needs ordering by the full (x, y, index) key.
  let start = 0;
  for (let k = 1; k <= count; k++) {
    if (k < count && srcKey[k] === srcKey[start]) continue;
    const len = k - start;
    if (len > 1) {
      if (len <= INSERTION_MAX) insertionLex(points, idx, start, k - 1);
      else introsortLex(points, idx, start, k);
    }
    start = k;
  }
}

/** 0, 1, …, n − 1. */
export function iota(n: number): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** Sorted coordinates and their input indices, in scratch buffers valid until the next call. */
export interface GatheredSort {
  x: Float64Array;
  y: Float64Array;
  index: Uint32Array;
}

let gKeyA = new Uint32Array(0);
let gKeyB = new Uint32Array(0);
let gIdxA = new Uint32Array(0);
let gIdxB = new Uint32Array(0);
let gXA = new Float64Array(0);
let gXB = new Float64Array(0);
let gYA = new Float64Array(0);
let gYB = new Float64Array(0);
const gHistogram = new Uint32Array(256 * 4);

function ensureGatherScratch(n: number): void {
  if (gKeyA.length >= n) return;
  const size = Math.max(n, gKeyA.length * 2);
  gKeyA = new Uint32Array(size);
  gKeyB = new Uint32Array(size);
  gIdxA = new Uint32Array(size);
  gIdxB = new Uint32Array(size);
  gXA = new Float64Array(size);
  gXB = new Float64Array(size);
  gYA = new Float64Array(size);
  gYB = new Float64Array(size);
}

/**
 * `sortGatheredLex` on the high word of x (sign, exponent, 20 mantissa bits) in four 8-bit passes: good for any
 * spread of magnitudes, so it is the fallback when the scaled key of `sortGatheredLex` would put too many points
 * in one bucket.
 *
 * Like `sortIndicesLex` (idx = null means all points 0 … count−1), but the coordinates travel with the keys: the result is x, y and index arrays in
 * (x, y, index) order. Reading points in sorted order afterwards would be a random gather (one cache miss per
 * point, ~70 ms at 10⁶ here); moving them through the radix passes instead costs sequential reads and writes
 * into 256 bucket cursors per array, which stay in cache. 8-bit digits keep those 4 × 256 write streams small;
 * a pass whose digit is the same for every key (the sign/exponent byte of data in [0, 1), say) is skipped.
 */
export function sortGatheredByHighWord(points: Float64Array, idx: Uint32Array | null, count: number): GatheredSort {
  ensureGatherScratch(count);
  let kS: Uint32Array = gKeyA;
  let iS: Uint32Array = gIdxA;
  let xS: Float64Array = gXA;
  let yS: Float64Array = gYA;
  let kD: Uint32Array = gKeyB;
  let iD: Uint32Array = gIdxB;
  let xD: Float64Array = gXB;
  let yD: Float64Array = gYB;
  if (count < RADIX_THRESHOLD || !LITTLE_ENDIAN) {
    const order = idx ? idx.slice(0, count) : iota(count);
    introsortLex(points, order, 0, count);
    for (let k = 0; k < count; k++) {
      const i = order[k];
      iS[k] = i;
      xS[k] = points[2 * i];
      yS[k] = points[2 * i + 1];
    }
    return { x: xS, y: yS, index: iS };
  }
  const words = new Uint32Array(points.buffer, points.byteOffset, points.length * 2);
  const hist = gHistogram;
  hist.fill(0);
  for (let k = 0; k < count; k++) {
    const i = idx ? idx[k] : k;
    let hi = words[4 * i + 1];
    if (hi === 0x80000000 && words[4 * i] === 0) hi = 0;
    const key = (hi & 0x80000000) !== 0 ? ~hi >>> 0 : (hi | 0x80000000) >>> 0;
    kS[k] = key;
    iS[k] = i;
    xS[k] = points[2 * i];
    yS[k] = points[2 * i + 1];
    hist[key & 0xff]++;
    hist[256 + ((key >>> 8) & 0xff)]++;
    hist[512 + ((key >>> 16) & 0xff)]++;
    hist[768 + (key >>> 24)]++;
  }
  for (let pass = 0; pass < 4; pass++) {
    const base = pass * 256;
    const shift = pass * 8;
    let trivial = false;
    let sum = 0;
    for (let b = 0; b < 256; b++) {
      const c = hist[base + b];
      if (c === count) trivial = true;
      hist[base + b] = sum;
      sum += c;
    }
    if (trivial) continue;
    for (let k = 0; k < count; k++) {
      const key = kS[k];
      const pos = hist[base + ((key >>> shift) & 0xff)]++;
      kD[pos] = key;
      iD[pos] = iS[k];
      xD[pos] = xS[k];
      yD[pos] = yS[k];
    }
    const tk = kS;
    kS = kD;
    kD = tk;
    const ti = iS;
    iS = iD;
    iD = ti;
    const tx = xS;
    xS = xD;
    xD = tx;
    const ty = yS;
    yS = yD;
    yD = ty;
  }
  // Runs of equal high words: order by the full (x, y, index) key.
  let start = 0;
  for (let k = 1; k <= count; k++) {
    if (k < count && kS[k] === kS[start]) continue;
    const len = k - start;
    if (len > 1 && len <= INSERTION_MAX) {
      for (let a = start + 1; a < k; a++) {
        const x = xS[a], y = yS[a], i = iS[a];
        let b = a - 1;
        while (b >= start && (xS[b] > x || (xS[b] === x && (yS[b] > y || (yS[b] === y && iS[b] > i))))) {
          xS[b + 1] = xS[b];
          yS[b + 1] = yS[b];
          iS[b + 1] = iS[b];
          b--;
        }
        xS[b + 1] = x;
        yS[b + 1] = y;
        iS[b + 1] = i;
      }
    } else if (len > INSERTION_MAX) {
      const run = iS.subarray(start, k);
      introsortLex(points, run, 0, len);
      for (let a = start; a < k; a++) {
        xS[a] = points[2 * iS[a]];
        yS[a] = points[2 * iS[a] + 1];
      }
    }
    start = k;
  }
  return { x: xS, y: yS, index: iS };
}

const SCALED_HIST = new Uint32Array(2 * 2048);

/**
 * Sorts the points idx[0, count) (idx = null: all points 0 … count−1) by (x, y, index) and returns their x, y and
 * index arrays in that order (scratch, valid until the next call).
 *
 * Key: k(x) = ⌊(x − minX) · s⌋ with s = (2^B − 1)/(maxX − minX) and 2^B ≈ 2·count. Subtraction of a constant,
 * multiplication by a positive constant and ⌊·⌋ are each monotone in floating point, so x < x' ⇒ k(x) ≤ k(x'):
 * sorting by k and then ordering each run of equal k by the full (x, y, index) key gives the exact order, however
 * the arithmetic rounds. B ≤ 22 bits take two counting passes of ≤ 11 bits that move x, y and index together (k
 * is recomputed from x rather than carried), against four for the raw high word. When one top-digit bucket holds
 * more than a quarter of the points (a heavy tail, a huge dynamic range, all x equal) the runs would be long, and
 * the high-word sort takes over.
 */
export function sortGatheredLex(points: Float64Array, idx: Uint32Array | null, count: number): GatheredSort {
  if (count < RADIX_THRESHOLD) return sortGatheredByHighWord(points, idx, count);
  let minX = Infinity;
  let maxX = -Infinity;
  if (idx) {
    for (let k = 0; k < count; k++) {
      const x = points[2 * idx[k]];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
    }
  } else {
    for (let k = 0; k < count; k++) {
      const x = points[2 * k];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
    }
  }
  const range = maxX - minX;
  if (!(range > 0 && range < Infinity)) return sortGatheredByHighWord(points, idx, count);
  const bits = Math.min(22, Math.max(12, 33 - Math.clz32(count)));
  const loBits = bits >> 1;
  const hiBits = bits - loBits;
  const loMask = (1 << loBits) - 1;
  const scale = ((1 << bits) - 1) / range;
  if (!(scale < Infinity)) return sortGatheredByHighWord(points, idx, count);

  const hist = SCALED_HIST;
  hist.fill(0, 0, 2048 + (1 << hiBits));
  for (let k = 0; k < count; k++) {
    const key = ((points[2 * (idx ? idx[k] : k)] - minX) * scale) | 0;
    hist[key & loMask]++;
    hist[2048 + (key >>> loBits)]++;
  }
  let largest = 0;
  for (let b = 0, sum = 0; b < 1 << hiBits; b++) {
    const c = hist[2048 + b];
    if (c > largest) largest = c;
    hist[2048 + b] = sum;
    sum += c;
  }
  if (largest > count >> 2) return sortGatheredByHighWord(points, idx, count);
  for (let b = 0, sum = 0; b <= loMask; b++) {
    const c = hist[b];
    hist[b] = sum;
    sum += c;
  }

  ensureGatherScratch(count);
  const xA = gXA, yA = gYA, iA = gIdxA;
  const xB = gXB, yB = gYB, iB = gIdxB;
  // Pass 1: low digit, straight from the input.
  for (let k = 0; k < count; k++) {
    const i = idx ? idx[k] : k;
    const x = points[2 * i];
    const pos = hist[(((x - minX) * scale) | 0) & loMask]++;
    xA[pos] = x;
    yA[pos] = points[2 * i + 1];
    iA[pos] = i;
  }
  // Pass 2: high digit.
  for (let k = 0; k < count; k++) {
    const x = xA[k];
    const pos = hist[2048 + ((((x - minX) * scale) | 0) >>> loBits)]++;
    xB[pos] = x;
    yB[pos] = yA[k];
    iB[pos] = iA[k];
  }
  // Runs of equal key: order by the full (x, y, index) key.
  let start = 0;
  let runKey = ((xB[0] - minX) * scale) | 0;
  for (let k = 1; k <= count; k++) {
    if (k < count) {
      const key = ((xB[k] - minX) * scale) | 0;
      if (key === runKey) continue;
      runKey = key;
    }
    const len = k - start;
    if (len > 1 && len <= INSERTION_MAX) {
      for (let a = start + 1; a < k; a++) {
        const x = xB[a], y = yB[a], i = iB[a];
        let b = a - 1;
        while (b >= start && (xB[b] > x || (xB[b] === x && (yB[b] > y || (yB[b] === y && iB[b] > i))))) {
          xB[b + 1] = xB[b];
          yB[b + 1] = yB[b];
          iB[b + 1] = iB[b];
          b--;
        }
        xB[b + 1] = x;
        yB[b + 1] = y;
        iB[b + 1] = i;
      }
    } else if (len > INSERTION_MAX) {
      const run = iB.subarray(start, k);
      introsortLex(points, run, 0, len);
      for (let a = start; a < k; a++) {
        xB[a] = points[2 * iB[a]];
        yB[a] = points[2 * iB[a] + 1];
      }
    }
    start = k;
  }
  return { x: xB, y: yB, index: iB };
}
