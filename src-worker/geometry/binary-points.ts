/**
 * Binary point files, read without parsing text:
 *   - `.f64`: raw little-endian float64 values x0, y0, x1, y1, … (what the benches write);
 *   - `.npy`: NumPy's format, versions 1–3 (magic `\x93NUMPY`, major, minor, a header length of 2 bytes in v1
 *     and 4 in v2/v3, then a Python-literal dict `{'descr': '<f8', 'fortran_order': False, 'shape': (n, 2), }`).
 *     Accepted: little-endian float64 (`<f8`) or float32 (`<f4`), C order, shape (n, dims). A few lines of header
 *     reading did not justify a dependency.
 * Non-finite values are refused with their row, as in the text formats.
 */
import { PointsParseError, type LoadedPoints } from './points';

export function parseF64Points(bytes: Uint8Array, dims: number): LoadedPoints {
  if (bytes.byteLength % (8 * dims) !== 0) {
    throw new PointsParseError(1, `a .f64 file holds ${dims} float64 values per point; ${bytes.byteLength} bytes is not a multiple of ${8 * dims}`);
  }
  const points = new Float64Array(bytes.byteLength / 8);
  if (littleEndianHost()) new Uint8Array(points.buffer).set(bytes);
  else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < points.length; i++) points[i] = view.getFloat64(8 * i, true);
  }
  return finish(points, dims);
}

export function parseNpyPoints(bytes: Uint8Array, dims?: number): LoadedPoints {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.byteLength < 10 || magic.some((m, i) => bytes[i] !== m)) throw new PointsParseError(1, 'not a .npy file (no \\x93NUMPY magic)');
  const major = bytes[6];
  if (major < 1 || major > 3) throw new PointsParseError(1, `unsupported .npy version ${major}.${bytes[7]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new PointsParseError(1, `unreadable .npy header: ${header.trim()}`);
  if (descr !== '<f8' && descr !== '<f4') throw new PointsParseError(1, `.npy dtype ${descr} is not supported (little-endian float64 <f8 or float32 <f4)`);
  if (fortran === 'True') throw new PointsParseError(1, '.npy arrays in Fortran order are not supported (save with np.ascontiguousarray)');
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  if (shape.length !== 2 || (shape[1] !== 2 && shape[1] !== 3)) throw new PointsParseError(1, `.npy shape (${shape.join(', ')}) is not (n, 2) or (n, 3)`);
  if (dims !== undefined && shape[1] !== dims) throw new PointsParseError(1, `.npy shape (${shape.join(', ')}) has ${shape[1]} columns, expected ${dims}`);
  const width = descr === '<f8' ? 8 : 4;
  const dataStart = headerStart + headerLen;
  const count = shape[0] * shape[1];
  if (bytes.byteLength - dataStart < count * width) throw new PointsParseError(1, `.npy data is truncated: ${count} values announced`);
  const points = new Float64Array(count);
  if (width === 8 && littleEndianHost()) new Uint8Array(points.buffer).set(bytes.subarray(dataStart, dataStart + 8 * count));
  else if (width === 8) for (let i = 0; i < count; i++) points[i] = view.getFloat64(dataStart + 8 * i, true);
  else for (let i = 0; i < count; i++) points[i] = view.getFloat32(dataStart + 4 * i, true);
  return finish(points, shape[1]);
}

function finish(points: Float64Array, dims: number): LoadedPoints {
  const n = points.length / dims;
  for (let i = 0; i < points.length; i++) {
    if (!Number.isFinite(points[i])) throw new PointsParseError(1, `point ${Math.floor(i / dims)} (0-based), column ${(i % dims) + 1}: ${points[i]} is not a finite number`);
  }
  if (n < 1) throw new PointsParseError(1, 'too few points: 0, at least 1 needed');
  const lines = new Uint32Array(n);
  for (let k = 0; k < n; k++) lines[k] = k + 1;
  return { points, dims, lines };
}

function littleEndianHost(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}
