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
  let capacity = 1024;
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
  textCache = null;
  return { points: values.slice(0, count * (dims || 2)), dims: dims || 2, lines: lines.slice(0, count) };
}

let textCache: { bytes: Uint8Array; text: string } | null = null;

/** The whole file as a latin1 string (one decode; the slow path of `parseField` takes substrings of it). */
function textOf(bytes: Uint8Array): string {
  if (textCache?.bytes !== bytes) textCache = { bytes, text: latin1.decode(bytes) };
  return textCache.text;
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
 * one correctly rounded operation (Clinger's fast path: both factors are exact doubles); anything else goes to
 * `Number()` on the field's text, so every value is the correctly rounded double either way.
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
  let v: number;
  if (fast && exp10 >= -22 && exp10 <= 22) v = exp10 < 0 ? mantissa / POW10[-exp10] : mantissa * POW10[exp10];
  else v = Math.abs(Number(textOf(bytes).substring(start, end)));
  if (!Number.isFinite(v)) {
    throw new PointsParseError(line, `column ${column}: "${latin1.decode(bytes.subarray(start, end))}" overflows to ${negative ? -v : v}`);
  }
  return negative ? -v : v;
}
