import { describe, expect, it } from 'vitest';
import {
  DATASET_NAMES,
  PointsParseError,
  dedupe,
  generatePoints,
  normalizeUnitSquare,
  parseCsvPoints,
  parseJsonPoints,
  parseQuickDrawNdjson,
  preparePoints,
} from '../../../../src-worker/geometry/points';
import { convexHull } from '../../../../src-worker/geometry/hull/index';
import { gaussian, rng } from '../../../../src-worker/geometry/random';

function expectParseError(fn: () => unknown, line: number, pattern?: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(PointsParseError);
  expect((caught as PointsParseError).line).toBe(line);
  if (pattern) expect((caught as PointsParseError).message).toMatch(pattern);
}

describe('random', () => {
  it('is deterministic per seed, differs across seeds, and stays in [0, 1)', () => {
    const a = rng(42), b = rng(42), c = rng(43);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 1000 }, () => c())).not.toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const m = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(m - 0.5)).toBeLessThan(0.05);
  });
  it('gaussian has mean 0 and variance 1 (roughly)', () => {
    const g = gaussian(rng(1));
    const xs = Array.from({ length: 20000 }, () => g());
    const m = xs.reduce((s, x) => s + x, 0) / xs.length;
    const v = xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
    expect(Math.abs(m)).toBeLessThan(0.03);
    expect(Math.abs(v - 1)).toBeLessThan(0.05);
  });
});

describe('generators', () => {
  for (const name of DATASET_NAMES) {
    it(`${name}: n points, finite, seeded`, () => {
      const p = generatePoints(name, 2000, 42);
      expect(p.length).toBe(4000);
      expect(p.every(Number.isFinite)).toBe(true);
      expect(Array.from(generatePoints(name, 2000, 42))).toEqual(Array.from(p));
      expect(Array.from(generatePoints(name, 2000, 123))).not.toEqual(Array.from(p));
      const q = normalizeUnitSquare(p);
      expect(Math.min(...q)).toBe(0);
      expect(Math.max(...q)).toBe(1);
    });
  }
  it('circle: every point is a hull vertex', () => {
    for (const n of [3, 100, 5000]) expect(convexHull(generatePoints('circle', n, 7), 'monotone').length).toBe(n);
  });
  it('parabolic: y follows x² with σ = 0.1 noise (before the affine map)', () => {
    const p = generatePoints('parabolic', 20000, 1);
    let ss = 0;
    for (let i = 0; i < 20000; i++) {
      const x = 2 * p[2 * i] - 1;
      const y = 2 * p[2 * i + 1] - 0.5;
      ss += (y - x * x) ** 2;
    }
    expect(Math.sqrt(ss / 20000)).toBeCloseTo(0.1, 2);
  });
  it('quickdraw-like: low-entropy strokes give a small hull relative to n', () => {
    const h = convexHull(generatePoints('quickdraw-like', 20000, 5), 'auto').length;
    expect(h).toBeLessThan(200);
  });
});

describe('G.12 preprocessing', () => {
  it('normalizeUnitSquare scales each axis to [0, 1]; a flat axis maps to 0', () => {
    expect(Array.from(normalizeUnitSquare(Float64Array.from([2, 5, 4, 5, 3, 5])))).toEqual([0, 0, 1, 0, 0.5, 0]);
  });
  it('dedupe keeps the first copy of every location, in input order', () => {
    const { points, kept } = dedupe(Float64Array.from([1, 1, 0, 0, 1, 1, 2, 2, 0, 0, -0, 0]));
    expect(Array.from(kept)).toEqual([0, 1, 3]);
    expect(Array.from(points)).toEqual([1, 1, 0, 0, 2, 2]);
    const d3 = dedupe(Float64Array.from([1, 2, 3, 1, 2, 3, 1, 2, 4]), 3);
    expect(Array.from(d3.kept)).toEqual([0, 2]);
  });
  it('preparePoints: normalise, then dedupe', () => {
    const { points } = preparePoints(Float64Array.from([0, 0, 10, 10, 10, 10, 5, 5]));
    expect(Array.from(points)).toEqual([0, 0, 1, 1, 0.5, 0.5]);
  });
});

describe('parseCsvPoints', () => {
  it('reads x,y with an optional header, comments and blank lines; remembers file lines', () => {
    const r = parseCsvPoints('x,y\n# a comment\n0,0\n\n1.5, 2e-3\r\n-3,4\n');
    expect(Array.from(r.points)).toEqual([0, 0, 1.5, 0.002, -3, 4]);
    expect(r.dims).toBe(2);
    expect(Array.from(r.lines)).toEqual([3, 5, 6]);
  });
  it('reads x,y,z and tab/semicolon separators', () => {
    expect(parseCsvPoints('1,2,3\n4,5,6').dims).toBe(3);
    expect(Array.from(parseCsvPoints('1\t2\n3;4').points)).toEqual([1, 2, 3, 4]);
  });
  it('refuses bad rows with the line number, loading nothing', () => {
    expectParseError(() => parseCsvPoints('x,y\n0,0\n1,NaN\n2,2'), 3, /column 2.*not a finite number/);
    expectParseError(() => parseCsvPoints('0,0\n1,Infinity'), 2);
    expectParseError(() => parseCsvPoints('0,0\n1,-inf'), 2);
    expectParseError(() => parseCsvPoints('0,0\n1,1e999'), 2, /overflows/);
    expectParseError(() => parseCsvPoints('0,0\n\n1,2,3'), 3, /expected 2 columns, found 3/);
    expectParseError(() => parseCsvPoints('0,0\n1'), 2);
    expectParseError(() => parseCsvPoints('0,0\n1,abc'), 2);
    expectParseError(() => parseCsvPoints('1,2', { dims: 3 }), 1, /expected 3 columns/);
    expectParseError(() => parseCsvPoints('NaN,0\n1,1'), 1);
    expectParseError(() => parseCsvPoints('x,y\n0,0\n1,1\n', { minPoints: 3 }), 4, /too few points: 2/);
    expectParseError(() => parseCsvPoints('x,y\n'), 2, /too few points: 0/);
  });
});

/** The reference reading of a point file: every data line split on its separators, each field through Number. */
function referenceParse(text: string): number[] {
  const rows = text.split(/\r\n|\n|\r/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const data = rows.filter((l, k) => k > 0 || /^[-+.\d]/.test(l));
  return data.flatMap((l) => l.split(/\s*[,;\t]\s*|\s+/).map(Number));
}

describe('parseCsvPoints: the plain-row fast path equals the reference reading', () => {
  const u = rng(21);
  const formats: Array<(v: number) => string> = [
    (v) => String(v),
    (v) => v.toPrecision(17),
    (v) => v.toPrecision(16),
    (v) => v.toExponential(Math.floor(u() * 17)),
    (v) => v.toFixed(Math.floor(u() * 12)),
    (v) => (v >= 0 ? `+${v}` : String(v)),
    (v) => v.toExponential(16).toUpperCase(),
    (v) => `00${Math.abs(v).toFixed(3)}`,
    (v) => Math.abs(v).toFixed(5).replace(/^0\./, '.'),
  ];
  const randomValue = (): number => (u() - 0.5) * 10 ** Math.floor(u() * 16 - 8);
  const randomFile = (rows: number, sep: string, eol: string, header: boolean, trailing: boolean): string => {
    const lines: string[] = header ? ['x,y'] : [];
    for (let r = 0; r < rows; r++) {
      if (u() < 0.02) lines.push(u() < 0.5 ? '' : '# comment');
      const f = formats[Math.floor(u() * formats.length)];
      lines.push(`${f(randomValue())}${sep}${f(randomValue())}`);
    }
    return lines.join(eol) + (trailing ? eol : '');
  };
  it('random files: formats, exponents, signs, separators, CRLF, blank lines, header, no trailing newline', () => {
    for (const sep of [',', ';', '\t', ', ', ' ']) {
      for (const eol of ['\n', '\r\n']) {
        for (const [header, trailing] of [[true, true], [false, false]] as const) {
          const text = randomFile(3000, sep, eol, header, trailing);
          expect(Array.from(parseCsvPoints(text).points), `sep ${JSON.stringify(sep)} eol ${JSON.stringify(eol)}`).toEqual(referenceParse(text));
        }
      }
    }
  });
  it('17- and 18-digit decimals cut from the exact midpoint between two doubles round like Number', () => {
    const f = new Float64Array(1);
    const w = new BigUint64Array(f.buffer);
    const lines: string[] = [];
    for (let k = 0; k < 20_000; k++) {
      f[0] = u() * 10 ** Math.floor(u() * 6 - 5);
      const bits = w[0];
      const e = Number((bits >> 52n) & 0x7ffn) - 1075;
      const m = (bits & ((1n << 52n) - 1n)) | (1n << 52n);
      // Midpoint to the next double: (2m + 1)·2^(e−1) = (2m + 1)·5^(1−e) / 10^(1−e), e < 0 here.
      const digits = ((2n * m + 1n) * 5n ** BigInt(1 - e)).toString();
      const point = digits.length - (1 - e);
      const cut = 17 + (k % 2);
      const sig = digits.slice(0, cut);
      const up = k % 3 === 0 ? (BigInt(sig) + 1n).toString() : sig;
      const text = point > 0 ? `${up.slice(0, point)}.${up.slice(point)}` : `0.${'0'.repeat(-point)}${up}`;
      lines.push(`${text},${k % 5 === 0 ? `${up.slice(0, 1)}.${up.slice(1)}e-${7 + (k % 9)}` : '1'}`);
    }
    const text = lines.join('\n');
    expect(Array.from(parseCsvPoints(text).points)).toEqual(referenceParse(text));
  });
  it('files whose first 64 KiB promise fewer rows than follow (long rows, then short ones; x,y,z) keep every row', () => {
    const long = Array.from({ length: 1500 }, (_, i) => `${(i / 7).toPrecision(17)},${(-i / 3).toPrecision(17)}`);
    const short = Array.from({ length: 40_000 }, (_, i) => `${i % 10},${i % 7}`);
    const text = [...long, ...short].join('\n');
    expect(Array.from(parseCsvPoints(text).points)).toEqual(referenceParse(text));
    const xyz = Array.from({ length: 20_000 }, (_, i) => `${i / 9},${i % 5},${-i}`).join('\n');
    const parsed = parseCsvPoints(xyz);
    expect(parsed.dims).toBe(3);
    expect(Array.from(parsed.points)).toEqual(referenceParse(xyz));
    expect(parsed.lines[19_999]).toBe(20_000);
  });
  it('the rows after the last LF (no newline, a lone CR, a cut row) are read by the general scanner', () => {
    const good = Array.from({ length: 300 }, (_, i) => `${i / 7},${-i / 3}`).join('\n');
    for (const tail of ['\n1.5,2.25', '\n1.5,2.25\r', '\r\n1.5,2.25', '\n1.5,2.25e-3']) {
      expect(Array.from(parseCsvPoints(good + tail).points)).toEqual(referenceParse(good + tail));
    }
    expectParseError(() => parseCsvPoints(`${good}\n1.5,`), 301, /not a finite number/);
    expectParseError(() => parseCsvPoints(`${good}\n1.5`), 301, /expected 2 columns/);
  });
  it('16–18-digit significands at and around 2⁵³ + 1 and 2⁵⁴ + 1, and quotients at a power of two, round like Number', () => {
    // M = 2⁵³ + 1 rounds to 2⁵³ as a double: a check of the rounded M against 2⁵³ took it for exact (0.9007199254740993 read as …992).
    const texts: string[] = ['0.50000000000000001', '0.49999999999999999', '0.12500000000000001', '1.0000000000000001', '0.99999999999999999', '-0.9007199254740993'];
    for (const m of [2n ** 53n, 2n ** 54n, 2n ** 55n, 2n ** 56n, 2n ** 58n]) {
      for (let dm = -3n; dm <= 3n; dm++) {
        const digits = (m + dm).toString();
        for (let k = 1; k <= Math.min(digits.length, 18); k++) {
          texts.push(k === digits.length ? `0.${digits}` : `${digits.slice(0, digits.length - k)}.${digits.slice(digits.length - k)}`);
        }
      }
    }
    const csv = texts.map((t) => `${t},${t}`).join('\n');
    const p = parseCsvPoints(csv);
    texts.forEach((t, i) => expect(Object.is(p.points[2 * i], Number(t)), t).toBe(true));
  });
  it('a file without exponents in its first 64 KiB reads a later one, and short numbers among long ones, like Number', () => {
    const long = Array.from({ length: 4000 }, () => `${u()},${u()}`);
    const later = ['9.623513416157081e-7,0.5', '0.25,1E5', '0.4224,0.5', '0,1', '12345678.25,-0.0000001', '5.,.5', '-3e+2,7e-3'];
    const text = ['x,y', ...long, ...later, ...long.slice(0, 100)].join('\n');
    const parsed = parseCsvPoints(text);
    expect(Array.from(parsed.points)).toEqual(referenceParse(text));
    expect(parsed.lines[4000]).toBe(4002);
    expect(parsed.lines[4000 + later.length + 99]).toBe(4001 + later.length + 100);
  });
  it('a bad row after many plain ones still fails with its line number', () => {
    const good = Array.from({ length: 500 }, (_, i) => `${i / 7},${-i / 3}`);
    for (const [bad, pattern] of [['1,NaN', /not a finite number/], ['1,2x', /not a finite number/], ['1', /expected 2 columns/], ['1,2,3', /expected 2 columns/], ['1,1e999', /overflows/], ['1,-', /not a finite number/], ['1e,2', /not a finite number/]] as const) {
      expectParseError(() => parseCsvPoints(['x,y', ...good, bad, '0,0'].join('\r\n')), 502, pattern);
    }
  });
});

describe('parseJsonPoints', () => {
  it('reads [[x, y], …] and [{x, y}, …] with element lines', () => {
    const r = parseJsonPoints('[\n  [0, 0],\n  [1, 2],\n  [3, 4]\n]');
    expect(Array.from(r.points)).toEqual([0, 0, 1, 2, 3, 4]);
    expect(Array.from(r.lines)).toEqual([2, 3, 4]);
    expect(Array.from(parseJsonPoints('[{"x": 1, "y": 2}, {"y": 4, "x": 3}]').points)).toEqual([1, 2, 3, 4]);
    expect(parseJsonPoints('[[1,2,3]]').dims).toBe(3);
  });
  it('refuses malformed JSON and bad elements with the line number', () => {
    expectParseError(() => parseJsonPoints('[\n  [0, 0],\n  [1, 2\n  [3, 4]\n]'), 4, /malformed JSON/);
    expectParseError(() => parseJsonPoints('[\n [0, 0],\n [1, NaN]\n]'), 3, /malformed JSON/);
    expectParseError(() => parseJsonPoints('[\n [0, 0],\n [1, null]\n]'), 3, /coordinate 2/);
    expectParseError(() => parseJsonPoints('[\n [0, 0],\n [1e999, 1]\n]'), 3, /coordinate 1/);
    expectParseError(() => parseJsonPoints('[\n [0, 0],\n [1, 2, 3]\n]'), 3, /expected 2 coordinates/);
    expectParseError(() => parseJsonPoints('[\n [0, 0],\n {"x": 1, "y": "2"}\n]'), 3);
    expectParseError(() => parseJsonPoints('{"points": []}'), 1, /array/);
    expectParseError(() => parseJsonPoints('[]'), 1, /too few points/);
  });
});

describe('parseQuickDrawNdjson', () => {
  const line1 = '{"word":"cat","drawing":[[[0,10,20],[5,6,7]],[[1,2],[3,4]]]}';
  const line2 = '{"word":"dog","drawing":[[[100],[200]]]}';
  it('concatenates strokes and drawings, remembering where each drawing starts', () => {
    const r = parseQuickDrawNdjson(`${line1}\n\n${line2}\n`);
    expect(Array.from(r.points)).toEqual([0, 5, 10, 6, 20, 7, 1, 3, 2, 4, 100, 200]);
    expect(Array.from(r.drawingStart)).toEqual([0, 5, 6]);
    expect(Array.from(r.lines)).toEqual([1, 1, 1, 1, 1, 3]);
    expect(r.words).toEqual(['cat', 'dog']);
  });
  it('refuses bad lines with their number', () => {
    expectParseError(() => parseQuickDrawNdjson(`${line1}\n{"drawing": [[[1,2],[3]]]}`), 2, /2 x values but 1 y values/);
    expectParseError(() => parseQuickDrawNdjson(`${line1}\n${line2}\n{"drawing": [[[1],[null]]]}`), 3, /not finite/);
    expectParseError(() => parseQuickDrawNdjson(`${line1}\n{"drawing": oops}`), 2, /malformed JSON/);
    expectParseError(() => parseQuickDrawNdjson(`{"word": "x"}`), 1, /missing "drawing"/);
  });
});

describe('k-means snapping (Table 20 baseline)', () => {
  it('moves every point by at most σ per axis, toward its centre, deterministically', async () => {
    const { kMeansSnap, KMEANS_SNAP_SIGMA } = await import('../../../../src-worker/geometry/preprocess');
    const { generatePoints } = await import('../../../../src-worker/geometry/points');
    const pts = generatePoints('uniform-square', 2000, 7);
    const a = kMeansSnap(pts);
    expect(kMeansSnap(pts)).toEqual(a);
    let moved = 0;
    for (let i = 0; i < pts.length; i++) {
      expect(Math.abs(a[i] - pts[i])).toBeLessThanOrEqual(KMEANS_SNAP_SIGMA + 1e-15);
      if (a[i] !== pts[i]) moved++;
    }
    expect(moved).toBeGreaterThan(pts.length / 2);
  });
});

describe('point files: headers, qhull rbox output, typos in the first row', () => {
  it('a first row with a typo is data, not a header: it fails with line and column', () => {
    expectParseError(() => parseCsvPoints('1,2O\n3,4\n5,6'), 1, /column 2: "2O" is not a finite number.*header only when no field looks numeric/);
    expectParseError(() => parseCsvPoints('x,2\n3,4'), 1, /column 1: "x"/);
    expectParseError(() => parseCsvPoints('nan,inf\n3,4'), 1);
  });
  it('a header is skipped only when no field looks numeric', () => {
    const p = parseCsvPoints('x,y\n1,2\n3,4');
    expect(Array.from(p.points)).toEqual([1, 2, 3, 4]);
    expect(Array.from(p.lines)).toEqual([2, 3]);
    expect(Array.from(parseCsvPoints('px py\n1 2\n3 4').points)).toEqual([1, 2, 3, 4]);
  });
  it('reads whitespace-separated rows and qhull rbox output (dimension line, count line, rows)', () => {
    expect(Array.from(parseCsvPoints('1 2\n  3   4  \n5\t6').points)).toEqual([1, 2, 3, 4, 5, 6]);
    const rbox = '2 rbox 4 D2\n4\n-0.5 0.25\n0.125 -0.375\n1e-3 2E2\n-7 8\n';
    const p = parseCsvPoints(rbox);
    expect(p.dims).toBe(2);
    expect(Array.from(p.points)).toEqual([-0.5, 0.25, 0.125, -0.375, 0.001, 200, -7, 8]);
    expect(Array.from(p.lines)).toEqual([3, 4, 5, 6]);
    expect(parseCsvPoints('3 rbox 2 D3\n2\n1 2 3\n4 5 6').dims).toBe(3);
    expectParseError(() => parseCsvPoints('2 rbox 3 D2\n3\n1 2\n3 4\n'), 5, /announces 3 points, the file has 2/);
    expectParseError(() => parseCsvPoints('2 rbox\n1 2\n'), 2, /point count/);
  });
  it('numbers parse to the same doubles as Number()', () => {
    const u = rng(9);
    const texts: string[] = ['0.1', '-0', '1e-300', '123456789012345678', '0.30000000000000004', '.5', '5.', '+3', '1E22', '9007199254740993'];
    for (let i = 0; i < 200; i++) texts.push(String(u() * 10 ** Math.floor(u() * 40 - 20)), (u() * 1000).toFixed(6), (u() - 0.5).toPrecision(17));
    const csv = texts.map((t) => `${t},${t}`).join('\n');
    const p = parseCsvPoints(csv);
    texts.forEach((t, i) => expect(Object.is(p.points[2 * i], Number(t))).toBe(true));
  });
});
