/**
 * A tiny Vision Transformer (Dosovitskiy et al. 2021) for 32×32 RGB images, sized for a 2-core CPU:
 * patch 4 → 64 patches + CLS = 65 tokens, width 64, 4 heads of 16, 4 pre-norm blocks,
 * MLP 128 (GELU, tanh form), learned positions, linear head on the final CLS token.
 *
 * Every projection is `fast-dense` (flag-free matMuls, wasm's XNNPACK path); layer norms and GELUs are
 * `host-kernels` (one op each, forward and backward in a JS loop, instead of ~30 kernel launches). The attention products are
 * batched over (image, head), G = B·H groups of [N, d_h] matrices, in one of three layouts:
 * - `impl: 'simd'`: our WebAssembly SIMD kernel (attention/simd-matmul.ts), one op per product whose
 *   backward products run on the same kernel; Q·Kᵀ without an explicit transpose of K.
 * - `impl: 'batched'`: one tf.matMul of [B·H, N, d_h] operands (explicit transpose of K, no flags). wasm's
 *   BatchMatMul leaves XNNPACK whenever the batch dimension is > 1 and runs its generic loop (≈0.5–1.3 GMAC/s
 *   here on these shapes, against ≈3.5–15 in the SIMD kernel and ≈1–10 for its op with the copies in and out).
 * - `impl: 'loop'`: B·H plain 2-D matMuls. A forward alone favours it over 'batched' (≈10 vs 20 ms per Q·Kᵀ
 *   at B = 64), but a training step is ≈8× slower (6.5 s vs 0.8 s: 256 matMuls, transposes, unstack/stack
 *   per layer, and their gradients, each a kernel launch; test/bench/attention.bench.ts).
 * Measured in test/bench/train-step.bench.ts (wasm, 1 thread, B = 32, the two layouts stepping in turn; 4 runs
 * at load 2.7–5 on the 2 cores), a training step with 'simd' takes 0.82–0.94× the CPU time of 'batched' at 17
 * tokens and 2 blocks (wall 0.84–1.04×) and 0.69–0.76× at 65 tokens and 4 blocks (wall 0.64–0.82×). So
 * `defaultAttentionImpl` is 'simd' on wasm and 'batched' on the other backends, where it was not measured.
 *
 * The CLS token enters as a zero patch row at position 0: the patch embedding maps it to its bias, and a
 * learned `cls` vector is added there only (a one-hot column times `cls`, broadcast over the batch — no
 * tile, whose gradient is slow), so token 0 = b + pos₀ + cls, a learned token like the original.
 *
 * Regularisers of the attention lab live here too, each implemented once:
 * - `entropyPenalty`: Σ over layers and heads of H_diff (Eqs. 2–3) of that head's key embeddings, with that
 *   head's own learnable anchors (every head in one batched evaluation, attention/head-entropy.ts).
 * - `l1Penalty`: the L1 norm of each attention row after rescaling it so its largest weight is 1 (see there).
 *
 * Inference with another attention rule (block-sparse, top-b) goes through `vitInfer`, which runs the
 * projections in tfjs and hands each layer's q, k, v to a plain-JS `AttentionKernel`.
 */
import * as tf from './tf';
import { dense, denseNd, initDense } from './fast-dense';
import { gelu, layerNorm } from './host-kernels';
import { hDiffPerGroup, hDiffPerSet, type EntropyProducts } from './attention/head-entropy';
import { groupMatMulSimd, simdInPlace } from './attention/simd-matmul';

export interface VitShape {
  image: number;
  channels: number;
  patch: number;
  dim: number;
  heads: number;
  layers: number;
  mlp: number;
  classes: number;
}

/** The tiny ViT (classes filled in by the data set). */
export const TINY_VIT: Omit<VitShape, 'classes'> = { image: 32, channels: 3, patch: 4, dim: 64, heads: 4, layers: 4, mlp: 128 };

export function patchCount(shape: Pick<VitShape, 'image' | 'patch'>): number {
  return (shape.image / shape.patch) ** 2;
}

/** Tokens N = patches + CLS. */
export function tokenCount(shape: Pick<VitShape, 'image' | 'patch'>): number {
  return patchCount(shape) + 1;
}

export function patchDim(shape: Pick<VitShape, 'patch' | 'channels'>): number {
  return shape.patch * shape.patch * shape.channels;
}

export function headDim(shape: Pick<VitShape, 'dim' | 'heads'>): number {
  return shape.dim / shape.heads;
}

type V2 = tf.Variable<tf.Rank.R2>;
type V1 = tf.Variable<tf.Rank.R1>;

export interface VitLayer {
  ln1g: V1;
  ln1b: V1;
  wq: V2;
  bq: V1;
  wk: V2;
  bk: V1;
  wv: V2;
  bv: V1;
  wo: V2;
  bo: V1;
  ln2g: V1;
  ln2b: V1;
  w1: V2;
  b1: V1;
  w2: V2;
  b2: V1;
}

export interface VitParams {
  shape: VitShape;
  patchW: V2;
  patchB: V1;
  cls: V2;
  pos: V2;
  layers: VitLayer[];
  lnfg: V1;
  lnfb: V1;
  headW: V2;
  headB: V1;
}

function normalVariable(shape: [number, number], std: number, random: () => number, name: string): V2 {
  const values = new Float32Array(shape[0] * shape[1]);
  for (let i = 0; i < values.length; i += 2) {
    // Box–Muller from the seeded uniform generator.
    const u = Math.max(random(), 1e-12);
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u));
    values[i] = r * Math.cos(2 * Math.PI * v) * std;
    if (i + 1 < values.length) values[i + 1] = r * Math.sin(2 * Math.PI * v) * std;
  }
  // tf.variable keeps its initial tensor alive unless it is made inside a tidy (variables survive tidy).
  return tf.tidy(() => tf.variable(tf.tensor2d(values, shape), true, name));
}

function constVariable(n: number, value: number, name: string): V1 {
  return tf.tidy(() => tf.variable(tf.fill([n], value) as tf.Tensor1D, true, name));
}

let instances = 0;

/**
 * Fresh parameters from a seeded uniform generator (same seed → same weights). Variable names get a
 * per-process instance number, because tfjs refuses two live variables of the same name.
 */
export function createVit(shape: VitShape, random: () => number, name = 'vit'): VitParams {
  const prefix = `${name}#${instances++}`;
  const { dim, mlp, layers, classes } = shape;
  const n = tokenCount(shape);
  const pe = initDense(patchDim(shape), dim, random, `${prefix}/patch`);
  const head = initDense(dim, classes, random, `${prefix}/head`);
  const out: VitParams = {
    shape,
    patchW: pe.w,
    patchB: pe.b,
    cls: normalVariable([1, dim], 0.02, random, `${prefix}/cls`),
    pos: normalVariable([n, dim], 0.02, random, `${prefix}/pos`),
    layers: [],
    lnfg: constVariable(dim, 1, `${prefix}/lnf/g`),
    lnfb: constVariable(dim, 0, `${prefix}/lnf/b`),
    headW: head.w,
    headB: head.b,
  };
  for (let l = 0; l < layers; l++) {
    const p = `${prefix}/l${l}`;
    const q = initDense(dim, dim, random, `${p}/q`);
    const k = initDense(dim, dim, random, `${p}/k`);
    const v = initDense(dim, dim, random, `${p}/v`);
    const o = initDense(dim, dim, random, `${p}/o`);
    const f1 = initDense(dim, mlp, random, `${p}/fc1`);
    const f2 = initDense(mlp, dim, random, `${p}/fc2`);
    out.layers.push({
      ln1g: constVariable(dim, 1, `${p}/ln1/g`),
      ln1b: constVariable(dim, 0, `${p}/ln1/b`),
      wq: q.w,
      bq: q.b,
      wk: k.w,
      bk: k.b,
      wv: v.w,
      bv: v.b,
      wo: o.w,
      bo: o.b,
      ln2g: constVariable(dim, 1, `${p}/ln2/g`),
      ln2b: constVariable(dim, 0, `${p}/ln2/b`),
      w1: f1.w,
      b1: f1.b,
      w2: f2.w,
      b2: f2.b,
    });
  }
  return out;
}

/** All trainable variables, in a fixed order (checkpoints and optimisers rely on it). */
export function vitVariables(p: VitParams): tf.Variable[] {
  const vars: tf.Variable[] = [p.patchW, p.patchB, p.cls, p.pos];
  for (const l of p.layers) vars.push(l.ln1g, l.ln1b, l.wq, l.bq, l.wk, l.bk, l.wv, l.bv, l.wo, l.bo, l.ln2g, l.ln2b, l.w1, l.b1, l.w2, l.b2);
  vars.push(p.lnfg, p.lnfb, p.headW, p.headB);
  return vars;
}

/** Variables that AdamW decays (matrices only; biases, norms, positions and CLS are not decayed). */
export function vitDecayedVariables(p: VitParams): tf.Variable[] {
  const vars: tf.Variable[] = [p.patchW, p.headW];
  for (const l of p.layers) vars.push(l.wq, l.wk, l.wv, l.wo, l.w1, l.w2);
  return vars;
}

export function disposeVit(p: VitParams): void {
  for (const v of vitVariables(p)) v.dispose();
}

/**
 * RGB bytes [n, H, W, C] (row-major, HWC) → patch rows [n, N, P·P·C] in [0, 1] centred at 0.5, with row 0
 * of each image all zeros (the CLS slot). Patch t = 1 + py·(W/P) + px; inside a patch, (dy, dx, c) order.
 */
export function patchify(images: Uint8Array, count: number, shape: Pick<VitShape, 'image' | 'patch' | 'channels'>, first = 0): Float32Array {
  const { image: S, patch: P, channels: C } = shape;
  const g = S / P;
  const pd = P * P * C;
  const n = g * g + 1;
  const out = new Float32Array(count * n * pd);
  for (let i = 0; i < count; i++) {
    const src = (first + i) * S * S * C;
    for (let py = 0; py < g; py++) {
      for (let px = 0; px < g; px++) {
        let o = (i * n + 1 + py * g + px) * pd;
        for (let dy = 0; dy < P; dy++) {
          const row = src + ((py * P + dy) * S + px * P) * C;
          for (let j = 0; j < P * C; j++) out[o++] = images[row + j] / 255 - 0.5;
        }
      }
    }
  }
  return out;
}

export type AttentionImpl = 'batched' | 'loop' | 'simd';

/**
 * The measured-faster attention product layout for a training step on `backend` (module comment): our SIMD
 * kernel on wasm (when the engine runs WebAssembly SIMD), 'batched' on every other backend, where it has not
 * been measured (and on tfjs-node the host copies would cost a native BatchMatMul's transfers).
 */
export function defaultAttentionImpl(backend: string = tf.getBackend()): AttentionImpl {
  return simdInPlace(backend) ? 'simd' : 'batched';
}

export interface ForwardOptions {
  /** Keep each layer's attention weights [B, H, N, N]. */
  attention?: boolean;
  /** Keep each layer's key embeddings [B, H, N, d_h] (what H_diff and the clusters are computed on). */
  keys?: boolean;
  /** Keep each layer's pre-softmax scores [B, H, N, N] (q·k/√d_h). */
  scores?: boolean;
  impl?: AttentionImpl;
}

export interface VitOutputs {
  logits: tf.Tensor2D;
  attention: tf.Tensor4D[];
  keys: tf.Tensor4D[];
  scores: tf.Tensor4D[];
}

/** [B, N, D] → [B, H, N, d_h]. */
function splitHeads(x: tf.Tensor, heads: number): tf.Tensor4D {
  const [b, n, d] = x.shape;
  return tf.transpose(tf.reshape(x, [b, n, heads, d / heads]), [0, 2, 1, 3]) as tf.Tensor4D;
}

/** [B, H, N, d_h] → [B, N, D]. */
function mergeHeads(x: tf.Tensor): tf.Tensor3D {
  const [b, h, n, dh] = x.shape;
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [b, n, h * dh]) as tf.Tensor3D;
}

/** a [G, n, m] · c [G, m, p] per group: one BatchMatMul, G plain matMuls, or our SIMD kernel. */
function groupMatMul(a: tf.Tensor3D, c: tf.Tensor3D, impl: AttentionImpl): tf.Tensor3D {
  if (impl === 'batched') return tf.matMul(a, c);
  if (impl === 'simd') return groupMatMulSimd(a, c);
  const as = tf.unstack(a) as tf.Tensor2D[];
  const cs = tf.unstack(c) as tf.Tensor2D[];
  return tf.stack(as.map((x, i) => tf.matMul(x, cs[i]))) as tf.Tensor3D;
}

/** a [G, n, m] · c [G, p, m]ᵀ per group (the SIMD kernel transposes inside; the others explicitly first). */
function groupMatMulT(a: tf.Tensor3D, c: tf.Tensor3D, impl: AttentionImpl): tf.Tensor3D {
  if (impl === 'simd') return groupMatMulSimd(a, c, true);
  return groupMatMul(a, tf.transpose(c, [0, 2, 1]) as tf.Tensor3D, impl);
}

/** Embedded tokens [B, N, D] from patch rows [B, N, P²C]. */
function embed(p: VitParams, patches: tf.Tensor3D): tf.Tensor3D {
  const n = patches.shape[1];
  const clsColumn = tf.tensor2d(Float32Array.from({ length: n }, (_, i) => (i === 0 ? 1 : 0)), [n, 1]);
  const extra = tf.add(p.pos, tf.mul(clsColumn, p.cls));
  return tf.add(denseNd(patches, p.patchW, p.patchB), extra) as tf.Tensor3D;
}

function mlpBlock(l: VitLayer, x: tf.Tensor3D): tf.Tensor3D {
  const h = layerNorm(x, l.ln2g, l.ln2b);
  return tf.add(x, denseNd(gelu(denseNd(h, l.w1, l.b1)), l.w2, l.b2)) as tf.Tensor3D;
}

function classify(p: VitParams, x: tf.Tensor3D): tf.Tensor2D {
  const [b, , d] = x.shape;
  const cls = tf.reshape(tf.slice(x, [0, 0, 0], [b, 1, d]), [b, d]) as tf.Tensor2D;
  return dense(layerNorm(cls, p.lnfg, p.lnfb) as tf.Tensor2D, p.headW, p.headB);
}

/**
 * Forward pass with dense softmax attention (training and the dense reference). Call inside `tf.tidy`
 * or a gradient function; the returned tensors belong to the caller.
 */
export function vitForward(p: VitParams, patches: tf.Tensor3D, opts: ForwardOptions = {}): VitOutputs {
  const { heads } = p.shape;
  const impl = opts.impl ?? defaultAttentionImpl();
  const [b, n] = patches.shape;
  const dh = headDim(p.shape);
  const scale = 1 / Math.sqrt(dh);
  const out: VitOutputs = { logits: null as unknown as tf.Tensor2D, attention: [], keys: [], scores: [] };
  let x = embed(p, patches);
  for (const l of p.layers) {
    const h = layerNorm(x, l.ln1g, l.ln1b);
    const q = splitHeads(denseNd(h, l.wq, l.bq), heads);
    const k = splitHeads(denseNd(h, l.wk, l.bk), heads);
    const v = splitHeads(denseNd(h, l.wv, l.bv), heads);
    const g = b * heads;
    const q3 = tf.reshape(tf.mul(q, scale), [g, n, dh]) as tf.Tensor3D;
    const s = groupMatMulT(q3, tf.reshape(k, [g, n, dh]) as tf.Tensor3D, impl);
    const a = tf.softmax(s);
    const o = groupMatMul(a, tf.reshape(v, [g, n, dh]) as tf.Tensor3D, impl);
    const merged = mergeHeads(tf.reshape(o, [b, heads, n, dh]));
    x = tf.add(x, denseNd(merged, l.wo, l.bo)) as tf.Tensor3D;
    x = mlpBlock(l, x);
    if (opts.attention) out.attention.push(tf.reshape(a, [b, heads, n, n]) as tf.Tensor4D);
    if (opts.keys) out.keys.push(k);
    if (opts.scores) out.scores.push(tf.reshape(s, [b, heads, n, n]) as tf.Tensor4D);
  }
  out.logits = classify(p, x);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Regularisers
// ---------------------------------------------------------------------------------------------------------

/**
 * λ-free entropy penalty: Σ_{layers l, heads h} H_diff(K_{l,h}; A_{l,h}, α) (Eqs. 2–3, nats), where
 * K_{l,h} [B·N, d_h] are head h's key embeddings of every token of every image in the batch and A_{l,h}
 * [k, d_h] its anchors. Pooling the batch's keys into one point set measures the entropy of the head's
 * batch-average cluster distribution, which by concavity of H is at least the mean per-image entropy:
 * a low pooled value guarantees low per-image values, though not conversely (images may use different
 * clusters). Summed, not averaged, over heads: each head carries its own λ·H term.
 *
 * `floorNats` > 0 is our variant (not the paper's): each head's term becomes max(H_diff − floor, 0), so the
 * gradient pushes a head's keys towards fewer clusters only while their soft cluster-mass entropy is above
 * the floor. Unfloored, the minimum of H_diff is every key in one cluster (H = 0), and then no block
 * smaller than N keys can hold a query's attention (see the attention lab's collapse metrics).
 */
export function entropyPenalty(keys: tf.Tensor4D[], anchors: tf.Tensor2D[][], alpha: number, floorNats = 0, products?: EntropyProducts): tf.Scalar {
  return tf.tidy(() => {
    const values = hDiffPerSet(headKeySets(keys), tf.stack(anchors.flat()) as tf.Tensor3D, alpha, products);
    return tf.sum(floorNats > 0 ? tf.relu(tf.sub(values, floorNats)) : values) as tf.Scalar;
  });
}

/**
 * Every (layer, head) as one point set [L·H, B·N, d_h], in the order of anchors.flat(); inside a set the rows
 * are image-major (image i's N keys are rows i·N … i·N + N − 1).
 */
function headKeySets(keys: tf.Tensor4D[]): tf.Tensor3D {
  const sets = keys.map((k) => {
    const [b, heads, n, dh] = k.shape;
    return tf.reshape(tf.transpose(k, [1, 0, 2, 3]), [heads, b * n, dh]);
  });
  return tf.concat(sets, 0) as tf.Tensor3D;
}

/**
 * Our per-image variant (not the paper's): Σ_{layers, heads} mean_images |H_diff(K_{l,h,i}; A_{l,h}, α) − t|,
 * where K_{l,h,i} are the N keys of image i alone. Block-sparse inference clusters each image's keys on
 * their own, so this is the entropy it depends on; the batch-pooled term (`entropyPenalty`) can be high while
 * every image's keys sit in one cluster. Above the target t the gradient pushes the keys into fewer
 * clusters as H_diff does; below it, back out, so an image's keys settle in about e^t clusters rather than
 * one. With t = ln(N/b) that is N/b clusters of about b keys: one cluster is one key budget.
 */
export function entropyPenaltyPerImage(keys: tf.Tensor4D[], anchors: tf.Tensor2D[][], alpha: number, targetNats: number, products?: EntropyProducts): tf.Scalar {
  return tf.tidy(() => {
    const images = keys[0].shape[0];
    const values = hDiffPerGroup(headKeySets(keys), tf.stack(anchors.flat()) as tf.Tensor3D, alpha, images, products);
    return tf.div(tf.sum(tf.abs(tf.sub(values, targetNats))), images) as tf.Scalar;
  });
}

/**
 * L1 penalty on attention that can actually become sparse. The L1 norm of a softmax row is always 1, so
 * penalising it does nothing, and penalising |pre-softmax scores| pushes them to 0, i.e. towards uniform
 * (dense) attention. Instead each row w_i is rescaled to unit maximum before taking its L1 norm:
 *   ‖w_i‖₁ / ‖w_i‖_∞ = 1 / max_j w_ij = Σ_j exp(s_ij − max_j s_ij) ∈ [1, N],
 * the L1 norm of the unnormalised softmax numerators. It is 1 exactly when one key holds all the weight and
 * N when the row is uniform — an L1 "effective support" count. Returned normalised to [0, 1] as the mean
 * over layers, heads, images and rows of (1/max_j w_ij − 1)/(N − 1).
 */
export function l1Penalty(attention: tf.Tensor4D[]): tf.Scalar {
  return tf.tidy(() => {
    const terms = attention.map((w) => tf.div(tf.sub(meanReciprocalRowMax(w), 1), w.shape[3] - 1) as tf.Scalar);
    return tf.div(tf.addN(terms), terms.length) as tf.Scalar;
  });
}

/**
 * mean over rows of 1 / max_j w_ij, with a hand-written gradient −1/(R·m_i²) at each row's argmax (R rows).
 * Why: autograd's Max gradient compares w with the broadcast row maxima (`equal` of [.., N] against
 * [.., 1]), which on wasm takes a generic slow path (≈300 ms for one [64, 4, 65, 65] tensor); a one-hot of
 * the argmax is the same mask without a broadcast comparison.
 */
const meanReciprocalRowMax = tf.customGrad(((w: tf.Tensor, save: tf.GradSaveFunc) => {
  const m = tf.max(w, -1);
  save([w, m]);
  return {
    value: tf.mean(tf.reciprocal(m)),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [ws, ms] = saved;
      const n = ws.shape[ws.rank - 1];
      const mask = tf.cast(tf.oneHot(tf.reshape(tf.argMax(ws, -1), [-1]), n), 'float32');
      const coef = tf.reshape(tf.div(tf.mul(dy, -1 / ms.size), tf.square(ms)), [-1, 1]);
      return [tf.reshape(tf.mul(mask, coef), ws.shape)];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (w: tf.Tensor) => tf.Scalar;

/**
 * Mean softmax cross-entropy; labels as int32 class indices. `smoothing` ε > 0 is label smoothing
 * (Szegedy et al. 2016): the target is (1 − ε)·onehot + ε/K over the K classes.
 */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D, smoothing = 0): tf.Scalar {
  return tf.tidy(() => {
    const classes = logits.shape[1];
    let target = tf.cast(tf.oneHot(labels, classes), 'float32');
    if (smoothing > 0) target = tf.add(tf.mul(target, 1 - smoothing), smoothing / classes);
    return tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(logits)), -1))) as tf.Scalar;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Inference with a replaceable attention rule
// ---------------------------------------------------------------------------------------------------------

/** One layer's attention for all images and heads; arrays are [B, H, N, d_h] row-major. */
export interface AttentionKernel {
  (layer: number, q: Float32Array, k: Float32Array, v: Float32Array, dims: { b: number; h: number; n: number; dh: number }): Float32Array;
}

export interface InferResult {
  logits: Float32Array;
  /** Time spent inside the attention kernel (ms), summed over layers. */
  attentionMs: number;
  /** Largest tfjs-tracked tensor bytes seen at a layer boundary (see `vitInfer`). */
  peakBytes: number;
}

/**
 * Inference whose attention is computed by `kernel` (plain JS) from the layer's q (already scaled by
 * 1/√d_h), k and v. Projections, norms and MLPs stay in tfjs. `peakBytes` is tf.memory().numBytes sampled
 * while a layer's q, k, v, the residual stream and the kernel's output are all alive (the high-water mark of
 * this loop); JS-side Float32Arrays of the kernel are added to it.
 */
export async function vitInfer(p: VitParams, patches: tf.Tensor3D, kernel: AttentionKernel): Promise<InferResult> {
  const { heads } = p.shape;
  const [b, n] = patches.shape;
  const dh = headDim(p.shape);
  const scale = 1 / Math.sqrt(dh);
  let attentionMs = 0;
  let peakBytes = 0;
  let x = tf.tidy(() => embed(p, patches));
  for (let li = 0; li < p.layers.length; li++) {
    const l = p.layers[li];
    const [q, k, v] = tf.tidy(() => {
      const h = layerNorm(x, l.ln1g, l.ln1b);
      return [
        splitHeads(tf.mul(denseNd(h, l.wq, l.bq), scale), heads),
        splitHeads(denseNd(h, l.wk, l.bk), heads),
        splitHeads(denseNd(h, l.wv, l.bv), heads),
      ];
    });
    const [qa, ka, va] = (await Promise.all([q.data(), k.data(), v.data()])) as Float32Array[];
    const t0 = performance.now();
    const o = kernel(li, qa, ka, va, { b, h: heads, n, dh });
    attentionMs += performance.now() - t0;
    const ot = tf.tensor4d(o, [b, heads, n, dh]);
    peakBytes = Math.max(peakBytes, tf.memory().numBytes + 4 * (qa.length + ka.length + va.length + o.length));
    const next = tf.tidy(() => mlpBlock(l, tf.add(x, denseNd(mergeHeads(ot), l.wo, l.bo)) as tf.Tensor3D));
    tf.dispose([q, k, v, ot, x]);
    x = next;
  }
  const logits = tf.tidy(() => classify(p, x));
  x.dispose();
  const data = (await logits.data()) as Float32Array;
  logits.dispose();
  return { logits: data, attentionMs, peakBytes };
}

/** Per-token keys [B, H, N, d_h] of every layer under dense attention (for clustering and calibration). */
export async function vitKeys(p: VitParams, patches: tf.Tensor3D, impl: AttentionImpl = 'batched'): Promise<Float32Array[]> {
  const keys = tf.tidy(() => vitForward(p, patches, { keys: true, impl }).keys);
  const out = (await Promise.all(keys.map((k) => k.data()))) as Float32Array[];
  tf.dispose(keys);
  return out;
}

/** Attention weights [B, H, N, N] of every layer under dense attention. */
export async function vitAttention(p: VitParams, patches: tf.Tensor3D, impl: AttentionImpl = 'batched'): Promise<{ logits: Float32Array; attention: Float32Array[] }> {
  const res = tf.tidy(() => {
    const o = vitForward(p, patches, { attention: true, impl });
    return [o.logits, ...o.attention];
  });
  const data = (await Promise.all(res.map((t) => t.data()))) as Float32Array[];
  tf.dispose(res);
  return { logits: data[0], attention: data.slice(1) };
}

/** Dense forward FLOPs per image (multiply–adds × 2), split into attention products and the rest. */
export function vitFlops(shape: VitShape, activeKeys?: number): { attention: number; other: number; total: number } {
  const n = tokenCount(shape);
  const { dim, mlp, layers, classes } = shape;
  const b = activeKeys ?? n;
  const attention = layers * 2 * (2 * n * b * dim);
  const other = 2 * n * patchDim(shape) * dim + layers * (2 * n * dim * 4 * dim + 2 * 2 * n * dim * mlp) + 2 * dim * classes;
  return { attention, other, total: attention + other };
}
