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
  const exponents = exponentsAhead(bytes, pos);
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
      const after = plainRows(bytes, pos, lastLF, dims, exponents, values, lines, count, lineNo, Math.floor(capacity / dims));
      if (after !== pos) {
        lineNo += rowsRead[0] - count;
        count = rowsRead[0];
        pos = after;
        continue;
      }
    }
    lineNo++;
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
  for (let i = bytes.indexOf(LF, pos); i >= 0 && i < end; i = bytes.indexOf(LF, i + 1)) lines++;
  if (lines === 0 || end === bytes.length) return 1024;
  const rows = Math.ceil(((bytes.length - pos) / (end - pos)) * lines * (17 / 16));
  return Math.max(1024, 2 * Math.ceil((rows * dims) / 2));
}

/** Whether the first 64 KiB hold a decimal exponent (an e or E after a digit or a dot). */
function exponentsAhead(bytes: Uint8Array, pos: number): boolean {
  const end = Math.min(bytes.length, pos + SAMPLE_BYTES);
  for (const e of [101, 69]) {
    for (let i = bytes.indexOf(e, pos + 1); i >= 0 && i < end; i = bytes.indexOf(e, i + 1)) {
      const p = bytes[i - 1];
      if ((p - 48) >>> 0 <= 9 || p === DOT) return true;
    }
  }
  return false;
}

/** plainRows' row count, kept at every row (a store after its loop, first reached when the loop ends deep into a
 * file, made V8's optimized loop deoptimize there: it had never run). */
const rowsRead = new Uint32Array(1);

/**
 * Plain rows from `pos` on, up to the last LF and at most until `maxCount` rows are stored: the row loop in a
 * function of its own, which V8 optimizes early and without the general scanner in it (a path of the scanner
 * first taken deep into a file made the optimized loop deoptimize and compile again). Returns the position after
 * the last plain row (`pos` itself when there is none), with the row count in rowsRead[0]; each row is one line.
 */
function plainRows(bytes: Uint8Array, pos: number, lastLF: number, dims: number, exponents: boolean, values: Float64Array, lines: Uint32Array, count: number, lineNo: number, maxCount: number): number {
  rowsRead[0] = count;
  while (pos <= lastLF && count < maxCount) {
    const after = plainRow(bytes, pos, dims, exponents, values, count * dims);
    if (after < 0) break;
    lines[count] = ++lineNo;
    rowsRead[0] = ++count;
    pos = after;
  }
  return pos;
}

/**
 * The plain row, read in one pass: `dims` numbers separated by a single comma, semicolon or tab and ended by LF or
 * CRLF, each with at most 18 significant digits (and an exponent only where `exponents`) and a value the fast
 * paths of `parseField` decide. Writes the values at values[offset…] and returns the offset after the row, or −1
 * for anything else (spaces, comments, blank lines, too many digits, a bad field), which the general scanner then
 * reads, with its errors, from the start of the line. Both compute every value the same way. The caller guarantees an LF at or after `pos`, so
 * every scan stops on a non-digit inside the buffer and the loops need no end check.
 */
function plainRow(bytes: Uint8Array, pos: number, dims: number, exponents: boolean, values: Float64Array, offset: number): number {
  let i = pos;
  for (let c = 0; c < dims; c++) {
    const e = plainNumber(bytes, i, exponents, values, offset + c);
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

/** hi and lo of the number `digitRun` reads (a Float64Array: module-level numbers would be boxed on the heap). */
const significand = new Float64Array(2);

/**
 * The digits from bytes[i] on into the significand: while `room` is left, into hi, the others into lo. Returns
 * the position after them. The integer part and the fraction go through this one function, so in a file of
 * numbers below 1 a rare 9.6e-7 takes code V8 has already optimized (with loops of its own for the integer part,
 * such a number first met deep into a file made the optimized row loop deoptimize and compile again).
 */
function digitRun(bytes: Uint8Array, i: number, room: number): number {
  let hi = significand[0];
  let lo = significand[1];
  // Two digits a step where two follow (half the steps and a shorter chain of multiply-adds; the byte after a
  // digit is inside the buffer, as an LF follows). `(b - 48) & 0xff <= 9` is the digit test in one comparison
  // on a small integer (`>>> 0` made 2³² − 4 of a comma, which V8, having seen only digits there, took for a
  // signed 32-bit integer and deoptimized on).
  while (room > 0) {
    const d1 = (bytes[i] - 48) & 0xff;
    if (d1 > 9) break;
    const d2 = (bytes[i + 1] - 48) & 0xff;
    if (d2 <= 9 && room > 1) ((hi = hi * 100 + (d1 * 10 + d2)), (i += 2), (room -= 2));
    else ((hi = hi * 10 + d1), i++, room--);
  }
  for (;;) {
    const d1 = (bytes[i] - 48) & 0xff;
    if (d1 > 9) break;
    const d2 = (bytes[i + 1] - 48) & 0xff;
    if (d2 > 9) {
      lo = lo * 10 + d1;
      i++;
      break;
    }
    lo = lo * 100 + (d1 * 10 + d2);
    i += 2;
  }
  significand[0] = hi;
  significand[1] = lo;
  return i;
}

/** A number starting at bytes[i] (an LF follows somewhere): writes its value at out[at] and returns its end; −1
 * when the fast paths cannot. Exponents only when `exponents` (the first 64 KiB have one): a file without them
 * leaves a rare one to the general scanner instead of to code V8 has not optimized yet. */
function plainNumber(bytes: Uint8Array, i: number, exponents: boolean, out: Float64Array, at: number): number {
  let negative = false;
  const b = bytes[i];
  if (b === MINUS || b === PLUS) {
    negative = b === MINUS;
    i++;
  }
  // The first 9 significant digits in hi, the rest in lo (exact while there are at most 18).
  significand[0] = 0;
  significand[1] = 0;
  let exp10 = 0;
  let d = 0;
  const first = i;
  while (bytes[i] === 48) i++;
  const digitsFrom = i;
  i = digitRun(bytes, i, 9);
  let digits = i - digitsFrom;
  let any = i > first;
  if (bytes[i] === DOT) {
    i++;
    const dot = i;
    if (digits === 0) while (bytes[i] === 48) i++;
    exp10 = dot - i;
    const before = i;
    i = digitRun(bytes, i, 9 - digits);
    digits += i - before;
    exp10 -= i - before;
    any = any || i > dot;
  }
  const hi = significand[0];
  const lo = significand[1];
  if (!any) return -1;
  if (bytes[i] === 101 || bytes[i] === 69) {
    if (!exponents) return -1;
    i++;
    let eNeg = false;
    if (bytes[i] === PLUS || bytes[i] === MINUS) eNeg = bytes[i++] === MINUS;
    let e = 0;
    let eDigits = 0;
    while ((d = (bytes[i] - 48) & 0xff) <= 9) {
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
/** 10^k split into high and low halves (Veltkamp), for Dekker's product v·10^k. */
const POW10_HI = POW10.map((p) => {
  const c = SPLITTER * p;
  return c - (c - p);
});
const POW10_LO = POW10.map((p, k) => p - POW10_HI[k]);
const TWO_M53 = 2 ** -53;
const TWO_53 = 2 ** 53;

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
  const m = a + l;
  // M below 2⁵³ is an exact double: one division, correctly rounded (Clinger's fast path). M = 2⁵³ + 1 rounds to
  // 2⁵³ in a + l, so only a sum below 2⁵³ proves M exact.
  if (m < TWO_53) return m / P;
  let v = m / P;
  const ph = POW10_HI[k];
  const pl = POW10_LO[k];
  for (let tries = 0; tries < 3; tries++) {
    const p = v * P;
    const vc = SPLITTER * v;
    const vh = vc - (vc - v);
    const vl = v - vh;
    const e = vh * ph - p + vh * pl + vl * ph + vl * pl;
    const d = a - p + l - e;
    // ulp(v): v·2⁻⁵³ is in [ulp/2, ulp), so v + v·2⁻⁵³ rounds to v + ulp, except at a power of two, where the tie
    // rounds to v (0 here: then Number decides). Away from a power of two the gap below v is the same ulp.
    const u = v + v * TWO_M53 - v;
    if (u === 0) return -1;
    const halfGap = u * P * 0.5;
    const ad = Math.abs(d);
    if (ad < halfGap - 1e-4) return v;
    if (ad <= halfGap + 1e-4) return -1;
    v = d >= 0 ? v + u : v - u;
  }
  return -1;
}
