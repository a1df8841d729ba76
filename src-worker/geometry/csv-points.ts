/**
 * Point files as text, scanned byte by byte into a Float64Array (a 10⁶-row CSV through split/trim/regex took
 * 0.7 s, 17× the hull it fed). Accepted:
 *   - rows `x,y` or `x,y,z`, separated by comma, semicolon, tab or spaces; blank lines and `#` comments skipped;
 *   - a header line, which is a header only when none of its fields looks numeric (starts with a digit, a sign
 *     or a dot, or spells nan/inf): `x,y` is a header, while `1,2O` is a data row and fails with its line and column, so a typo in
 *     the first row of a header-less file cannot silently drop that row;
 *   - qhull's `rbox` output: a first line with the dimension (optionally followed by a comment such as
 *     `rbox 1000 D2`), a second with the point count, then the rows.
 * All or nothing: the first bad row throws a `PointsParseError` naming its line and column.
 */
import { PointsParseError, type LoadedPoints, type LoadOptions } from './points';

const CR = 13, LF = 10, HASH = 35, COMMA = 44, SEMI = 59, TAB = 9, SPACE = 32, PLUS = 43, MINUS = 45, DOT = 46;
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));
const latin1 = new TextDecoder('latin1');

interface Field {
  start: number;
  end: number;
}

/** Parses the bytes of a point file (UTF-8 or ASCII; a BOM is skipped). */
export function parsePointsText(bytes: Uint8Array, opts: LoadOptions = {}): LoadedPoints {
  let pos = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const n = bytes.length;
  let dims = opts.dims ?? 0;
  let capacity = initialCapacity(bytes, pos, dims || 2);
  let lastLF = n - 1;
  while (lastLF >= 0 && bytes[lastLF] !== LF) lastLF--;
  let values = new Float64Array(capacity);
  let lines = new Uint32Array(capacity >> 1);
  let count = 0;
  let lineNo = 0;
  let firstContent = true;
  let rboxDims = 0;
  let rboxCount = -1;
  let firstLine = 0;
  const fields: Field[] = [{ start: 0, end: 0 }, { start: 0, end: 0 }, { start: 0, end: 0 }, { start: 0, end: 0 }];
  while (pos < n) {
    lineNo++;
    if (pos <= lastLF && dims !== 0 && !firstContent && (rboxDims === 0 || rboxCount >= 0)) {
      if ((count + 1) * dims > capacity) {
        capacity *= 2;
        const v = new Float64Array(capacity);
        v.set(values);
        values = v;
        const l = new Uint32Array(capacity >> 1);
        l.set(lines);
        lines = l;
      }
      const after = plainRow(bytes, pos, dims, values, count * dims);
      if (after >= 0) {
        lines[count++] = lineNo;
        pos = after;
        continue;
      }
    }
    let end = pos;
    while (end < n && bytes[end] !== LF && bytes[end] !== CR) end++;
    const next = end < n && bytes[end] === CR && end + 1 < n && bytes[end + 1] === LF ? end + 2 : end + 1;
    const lineStart = pos;
    pos = next;
    // Fields of this line.
    let s = lineStart;
    while (s < end && (bytes[s] === SPACE || bytes[s] === TAB)) s++;
    if (s === end || bytes[s] === HASH) continue;
    let nf = 0;
    for (;;) {
      let e = s;
      while (e < end && bytes[e] !== COMMA && bytes[e] !== SEMI && bytes[e] !== TAB && bytes[e] !== SPACE) e++;
      if (nf < fields.length) {
        fields[nf].start = s;
        fields[nf].end = e;
      }
      nf++;
      let t = e;
      while (t < end && bytes[t] === SPACE) t++;
      if (t < end && (bytes[t] === COMMA || bytes[t] === SEMI || bytes[t] === TAB)) {
        t++;
        while (t < end && (bytes[t] === SPACE || bytes[t] === TAB)) t++;
        s = t;
        if (s === end) {
          // A trailing separator leaves an empty last field.
          if (nf < fields.length) fields[nf].start = fields[nf].end = end;
          nf++;
          break;
        }
        continue;
      }
      if (t >= end) break;
      s = t;
    }
    if (firstContent) {
      firstContent = false;
      firstLine = lineNo;
      if (!fields.slice(0, Math.min(nf, fields.length)).some((f) => looksNumeric(bytes, f.start, f.end))) continue;
      // qhull/rbox: "d [comment]" then "count".
      if (looksInteger(bytes, fields[0].start, fields[0].end) && (nf === 1 || !looksNumeric(bytes, fields[1].start, fields[1].end))) {
        rboxDims = Number(latin1.decode(bytes.subarray(fields[0].start, fields[0].end)));
        if (rboxDims !== 2 && rboxDims !== 3) throw new PointsParseError(lineNo, `a qhull header names dimension ${rboxDims}; only 2 or 3 are supported`);
        if (dims !== 0 && dims !== rboxDims) throw new PointsParseError(lineNo, `the qhull header names dimension ${rboxDims}, expected ${dims}`);
        dims = rboxDims;
        continue;
      }
    }
    if (rboxDims !== 0 && rboxCount < 0) {
      if (nf !== 1 || !looksInteger(bytes, fields[0].start, fields[0].end)) {
        throw new PointsParseError(lineNo, 'after the qhull dimension line, expected the point count');
      }
      rboxCount = Number(latin1.decode(bytes.subarray(fields[0].start, fields[0].end)));
      continue;
    }
    if (dims === 0) {
      if (nf !== 2 && nf !== 3) throw new PointsParseError(lineNo, `expected 2 or 3 columns (x,y[,z]), found ${nf}`);
      dims = nf;
    } else if (nf !== dims) {
      throw new PointsParseError(lineNo, `expected ${dims} columns, found ${nf}`);
    }
    if ((count + 1) * dims > capacity) {
      capacity *= 2;
      const v = new Float64Array(capacity);
      v.set(values);
      values = v;
      const l = new Uint32Array(capacity >> 1);
      l.set(lines);
      lines = l;
    }
    for (let c = 0; c < dims; c++) values[count * dims + c] = parseField(bytes, fields[c].start, fields[c].end, lineNo, c + 1, lineNo === firstLine);
    lines[count++] = lineNo;
  }
  const lastLine = n > 0 && (bytes[n - 1] === LF || bytes[n - 1] === CR) ? lineNo + 1 : Math.max(1, lineNo);
  if (rboxCount >= 0 && rboxCount !== count) {
    throw new PointsParseError(lastLine, `the qhull header announces ${rboxCount} points, the file has ${count}`);
  }
  const minPoints = opts.minPoints ?? 1;
  if (count < minPoints) throw new PointsParseError(lastLine, `too few points: ${count}, at least ${minPoints} needed`);
  return { points: values.slice(0, count * (dims || 2)), dims: dims || 2, lines: lines.slice(0, count) };
}

const SAMPLE_BYTES = 1 << 16;

/** Room for the values at first: the rows the file holds at the mean line length of its first 64 KiB, with 1/16
 * to spare, so that a large file is not copied at every doubling (an even number, at least 1024). */
function initialCapacity(bytes: Uint8Array, pos: number, dims: number): number {
  const end = Math.min(bytes.length, pos + SAMPLE_BYTES);
  let lines = 0;
  for (let i = pos; i < end; i++) if (bytes[i] === LF) lines++;
  if (lines === 0 || end === bytes.length) return 1024;
  const rows = Math.ceil(((bytes.length - pos) / (end - pos)) * lines * (17 / 16));
  return Math.max(1024, 2 * Math.ceil((rows * dims) / 2));
}


/**
 * The plain row, read in one pass: `dims` numbers separated by a single comma, semicolon or tab and ended by LF or
 * CRLF, each with at most 18 significant digits and a value the fast paths of `parseField` decide. Writes the
 * values at values[offset…] and returns the offset after the row, or −1 for anything else (spaces, comments,
 * blank lines, too many digits, a bad field), which the general scanner then reads, with its errors, from the
 * start of the line. Both compute every value the same way. The caller guarantees an LF at or after `pos`, so
 * every scan stops on a non-digit inside the buffer and the loops need no end check.
 */
function plainRow(bytes: Uint8Array, pos: number, dims: number, values: Float64Array, offset: number): number {
  let i = pos;
  for (let c = 0; c < dims; c++) {
    const e = plainNumber(bytes, i, values, offset + c);
    if (e < 0) return -1;
    const b = bytes[e];
    if (c + 1 < dims) {
      if (b !== COMMA && b !== SEMI && b !== TAB) return -1;
      i = e + 1;
    } else {
      if (b === LF) return e + 1;
      if (b === CR && bytes[e + 1] === LF) return e + 2;
      return -1;
    }
  }
  return -1;
}

/** A number starting at bytes[i] (an LF follows somewhere): writes its value at out[at] and returns its end; −1
 * when the fast paths cannot. (A module-level result variable would box every double on the heap.) */
function plainNumber(bytes: Uint8Array, i: number, out: Float64Array, at: number): number {
  let negative = false;
  const b = bytes[i];
  if (b === MINUS || b === PLUS) {
    negative = b === MINUS;
    i++;
  }
  // The first 9 significant digits in hi, the rest in lo (exact while there are at most 18).
  // `(b - 48) >>> 0 <= 9` is the digit test in one comparison.
  let hi = 0;
  let lo = 0;
  let exp10 = 0;
  let d = 0;
  const first = i;
  while (bytes[i] === 48) i++;
  const digitsFrom = i;
  while (i - digitsFrom < 9 && (d = (bytes[i] - 48) >>> 0) <= 9) ((hi = hi * 10 + d), i++);
  while ((d = (bytes[i] - 48) >>> 0) <= 9) ((lo = lo * 10 + d), i++);
  let digits = i - digitsFrom;
  let any = i > first;
  if (bytes[i] === DOT) {
    i++;
    const dot = i;
    if (digits === 0) while (bytes[i] === 48) i++;
    exp10 = dot - i;
    const before = i;
    while (digits + (i - before) < 9 && (d = (bytes[i] - 48) >>> 0) <= 9) ((hi = hi * 10 + d), i++);
    while ((d = (bytes[i] - 48) >>> 0) <= 9) ((lo = lo * 10 + d), i++);
    digits += i - before;
    exp10 -= i - before;
    any = any || i > dot;
  }
  if (!any) return -1;
  if (bytes[i] === 101 || bytes[i] === 69) {
    i++;
    let eNeg = false;
    if (bytes[i] === PLUS || bytes[i] === MINUS) eNeg = bytes[i++] === MINUS;
    let e = 0;
    let eDigits = 0;
    while ((d = (bytes[i] - 48) >>> 0) <= 9) {
      if (e < 100000) e = e * 10 + d;
      i++;
      eDigits++;
    }
    if (eDigits === 0) return -1;
    exp10 += eNeg ? -e : e;
  }
  let v: number;
  if (digits <= 15 && exp10 >= -22 && exp10 <= 22) {
    const mantissa = digits <= 9 ? hi : hi * POW10[digits - 9] + lo;
    v = exp10 < 0 ? mantissa / POW10[-exp10] : mantissa * POW10[exp10];
  } else if (digits <= 18 && exp10 < 0 && exp10 >= -22) {
    v = splitQuotient(hi * POW10[digits - 9], lo, -exp10);
    if (v < 0) return -1;
  } else return -1;
  out[at] = negative ? -v : v;
  return i;
}

/** A field's bytes as a string, for the rare value `Number` decides (decoding the whole file for it cost more
 * than the parse). */
function fieldText(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i]);
  return text;
}

/** Starts like a number (digit, sign, dot), or spells nan/inf: such a field makes its line data, not a header. */
function looksNumeric(bytes: Uint8Array, start: number, end: number): boolean {
  if (start >= end) return false;
  const c = bytes[start];
  if ((c >= 48 && c <= 57) || c === PLUS || c === MINUS || c === DOT) return true;
  return /^(nan|inf(inity)?)$/i.test(latin1.decode(bytes.subarray(start, Math.min(end, start + 9))));
}

function looksInteger(bytes: Uint8Array, start: number, end: number): boolean {
  if (start >= end) return false;
  for (let i = start; i < end; i++) if (bytes[i] < 48 || bytes[i] > 57) return false;
  return true;
}

/**
 * A decimal number. Up to 15 significant digits with a decimal exponent within ±22, value = digits × 10^e in
 * one correctly rounded operation (Clinger's fast path: both factors are exact doubles); 16–18 digits with a
 * negative exponent down to −22 by `longQuotient`; anything else (or a near tie) goes to `Number()` on the
 * field's text, so every value is the correctly rounded double either way.
 */
function parseField(bytes: Uint8Array, start: number, end: number, line: number, column: number, first: boolean): number {
  let i = start;
  let negative = false;
  if (i < end && (bytes[i] === PLUS || bytes[i] === MINUS)) negative = bytes[i++] === MINUS;
  let mantissa = 0;
  let digits = 0;
  let exp10 = 0;
  let any = false;
  while (i < end && bytes[i] === 48) ((i++), (any = true));
  while (i < end && bytes[i] >= 48 && bytes[i] <= 57) {
    mantissa = mantissa * 10 + (bytes[i++] - 48);
    digits++;
    any = true;
  }
  if (i < end && bytes[i] === DOT) {
    i++;
    if (digits === 0) while (i < end && bytes[i] === 48) ((i++), exp10--, (any = true));
    while (i < end && bytes[i] >= 48 && bytes[i] <= 57) {
      mantissa = mantissa * 10 + (bytes[i++] - 48);
      digits++;
      exp10--;
      any = true;
    }
  }
  const fast = any && digits <= 15;
  if (any && i < end && (bytes[i] === 101 || bytes[i] === 69)) {
    i++;
    let eNeg = false;
    if (i < end && (bytes[i] === PLUS || bytes[i] === MINUS)) eNeg = bytes[i++] === MINUS;
    let e = 0;
    let eDigits = 0;
    while (i < end && bytes[i] >= 48 && bytes[i] <= 57) {
      if (e < 100000) e = e * 10 + (bytes[i] - 48);
      i++;
      eDigits++;
    }
    if (eDigits === 0) any = false;
    exp10 += eNeg ? -e : e;
  }
  if (!any || i !== end) {
    const text = latin1.decode(bytes.subarray(start, end));
    const hint = first ? ' (the first line is taken as a header only when no field looks numeric)' : '';
    throw new PointsParseError(line, `column ${column}: "${text}" is not a finite number${hint}`);
  }
  let v = -1;
  if (fast && exp10 >= -22 && exp10 <= 22) v = exp10 < 0 ? mantissa / POW10[-exp10] : mantissa * POW10[exp10];
  else if (digits <= 18 && exp10 < 0 && exp10 >= -22) v = longQuotient(bytes, start, end, digits, -exp10);
  if (v < 0) v = Math.abs(Number(fieldText(bytes, start, end)));
  if (!Number.isFinite(v)) {
    throw new PointsParseError(line, `column ${column}: "${latin1.decode(bytes.subarray(start, end))}" overflows to ${negative ? -v : v}`);
  }
  return negative ? -v : v;
}

const SPLITTER = 134217729; // 2^27 + 1, Veltkamp's split of a double into two 26-bit halves
const bitsF = new Float64Array(1);
const bitsU = new Uint32Array(bitsF.buffer);
const LO = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;

/** The next double up (dir = 1) or down (dir = −1) from a positive finite v. */
function nextDouble(v: number, dir: 1 | -1): number {
  bitsF[0] = v;
  const lo = bitsU[LO];
  if (dir === 1) {
    if (lo === 0xffffffff) ((bitsU[LO] = 0), bitsU[1 - LO]++);
    else bitsU[LO] = lo + 1;
  } else if (lo === 0) ((bitsU[LO] = 0xffffffff), bitsU[1 - LO]--);
  else bitsU[LO] = lo - 1;
  return bitsF[0];
}

/**
 * |value| of a field with 16–18 significant digits M and a decimal exponent −k (1 ≤ k ≤ 22), as the full-precision
 * doubles other programs print (0.12345678901234567): the correctly rounded M / 10^k, or −1 when too close to
 * call (then the caller asks `Number`).
 *
 * M = H·10^t + L, H its first 9 digits and L the t ≤ 9 others; H·10^t is an exact double (H·5^t < 10⁹·5⁹ < 2⁵³),
 * L too. A candidate v = fl(fl(M) / 10^k) is within 1.5 ulp of M / 10^k. The residual D = M − v·10^k is
 * computed exactly enough: v·10^k = p + e exactly (Dekker's product), H·10^t − p is exact (Sterbenz: both are
 * within 10⁻⁷ of M), adding L is a sum of multiples of 2⁻³ below 2⁵³, and only −e rounds, by less than 2⁻²⁰. v is the nearest double iff |D| is below half the gap to
 * its neighbour on D's side, times 10^k (a power of two times 10^k, so exact); else v moves one step and is
 * checked again. A |D| within 10⁻⁴ of that half gap (a possible tie) is left to `Number`.
 */
function longQuotient(bytes: Uint8Array, start: number, end: number, digits: number, k: number): number {
  let h = 0;
  let l = 0;
  let seen = 0;
  let leading = true;
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c < 48 || c > 57) {
      if (c === 101 || c === 69) break;
      continue;
    }
    if (leading && c === 48) continue;
    leading = false;
    if (seen < 9) h = h * 10 + (c - 48);
    else l = l * 10 + (c - 48);
    seen++;
  }
  return splitQuotient(h * POW10[digits - 9], l, k);
}

/** `longQuotient` on M = a + l, a = (first 9 digits)·10^t and l the t ≤ 9 digits after them. */
function splitQuotient(a: number, l: number, k: number): number {
  const P = POW10[k];
  // M below 2⁵³ is an exact double: one division, correctly rounded (Clinger's fast path).
  if (a + l <= 9007199254740992) return (a + l) / P;
  let v = (a + l) / P;
  const pc = SPLITTER * P;
  const ph = pc - (pc - P);
  const pl = P - ph;
  for (let tries = 0; tries < 3; tries++) {
    const p = v * P;
    const vc = SPLITTER * v;
    const vh = vc - (vc - v);
    const vl = v - vh;
    const e = vh * ph - p + vh * pl + vl * ph + vl * pl;
    const d = a - p + l - e;
    const neighbour = nextDouble(v, d >= 0 ? 1 : -1);
    const halfGap = Math.abs(neighbour - v) * P * 0.5;
    const ad = Math.abs(d);
    if (ad < halfGap - 1e-4) return v;
    if (ad <= halfGap + 1e-4) return -1;
    v = neighbour;
  }
  return -1;
}
