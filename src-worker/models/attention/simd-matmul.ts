/**
 * Batched products of small matrices in a WebAssembly SIMD kernel of our own (simd-matmul.as, compiled by
 * scripts/build-simd-wasm.mjs into simd-matmul.wasm.ts), and a tfjs op over it with its gradient.
 *
 * Why: tfjs-wasm runs a MatMul whose batch dimension is > 1 in its generic C++ loop (XNNPACK only takes
 * plain 2-D products), about 1–2 GMAC/s, and the attention products of the tiny ViT are exactly that:
 * [B·H, N, d_h]·[B·H, d_h, N] and [B·H, N, N]·[B·H, N, d_h] with N ≤ 65, d_h = 16, and their gradients.
 * The kernel keeps a 4×8 tile of C in f32x4 registers. Inputs are copied into the module's own memory
 * (dataSync, as the host kernels do: every backend the workers use keeps tensors in host memory) and the
 * result is copied out into a new tensor; the backward pass reuses the forward's host copies.
 *
 *   C = A·B:   dA = dC·Bᵀ,  dB = Aᵀ·dC          C = A·Bᵀ:  dA = dC·B,  dB = dCᵀ·A
 */
import * as tf from '../tf';
import { SIMD_MATMUL_WASM_BASE64 } from './simd-matmul.wasm';

/** 'ab': C = A·B (A [n, m], B [m, p]); 'abT': C = A·Bᵀ (B [p, m]); 'aTb': C = Aᵀ·B (A [m, n], B [m, p]). */
export type SimdProduct = 'ab' | 'abT' | 'aTb';

const KIND: Record<SimdProduct, number> = { ab: 0, abT: 1, aTb: 2 };

interface Kernel {
  memory: WebAssembly.Memory;
  base: number;
  matmul: (kind: number, groups: number, n: number, m: number, p: number, a: number, b: number, c: number, scratch: number) => void;
}

let kernel: Kernel | null = null;

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function load(): Kernel {
  if (kernel) return kernel;
  const module = new WebAssembly.Module(decodeBase64(SIMD_MATMUL_WASM_BASE64));
  const exports = new WebAssembly.Instance(module, {}).exports as unknown as {
    memory: WebAssembly.Memory;
    heapBase: () => number;
    matmul: Kernel['matmul'];
  };
  kernel = { memory: exports.memory, base: exports.heapBase(), matmul: exports.matmul };
  return kernel;
}

/** Whether this JS engine runs WebAssembly SIMD (the kernel fails to compile without it). */
export function simdMatMulAvailable(): boolean {
  try {
    load();
    return true;
  } catch {
    return false;
  }
}

const align = (bytes: number) => (bytes + 15) & ~15;

/**
 * C [G, n, p] for G groups of row-major matrices (shapes per `product`). The module's memory grows to the
 * largest call seen and is reused; only the returned array is new.
 */
export function simdMatMul(product: SimdProduct, groups: number, n: number, m: number, p: number, a: Float32Array, b: Float32Array): Float32Array {
  const aLen = groups * n * m;
  const bLen = groups * m * p;
  const cLen = groups * n * p;
  if (a.length !== aLen || b.length !== bLen) throw new Error(`simdMatMul ${product}: operand sizes ${a.length}, ${b.length} do not match G ${groups}, n ${n}, m ${m}, p ${p}`);
  const k = load();
  const aOff = k.base;
  const bOff = aOff + align(4 * aLen);
  const cOff = bOff + align(4 * bLen);
  const sOff = cOff + align(4 * cLen);
  const end = sOff + align(4 * m * p);
  const have = k.memory.buffer.byteLength;
  if (end > have) k.memory.grow(Math.ceil((end - have) / 65536));
  const buf = k.memory.buffer;
  new Float32Array(buf, aOff, aLen).set(a);
  new Float32Array(buf, bOff, bLen).set(b);
  k.matmul(KIND[product], groups, n, m, p, aOff, bOff, cOff, sOff);
  return new Float32Array(buf, cOff, cLen).slice();
}

type GroupMatMulFn = (a: tf.Tensor3D, b: tf.Tensor3D) => tf.Tensor3D;

function host(t: tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}

/** a [G, n, m] · b [G, m, p] → [G, n, p]. */
const abOp = tf.customGrad(((a: tf.Tensor3D, b: tf.Tensor3D) => {
  const [g, n, m] = a.shape;
  const p = b.shape[2];
  const as = host(a);
  const bs = host(b);
  return {
    value: tf.tensor3d(simdMatMul('ab', g, n, m, p, as, bs), [g, n, p]),
    gradFunc: (dy: tf.Tensor3D) => {
      const d = host(dy);
      return [tf.tensor3d(simdMatMul('abT', g, n, p, m, d, bs), [g, n, m]), tf.tensor3d(simdMatMul('aTb', g, m, n, p, as, d), [g, m, p])];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as GroupMatMulFn;

/** a [G, n, m] · b[G, p, m]ᵀ → [G, n, p]. */
const abTOp = tf.customGrad(((a: tf.Tensor3D, b: tf.Tensor3D) => {
  const [g, n, m] = a.shape;
  const p = b.shape[1];
  const as = host(a);
  const bs = host(b);
  return {
    value: tf.tensor3d(simdMatMul('abT', g, n, m, p, as, bs), [g, n, p]),
    gradFunc: (dy: tf.Tensor3D) => {
      const d = host(dy);
      return [tf.tensor3d(simdMatMul('ab', g, n, p, m, d, bs), [g, n, m]), tf.tensor3d(simdMatMul('aTb', g, p, n, m, d, as), [g, p, m])];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as GroupMatMulFn;

function checkShapes(a: tf.Tensor3D, b: tf.Tensor3D, transposeB: boolean): void {
  const inner = transposeB ? b.shape[2] : b.shape[1];
  if (a.rank !== 3 || b.rank !== 3 || a.shape[0] !== b.shape[0] || a.shape[2] !== inner) {
    throw new Error(`groupMatMulSimd: shapes [${a.shape}] and [${b.shape}]${transposeB ? 'ᵀ' : ''} do not multiply per group`);
  }
}

/**
 * Per group g: a[g] · b[g] (or a[g] · b[g]ᵀ with `transposeB`), float32, differentiable in both operands.
 * Same values as tf.matMul(a, b, false, transposeB) up to float rounding (another summation order).
 */
export function groupMatMulSimd(a: tf.Tensor3D, b: tf.Tensor3D, transposeB = false): tf.Tensor3D {
  checkShapes(a, b, transposeB);
  return transposeB ? abTOp(a, b) : abOp(a, b);
}
