import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadToolPoints, ToolUsageError } from '../../../../src-worker/tools/load-points';
import { PointsParseError } from '../../../../src-worker/geometry/points';

const dir = mkdtempSync(join(tmpdir(), 'load-points-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

/** A v1 .npy file as numpy writes it (header padded with spaces to a multiple of 64 bytes, ending in \n). */
function npy(values: number[], rows: number, cols: number, descr = '<f8'): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const width = descr === '<f8' ? 8 : 4;
  const out = new Uint8Array(10 + header.length + width * values.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const view = new DataView(out.buffer, 10 + header.length);
  values.forEach((v, i) => (width === 8 ? view.setFloat64(8 * i, v, true) : view.setFloat32(4 * i, v, true)));
  return out;
}

describe('loadToolPoints', () => {
  it('a directory is refused as a usage error (exit 2), naming it', () => {
    expect(() => loadToolPoints({ file: dir })).toThrow(ToolUsageError);
    expect(() => loadToolPoints({ file: dir })).toThrow(/is a directory/);
    expect(() => loadToolPoints({ file: join(dir, 'missing.csv') })).toThrow(/no such file/);
  });
  it('a header-less file with a typo in its first row fails on line 1, column 2', () => {
    const p = file('typo.csv', '1,2O\n3,4\n5,6\n');
    expect(() => loadToolPoints({ file: p })).toThrow(PointsParseError);
    expect(() => loadToolPoints({ file: p })).toThrow(/line 1: column 2/);
  });
  it('reads qhull rbox output', () => {
    const p = file('rbox.txt', '2 rbox 3 D2\n3\n0.1 0.2\n-0.3 0.4\n0.5 -0.6\n');
    expect(Array.from(loadToolPoints({ file: p }).points)).toEqual([0.1, 0.2, -0.3, 0.4, 0.5, -0.6]);
  });
  it('reads .f64 and .npy (float64 and float32), refusing wrong shapes and dtypes', () => {
    const xs = [0.5, 1.25, -3, 4, 1e-300, 7];
    expect(Array.from(loadToolPoints({ file: file('a.f64', new Uint8Array(Float64Array.from(xs).buffer)) }).points)).toEqual(xs);
    expect(() => loadToolPoints({ file: file('bad.f64', new Uint8Array(12)) })).toThrow(/not a multiple of 16/);
    expect(Array.from(loadToolPoints({ file: file('a.npy', npy(xs, 3, 2)) }).points)).toEqual(xs);
    expect(Array.from(loadToolPoints({ file: file('b.npy', npy([0.5, 1.5, 2, 3], 2, 2, '<f4')) }).points)).toEqual([0.5, 1.5, 2, 3]);
    expect(() => loadToolPoints({ file: file('c.npy', npy(xs, 2, 3)) })).toThrow(/expected 2/);
    expect(() => loadToolPoints({ file: file('d.npy', npy([1, 2, NaN, 4], 2, 2)) })).toThrow(/not a finite number/);
    expect(() => loadToolPoints({ file: file('e.npy', new Uint8Array([1, 2, 3])) })).toThrow(/not a .npy file/);
  });
});
