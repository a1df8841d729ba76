/**
 * Batched products of small matrices in a WebAssembly SIMD kernel of our own (simd-matmul.as, compiled by
 * scripts/build-simd-wasm.mjs into simd-matmul.wasm.ts), and a tfjs op over it with its gradient.
 *
 * Why: tfjs-wasm runs a MatMul whose batch dimension is > 1 in its generic C++ loop (XNNPACK only takes
 * plain 2-D products), about 1–2 GMAC/s, and the attention products of the tiny ViT are exactly that:
 * [B·H, N, d_h]·[B·H, d_h, N] and [B·H, N, N]·[B·H, N, d_h] with N ≤ 65, d_h = 16, and their gradients.
 * The kernel keeps a 4×8 tile of C in f32x4 registers. Inputs are copied into the module's own memory and
 * the result is copied out into a new tensor. On tfjs-wasm the operands are read in place from its heap and
 * the result written straight into a tensor it allocates (one copy each way, no JS arrays); on the other
 * backends through dataSync and a new tensor from the result's array. The backward pass reads the forward's
 * saved operands the same way.
 *
 *   C = A·B:   dA = dC·Bᵀ,  dB = Aᵀ·dC          C = A·Bᵀ:  dA = dC·B,  dB = dCᵀ·A
 *
 * The module also holds host-kernels.ts's layer norm and GELU (forward and backward); `simdOnTensors` runs
 * any of its kernels on tensors with the same in-place heap reads and writes.
 */
import * as tf from '../tf';
import { SIMD_MATMUL_WASM_BASE64 } from './simd-matmul.wasm';

/** 'ab': C = A·B (A [n, m], B [m, p]); 'abT': C = A·Bᵀ (B [p, m]); 'aTb': C = Aᵀ·B (A [m, n], B [m, p]). */
export type SimdProduct = 'ab' | 'abT' | 'aTb';

const KIND: Record<SimdProduct, number> = { ab: 0, abT: 1, aTb: 2 };

/** The module's exports besides its memory: pointers are byte offsets into it (simd-matmul.as). */
export interface SimdExports {
  matmul: (kind: number, groups: number, n: number, m: number, p: number, a: number, b: number, c: number, scratch: number) => void;
  layerNormForward: (x: number, g: number, b: number, y: number, rows: number, d: number, eps: number) => void;
  layerNormBackward: (x: number, g: number, dy: number, dx: number, dg: number, db: number, rows: number, d: number, eps: number) => void;
  geluForward: (x: number, y: number, n: number) => void;
  geluBackward: (x: number, dy: number, dx: number, n: number) => void;
  colSums: (a: number, n: number, p: number, out: number) => void;
}

interface Kernel extends SimdExports {
  memory: WebAssembly.Memory;
  base: number;
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
  const exports = new WebAssembly.Instance(module, {}).exports as unknown as SimdExports & {
    memory: WebAssembly.Memory;
    heapBase: () => number;
  };
  kernel = {
    memory: exports.memory,
    base: exports.heapBase(),
    matmul: exports.matmul,
    layerNormForward: exports.layerNormForward,
    layerNormBackward: exports.layerNormBackward,
    geluForward: exports.geluForward,
    geluBackward: exports.geluBackward,
    colSums: exports.colSums,
  };
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

/**
 * Whether an op that would otherwise stay on the backend runs in the module instead: only on tfjs-wasm, whose
 * heap the module reads and writes in place. Elsewhere (cpu, tfjs-node) each call would copy its operands out
 * through dataSync and back, which has not been measured to pay, so those ops stay on the backend there.
 */
export function simdInPlace(backend: string = tf.getBackend()): boolean {
  return backend === 'wasm' && simdMatMulAvailable();
}

const align = (bytes: number) => (bytes + 15) & ~15;

/**
 * C [G, n, p] for G groups of row-major matrices (shapes per `product`). The module's memory grows to the
 * largest call seen and is reused; C is copied into `out` when given, else into a new array.
 */
export function simdMatMul(product: SimdProduct, groups: number, n: number, m: number, p: number, a: Float32Array, b: Float32Array, out?: Float32Array): Float32Array {
  const aLen = groups * n * m;
  const bLen = groups * m * p;
  const cLen = groups * n * p;
  if (a.length !== aLen || b.length !== bLen || (out && out.length !== cLen)) throw new Error(`simdMatMul ${product}: operand sizes ${a.length}, ${b.length} do not match G ${groups}, n ${n}, m ${m}, p ${p}${out ? ` (out ${out.length})` : ''}`);
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
  const c = new Float32Array(buf, cOff, cLen);
  if (!out) return c.slice();
  out.set(c);
  return out;
}

type GroupMatMulFn = (a: tf.Tensor3D, b: tf.Tensor3D) => tf.Tensor3D;

/** What this file uses of tfjs-wasm's backend (BackendWasm's public methods): views of its heap, outputs in it. */
interface HeapBackend {
  typedArrayFromHeap(t: tf.TensorInfo): tf.TypedArray;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

function heapBackend(): HeapBackend | null {
  if (tf.getBackend() !== 'wasm') return null;
  const b = tf.backend() as unknown as Partial<HeapBackend>;
  return typeof b.typedArrayFromHeap === 'function' && typeof b.makeOutput === 'function' ? (b as HeapBackend) : null;
}

/** Per group: C [G, n, p] of `product` of a and b (shapes as for simdMatMul), as a new tensor. */
function product(kind: SimdProduct, g: number, n: number, m: number, p: number, a: tf.Tensor, b: tf.Tensor): tf.Tensor3D {
  const heap = heapBackend();
  if (!heap || a.dtype !== 'float32' || b.dtype !== 'float32') {
    return tf.tensor3d(simdMatMul(kind, g, n, m, p, a.dataSync() as Float32Array, b.dataSync() as Float32Array), [g, n, p]);
  }
  // The output is allocated first: a malloc may grow the heap and detach views taken before it.
  const info = heap.makeOutput([g, n, p], 'float32');
  simdMatMul(kind, g, n, m, p, heap.typedArrayFromHeap(a) as Float32Array, heap.typedArrayFromHeap(b) as Float32Array, heap.typedArrayFromHeap(info) as Float32Array);
  return tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor3D;
}

/**
 * a [G, n, m] · b [G, m, p] → [G, n, p], or with `transposeB` a [G, n, m] · b [G, p, m]ᵀ → [G, n, p]; both
 * gradients are products of the same kernel.
 */
function groupProductOp(transposeB: boolean): GroupMatMulFn {
  return tf.customGrad(((a: tf.Tensor3D, b: tf.Tensor3D, save: tf.GradSaveFunc) => {
    const [g, n, m] = a.shape;
    const p = transposeB ? b.shape[1] : b.shape[2];
    save([a, b]);
    return {
      value: product(transposeB ? 'abT' : 'ab', g, n, m, p, a, b),
      gradFunc: (dy: tf.Tensor3D, saved: tf.Tensor[]) => {
        const [as, bs] = saved;
        return transposeB
          ? [product('ab', g, n, p, m, dy, bs), product('aTb', g, p, n, m, dy, as)]
          : [product('abT', g, n, p, m, dy, bs), product('aTb', g, m, n, p, as, dy)];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as GroupMatMulFn;
}

const abOp = groupProductOp(false);
const abTOp = groupProductOp(true);

/**
 * Copies `inputs` into the module's memory (one after another, 16-byte aligned, above its heap base), runs
 * `run` with their byte offsets and those of `outputs`' regions after them, and copies each region into its
 * output array. The memory grows to the largest call seen.
 */
function simdRun(inputs: Float32Array[], outputs: Float32Array[], run: (k: SimdExports, ins: number[], outs: number[]) => void): void {
  const k = load();
  let end = k.base;
  const place = (len: number) => {
    const at = end;
    end += align(4 * len);
    return at;
  };
  const ins = inputs.map((a) => place(a.length));
  const outs = outputs.map((a) => place(a.length));
  const have = k.memory.buffer.byteLength;
  if (end > have) k.memory.grow(Math.ceil((end - have) / 65536));
  const buf = k.memory.buffer;
  inputs.forEach((a, i) => new Float32Array(buf, ins[i], a.length).set(a));
  run(k, ins, outs);
  outputs.forEach((a, i) => a.set(new Float32Array(buf, outs[i], a.length)));
}

/**
 * A kernel of the module on float32 tensors: new tensors of `outShapes` from `run` (see simdRun). On
 * tfjs-wasm the inputs are read in place from its heap and the outputs written into tensors it allocates;
 * elsewhere through dataSync and tensors made from arrays. The caller checks `simdMatMulAvailable()`.
 */
export function simdOnTensors(inputs: tf.Tensor[], outShapes: number[][], run: (k: SimdExports, ins: number[], outs: number[]) => void): tf.Tensor[] {
  const heap = heapBackend();
  if (heap && inputs.every((t) => t.dtype === 'float32')) {
    // Outputs first: a malloc may grow the heap and detach views taken before it.
    const infos = outShapes.map((shape) => heap.makeOutput(shape, 'float32'));
    const outs = infos.map((info) => heap.typedArrayFromHeap(info) as Float32Array);
    simdRun(inputs.map((t) => heap.typedArrayFromHeap(t) as Float32Array), outs, run);
    return infos.map((info) => tf.engine().makeTensorFromTensorInfo(info));
  }
  const outs = outShapes.map((shape) => new Float32Array(tf.util.sizeFromShape(shape)));
  simdRun(inputs.map((t) => (t.dtype === 'float32' ? (t.dataSync() as Float32Array) : Float32Array.from(t.dataSync()))), outs, run);
  return outs.map((o, i) => tf.tensor(o, outShapes[i], 'float32'));
}

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
