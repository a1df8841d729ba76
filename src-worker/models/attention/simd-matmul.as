// Batched small matrix products with WebAssembly SIMD (f32x4), and at the end layer norm and GELU for
// host-kernels.ts, in AssemblyScript (compiled by
// scripts/build-simd-wasm.mjs into simd-matmul.wasm.ts; the `.as` extension keeps tsc off this file).
//
// G groups of row-major float32 matrices, C (n×p) written (not accumulated) for each group:
//   kind 0  C = A·B    A [n, m], B [m, p]
//   kind 1  C = A·Bᵀ   A [n, m], B [p, m]   (B transposed into `scratch` [m, p] per group, then kind 0)
//   kind 2  C = Aᵀ·B   A [m, n], B [m, p]
// The caller owns the memory layout (pointers are byte offsets at or above heapBase()); nothing is allocated.
// Register tile: 4 rows × 8 columns of C (8 accumulators), k innermost; A's element splat straight from
// memory (v128.load32_splat), B's row segment as two vector loads. Columns past the last multiple of 8 go
// in one 4-wide block and then scalars; rows past the last multiple of 4 one at a time.

export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

// C (n×p) = A(i, k) · B (m×p, row stride p), with A(i, k) at a + 4·(i·si + k·sk).
function gemm(a: usize, si: i32, sk: i32, b: usize, c: usize, n: i32, m: i32, p: i32): void {
  const p8 = p & ~7;
  const p4 = p & ~3;
  const n4 = n & ~3;
  const rs = (<usize>p) << 2;
  const asi = (<usize>si) << 2;
  const ask = (<usize>sk) << 2;
  let i = 0;
  for (; i < n4; i += 4) {
    const arow = a + (<usize>i) * asi;
    const crow = c + (<usize>i) * rs;
    let j = 0;
    for (; j < p8; j += 8) {
      let c00 = f32x4.splat(0);
      let c01 = f32x4.splat(0);
      let c10 = f32x4.splat(0);
      let c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0);
      let c21 = f32x4.splat(0);
      let c30 = f32x4.splat(0);
      let c31 = f32x4.splat(0);
      let ap = arow;
      let bp = b + ((<usize>j) << 2);
      for (let k = 0; k < m; k++) {
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        const x0 = v128.load32_splat(ap);
        const x1 = v128.load32_splat(ap + asi);
        const x2 = v128.load32_splat(ap + 2 * asi);
        const x3 = v128.load32_splat(ap + 3 * asi);
        c00 = f32x4.add(c00, f32x4.mul(x0, b0));
        c01 = f32x4.add(c01, f32x4.mul(x0, b1));
        c10 = f32x4.add(c10, f32x4.mul(x1, b0));
        c11 = f32x4.add(c11, f32x4.mul(x1, b1));
        c20 = f32x4.add(c20, f32x4.mul(x2, b0));
        c21 = f32x4.add(c21, f32x4.mul(x2, b1));
        c30 = f32x4.add(c30, f32x4.mul(x3, b0));
        c31 = f32x4.add(c31, f32x4.mul(x3, b1));
        ap += ask;
        bp += rs;
      }
      const cp = crow + ((<usize>j) << 2);
      v128.store(cp, c00);
      v128.store(cp, c01, 16);
      v128.store(cp + rs, c10);
      v128.store(cp + rs, c11, 16);
      v128.store(cp + 2 * rs, c20);
      v128.store(cp + 2 * rs, c21, 16);
      v128.store(cp + 3 * rs, c30);
      v128.store(cp + 3 * rs, c31, 16);
    }
    for (; j < p4; j += 4) {
      let c0 = f32x4.splat(0);
      let c1 = f32x4.splat(0);
      let c2 = f32x4.splat(0);
      let c3 = f32x4.splat(0);
      let ap = arow;
      let bp = b + ((<usize>j) << 2);
      for (let k = 0; k < m; k++) {
        const b0 = v128.load(bp);
        c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(ap), b0));
        c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(ap + asi), b0));
        c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(ap + 2 * asi), b0));
        c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(ap + 3 * asi), b0));
        ap += ask;
        bp += rs;
      }
      const cp = crow + ((<usize>j) << 2);
      v128.store(cp, c0);
      v128.store(cp + rs, c1);
      v128.store(cp + 2 * rs, c2);
      v128.store(cp + 3 * rs, c3);
    }
    for (; j < p; j++) {
      let s0: f32 = 0;
      let s1: f32 = 0;
      let s2: f32 = 0;
      let s3: f32 = 0;
      let ap = arow;
      let bp = b + ((<usize>j) << 2);
      for (let k = 0; k < m; k++) {
        const bv = load<f32>(bp);
        s0 += load<f32>(ap) * bv;
        s1 += load<f32>(ap + asi) * bv;
        s2 += load<f32>(ap + 2 * asi) * bv;
        s3 += load<f32>(ap + 3 * asi) * bv;
        ap += ask;
        bp += rs;
      }
      const cp = crow + ((<usize>j) << 2);
      store<f32>(cp, s0);
      store<f32>(cp + rs, s1);
      store<f32>(cp + 2 * rs, s2);
      store<f32>(cp + 3 * rs, s3);
    }
  }
  for (; i < n; i++) {
    const arow = a + (<usize>i) * asi;
    const crow = c + (<usize>i) * rs;
    let j = 0;
    for (; j < p8; j += 8) {
      let c0 = f32x4.splat(0);
      let c1 = f32x4.splat(0);
      let ap = arow;
      let bp = b + ((<usize>j) << 2);
      for (let k = 0; k < m; k++) {
        const x = v128.load32_splat(ap);
        c0 = f32x4.add(c0, f32x4.mul(x, v128.load(bp)));
        c1 = f32x4.add(c1, f32x4.mul(x, v128.load(bp, 16)));
        ap += ask;
        bp += rs;
      }
      const cp = crow + ((<usize>j) << 2);
      v128.store(cp, c0);
      v128.store(cp, c1, 16);
    }
    for (; j < p4; j += 4) {
      let c0 = f32x4.splat(0);
      let ap = arow;
      let bp = b + ((<usize>j) << 2);
      for (let k = 0; k < m; k++) {
        c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(ap), v128.load(bp)));
        ap += ask;
        bp += rs;
      }
      v128.store(crow + ((<usize>j) << 2), c0);
    }
    for (; j < p; j++) {
      let s: f32 = 0;
      let ap = arow;
      let bp = b + ((<usize>j) << 2);
      for (let k = 0; k < m; k++) {
        s += load<f32>(ap) * load<f32>(bp);
        ap += ask;
        bp += rs;
      }
      store<f32>(crow + ((<usize>j) << 2), s);
    }
  }
}

// dst [cols, rows] = src [rows, cols]ᵀ.
function transpose(src: usize, dst: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const s = src + (((<usize>r) * <usize>cols) << 2);
    for (let q = 0; q < cols; q++) store<f32>(dst + (((<usize>q) * <usize>rows + <usize>r) << 2), load<f32>(s + ((<usize>q) << 2)));
  }
}

export function matmul(kind: i32, groups: i32, n: i32, m: i32, p: i32, a: usize, b: usize, c: usize, scratch: usize): void {
  const sa = (<usize>n * <usize>m) << 2;
  const sb = (<usize>m * <usize>p) << 2;
  const sc = (<usize>n * <usize>p) << 2;
  for (let g = 0; g < groups; g++) {
    const ag = a + (<usize>g) * sa;
    const bg = b + (<usize>g) * sb;
    const cg = c + (<usize>g) * sc;
    if (kind == 0) {
      gemm(ag, m, 1, bg, cg, n, m, p);
    } else if (kind == 1) {
      transpose(bg, scratch, p, m);
      gemm(ag, m, 1, scratch, cg, n, m, p);
    } else {
      gemm(ag, 1, n, bg, cg, n, m, p);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Layer norm and GELU (tanh form) for host-kernels.ts, forward and backward, f32x4 over rows of d values
// (rows past the last multiple of 4 in scalars). Same formulas as host-kernels.ts's JS loops; float32
// arithmetic and sums (as tfjs's own kernels sum), where the JS loops sum in doubles.
// ---------------------------------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

// Mean μ and s = 1/√(σ² + ε) of the row of d values at xr, in lanes 0 and 1.
// @ts-ignore: decorator
@inline function rowStats(xr: usize, d: i32, eps: f32): v128 {
  const d4 = d & ~3;
  let acc = f32x4.splat(0);
  let j = 0;
  for (; j < d4; j += 4) acc = f32x4.add(acc, v128.load(xr + ((<usize>j) << 2)));
  let sum = hsum(acc);
  for (; j < d; j++) sum += load<f32>(xr + ((<usize>j) << 2));
  const mu = sum / <f32>d;
  const vmu = f32x4.splat(mu);
  acc = f32x4.splat(0);
  j = 0;
  for (; j < d4; j += 4) {
    const c = f32x4.sub(v128.load(xr + ((<usize>j) << 2)), vmu);
    acc = f32x4.add(acc, f32x4.mul(c, c));
  }
  let sq = hsum(acc);
  for (; j < d; j++) {
    const c = load<f32>(xr + ((<usize>j) << 2)) - mu;
    sq += c * c;
  }
  const s: f32 = <f32>1 / Mathf.sqrt(sq / <f32>d + eps);
  return f32x4.replace_lane(f32x4.splat(mu), 1, s);
}

// y = (x − μ)·s·g + b per row; x, y [rows, d], g, b [d].
export function layerNormForward(x: usize, g: usize, b: usize, y: usize, rows: i32, d: i32, eps: f32): void {
  const d4 = d & ~3;
  for (let r = 0; r < rows; r++) {
    const o = (<usize>r * <usize>d) << 2;
    const st = rowStats(x + o, d, eps);
    const mu = f32x4.extract_lane(st, 0);
    const s = f32x4.extract_lane(st, 1);
    const vmu = f32x4.splat(mu);
    const vs = f32x4.splat(s);
    let j = 0;
    for (; j < d4; j += 4) {
      const q = (<usize>j) << 2;
      const h = f32x4.mul(f32x4.sub(v128.load(x + o + q), vmu), vs);
      v128.store(y + o + q, f32x4.add(f32x4.mul(h, v128.load(g + q)), v128.load(b + q)));
    }
    for (; j < d; j++) {
      const q = (<usize>j) << 2;
      store<f32>(y + o + q, (load<f32>(x + o + q) - mu) * s * load<f32>(g + q) + load<f32>(b + q));
    }
  }
}

// dx, and dg, db summed over the rows (written, not accumulated), from x, g and dy; μ and s recomputed.
export function layerNormBackward(x: usize, g: usize, dy: usize, dx: usize, dg: usize, db: usize, rows: i32, d: i32, eps: f32): void {
  const d4 = d & ~3;
  memory.fill(dg, 0, (<usize>d) << 2);
  memory.fill(db, 0, (<usize>d) << 2);
  for (let r = 0; r < rows; r++) {
    const o = (<usize>r * <usize>d) << 2;
    const st = rowStats(x + o, d, eps);
    const mu = f32x4.extract_lane(st, 0);
    const s = f32x4.extract_lane(st, 1);
    const vmu = f32x4.splat(mu);
    const vs = f32x4.splat(s);
    let ag = f32x4.splat(0);
    let agx = f32x4.splat(0);
    let j = 0;
    for (; j < d4; j += 4) {
      const q = (<usize>j) << 2;
      const gy = v128.load(dy + o + q);
      const h = f32x4.mul(f32x4.sub(v128.load(x + o + q), vmu), vs);
      v128.store(dg + q, f32x4.add(v128.load(dg + q), f32x4.mul(gy, h)));
      v128.store(db + q, f32x4.add(v128.load(db + q), gy));
      const gh = f32x4.mul(gy, v128.load(g + q));
      ag = f32x4.add(ag, gh);
      agx = f32x4.add(agx, f32x4.mul(gh, h));
    }
    let meanG = hsum(ag);
    let meanGX = hsum(agx);
    for (; j < d; j++) {
      const q = (<usize>j) << 2;
      const gy = load<f32>(dy + o + q);
      const h = (load<f32>(x + o + q) - mu) * s;
      store<f32>(dg + q, load<f32>(dg + q) + gy * h);
      store<f32>(db + q, load<f32>(db + q) + gy);
      const gh = gy * load<f32>(g + q);
      meanG += gh;
      meanGX += gh * h;
    }
    meanG /= <f32>d;
    meanGX /= <f32>d;
    const vmg = f32x4.splat(meanG);
    const vmgx = f32x4.splat(meanGX);
    j = 0;
    for (; j < d4; j += 4) {
      const q = (<usize>j) << 2;
      const h = f32x4.mul(f32x4.sub(v128.load(x + o + q), vmu), vs);
      const t = f32x4.sub(f32x4.sub(f32x4.mul(v128.load(dy + o + q), v128.load(g + q)), vmg), f32x4.mul(h, vmgx));
      v128.store(dx + o + q, f32x4.mul(vs, t));
    }
    for (; j < d; j++) {
      const q = (<usize>j) << 2;
      const h = (load<f32>(x + o + q) - mu) * s;
      store<f32>(dx + o + q, s * (load<f32>(dy + o + q) * load<f32>(g + q) - meanG - h * meanGX));
    }
  }
}

const GELU_C: f32 = 0.7978845608028654; // √(2/π)
const GELU_A: f32 = 0.044715;

// host-kernels.ts's tanhRational in float32 (Eigen's float tanh fit), Math.tanh outside [−7.9, 7.9].
function tanhScalar(u: f32): f32 {
  if (u > 7.9 || u < -7.9) return <f32>Math.tanh(<f64>u);
  if (u < 0.0004 && u > -0.0004) return u;
  const x2 = u * u;
  let p: f32 = -2.76076847742355e-16;
  p = p * x2 + 2.00018790482477e-13;
  p = p * x2 - 8.60467152213735e-11;
  p = p * x2 + 5.12229709037114e-8;
  p = p * x2 + 1.48572235717979e-5;
  p = p * x2 + 6.37261928875436e-4;
  p = p * x2 + 4.89352455891786e-3;
  let q: f32 = 1.19825839466702e-6;
  q = q * x2 + 1.18534705686654e-4;
  q = q * x2 + 2.268434632439e-3;
  q = q * x2 + 4.89352518554385e-3;
  return (u * p) / q;
}

// The same on four lanes; lanes outside [−7.9, 7.9] go through tanhScalar.
// @ts-ignore: decorator
@inline function tanhVec(u: v128): v128 {
  const a = f32x4.abs(u);
  if (v128.any_true(f32x4.gt(a, f32x4.splat(7.9)))) {
    let r = f32x4.splat(0);
    r = f32x4.replace_lane(r, 0, tanhScalar(f32x4.extract_lane(u, 0)));
    r = f32x4.replace_lane(r, 1, tanhScalar(f32x4.extract_lane(u, 1)));
    r = f32x4.replace_lane(r, 2, tanhScalar(f32x4.extract_lane(u, 2)));
    r = f32x4.replace_lane(r, 3, tanhScalar(f32x4.extract_lane(u, 3)));
    return r;
  }
  const x2 = f32x4.mul(u, u);
  let p = f32x4.splat(-2.76076847742355e-16);
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(2.00018790482477e-13));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(-8.60467152213735e-11));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(5.12229709037114e-8));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(1.48572235717979e-5));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(6.37261928875436e-4));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(4.89352455891786e-3));
  let q = f32x4.splat(1.19825839466702e-6);
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(1.18534705686654e-4));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(2.268434632439e-3));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(4.89352518554385e-3));
  const t = f32x4.div(f32x4.mul(u, p), q);
  return v128.bitselect(u, t, f32x4.lt(a, f32x4.splat(0.0004)));
}

// y = ½x(1 + tanh(c(x + a·x³))) over n values.
export function geluForward(x: usize, y: usize, n: i32): void {
  const n4 = n & ~3;
  const vc = f32x4.splat(GELU_C);
  const va = f32x4.splat(GELU_A);
  const one = f32x4.splat(1);
  const half = f32x4.splat(0.5);
  let i = 0;
  for (; i < n4; i += 4) {
    const q = (<usize>i) << 2;
    const v = v128.load(x + q);
    const t = tanhVec(f32x4.mul(vc, f32x4.add(v, f32x4.mul(va, f32x4.mul(v, f32x4.mul(v, v))))));
    v128.store(y + q, f32x4.mul(f32x4.mul(half, v), f32x4.add(one, t)));
  }
  for (; i < n; i++) {
    const q = (<usize>i) << 2;
    const v = load<f32>(x + q);
    const t = tanhScalar(GELU_C * (v + GELU_A * v * v * v));
    store<f32>(y + q, <f32>0.5 * v * (<f32>1 + t));
  }
}

// dx = dy·(½(1 + t) + ½x(1 − t²)·c(1 + 3a·x²)), t recomputed from x.
export function geluBackward(x: usize, dy: usize, dx: usize, n: i32): void {
  const n4 = n & ~3;
  const vc = f32x4.splat(GELU_C);
  const va = f32x4.splat(GELU_A);
  const va3 = f32x4.splat(3 * GELU_A);
  const one = f32x4.splat(1);
  const half = f32x4.splat(0.5);
  let i = 0;
  for (; i < n4; i += 4) {
    const q = (<usize>i) << 2;
    const v = v128.load(x + q);
    const v2 = f32x4.mul(v, v);
    const t = tanhVec(f32x4.mul(vc, f32x4.add(v, f32x4.mul(va, f32x4.mul(v, v2)))));
    const sech2 = f32x4.sub(one, f32x4.mul(t, t));
    const inner = f32x4.mul(vc, f32x4.add(one, f32x4.mul(va3, v2)));
    const grad = f32x4.add(f32x4.mul(half, f32x4.add(one, t)), f32x4.mul(f32x4.mul(f32x4.mul(half, v), sech2), inner));
    v128.store(dx + q, f32x4.mul(v128.load(dy + q), grad));
  }
  for (; i < n; i++) {
    const q = (<usize>i) << 2;
    const v = load<f32>(x + q);
    const t = tanhScalar(GELU_C * (v + GELU_A * v * v * v));
    store<f32>(dx + q, load<f32>(dy + q) * (<f32>0.5 * (<f32>1 + t) + <f32>0.5 * v * (<f32>1 - t * t) * GELU_C * (<f32>1 + <f32>3 * GELU_A * v * v)));
  }
}

// out [p] = Σ_rows a [n, p] (column sums, written), for fast-dense.ts's bias gradient; f32x4 over 4 columns
// at a time, float32 sums.
export function colSums(a: usize, n: i32, p: i32, out: usize): void {
  const p4 = p & ~3;
  const rs = (<usize>p) << 2;
  let j = 0;
  for (; j < p4; j += 4) {
    let acc = f32x4.splat(0);
    let ap = a + ((<usize>j) << 2);
    for (let i = 0; i < n; i++) {
      acc = f32x4.add(acc, v128.load(ap));
      ap += rs;
    }
    v128.store(out + ((<usize>j) << 2), acc);
  }
  for (; j < p; j++) {
    let s: f32 = 0;
    let ap = a + ((<usize>j) << 2);
    for (let i = 0; i < n; i++) {
      s += load<f32>(ap);
      ap += rs;
    }
    store<f32>(out + ((<usize>j) << 2), s);
  }
}
