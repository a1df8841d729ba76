// Batched small matrix products with WebAssembly SIMD (f32x4), in AssemblyScript (compiled by
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
