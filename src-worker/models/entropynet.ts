/**
 * EntropyNet (paper Alg. 1 lines 1–5, App. G.7, G.9): a PointNet-style network that moves every point by at
 * most σ per coordinate.
 *
 *   S [B, N, d] ─▶ POINTMLP (d→64→128→256, each dense + batch norm + ReLU) ─▶ F1 [B, N, 256]
 *   F1 ─▶ MAXPOOL over N ─▶ G [B, 256]
 *   CONCAT(F1, TILE(G)) [B, N, 512] ─▶ dense 512→128 + batch norm + ReLU ─▶ dropout(0.1) ─▶ dense 128→d = Δ
 *   S′ = S + tanh(Δ)·σ                    (σ = 0.1, so |S′ − S| ≤ σ in every coordinate)
 *
 * The concat with the tiled global feature is never materialised: split the 512→128 weight into the rows
 * that multiply F1 and the rows that multiply G, W = [W_point; W_global]. Then
 *   CONCAT(F1, TILE(G))·W + b = F1·W_point + b + (G·W_global broadcast over the N points),
 * the same number, with a broadcasting add whose gradient is a sum over N (tf.tile's gradient launches one
 * Slice and one Add kernel per tiled row on wasm). The parameter count is that of the 512→128
 * layer.
 *
 * Batch norm is written by hand (one custom-gradient op fused with the ReLU that always follows it):
 * training uses the statistics of the batch over all B·N points (PointNet's BatchNorm1d over (B, N)) and
 * updates running averages with PyTorch's convention, running ← (1 − m)·running + m·batch (m = 0.1, the
 * running variance takes the unbiased batch variance); inference uses the running averages, so the network is
 * then a per-point function except for the max-pool. Every layer uses `fast-dense` (flag-free matmuls).
 * Dropout is seeded: the mask of call t comes from (seed, t), and t is part of the checkpoint. The max-pool
 * of training mode routes each channel's gradient to one arg-max point (see `maxOverPoints`). Weights are
 * Glorot-uniform with zero biases (`initDense`); the paper does not say, and PyTorch's default
 * (U(±1/√fan_in)) would start with smaller displacements.
 */
import * as tf from './tf';
import { dense, initDense } from './fast-dense';
import { rng, rngUint32 } from '../shared/random';

export interface EntropyNetOptions {
  /** Point dimension d (2 for the planar tasks). */
  d: number;
  /** Displacement bound σ (Alg. 1 line 5). */
  sigma: number;
  /** Dropout rate before the last layer (G.9). */
  dropout: number;
  /** Widths of the shared point MLP (Alg. 1 line 1). */
  pointWidths: number[];
  /** Width of the first output layer (Alg. 1 line 4: 128 → d). */
  headWidth: number;
  /** Batch-norm running-average momentum, PyTorch convention. */
  bnMomentum: number;
  bnEpsilon: number;
  /** Seed of the weight initialisation and of the dropout masks. */
  seed: number;
}

export const ENTROPYNET_DEFAULTS: EntropyNetOptions = {
  d: 2,
  sigma: 0.1,
  dropout: 0.1,
  pointWidths: [64, 128, 256],
  headWidth: 128,
  bnMomentum: 0.1,
  bnEpsilon: 1e-5,
  seed: 42,
};

/**
 * Trainable parameters of EntropyNet (weights, biases, batch-norm scale and shift; running statistics are not
 * counted): Σ_layers (in·out + out) + 2·Σ_bn widths. 108,610 for the paper's d = 2 network.
 */
export function entropyNetParamCount(options: Partial<EntropyNetOptions> = {}): number {
  const o = { ...ENTROPYNET_DEFAULTS, ...options };
  let count = 0;
  let inDim = o.d;
  for (const w of o.pointWidths) {
    count += inDim * w + w + 2 * w;
    inDim = w;
  }
  count += 2 * inDim * o.headWidth + o.headWidth + 2 * o.headWidth;
  count += o.headWidth * o.d + o.d;
  return count;
}

interface BatchNormState {
  gamma: tf.Variable<tf.Rank.R1>;
  beta: tf.Variable<tf.Rank.R1>;
  runningMean: tf.Variable<tf.Rank.R1>;
  runningVar: tf.Variable<tf.Rank.R1>;
}

/**
 * Column sums of [M, C] as [1, C], as (xᵀ·1)ᵀ with the transpose flag. Used only inside the custom-gradient
 * ops below (never differentiated). Measured on wasm for a fresh [32768, 256] tensor: ≈10 ms this way, ≈95 ms
 * for `tf.sum(x, 0)` (which transposes first) and ≈130 ms for a flag-free ones-row matmul (XNNPACK repacks x).
 */
function columnSums(x: tf.Tensor2D): tf.Tensor2D {
  return tf.reshape(tf.matMul(x, tf.ones([x.shape[0], 1]) as tf.Tensor2D, true, false), [1, x.shape[1]]) as tf.Tensor2D;
}

type MaxPoolFn = (features: tf.Tensor3D) => tf.Tensor2D;

/**
 * Max over the points of each set, [B, N, C] → [B, C] (Alg. 1 line 2), with a backward pass that routes each
 * channel's gradient to one arg-max point (as PyTorch's max-pool does). Forward: one pooling window spanning
 * the N points; backward: a scatter of the B·C gradients. The stock Max gradient compares x with the
 * broadcast maximum, and a broadcasting Equal on wasm took 1.3 s for [32, 1024, 256]; this takes ≈0.17 s.
 */
const maxOverPoints = tf.customGrad(((features: tf.Tensor3D, save: tf.GradSaveFunc) => {
  const [batch, n, c] = features.shape;
  const pooled = tf.maxPoolWithArgmax(tf.reshape(features, [batch, n, 1, c]) as tf.Tensor4D, [n, 1], [n, 1], 'valid', true);
  save([pooled.indexes]);
  return {
    value: tf.reshape(pooled.result, [batch, c]) as tf.Tensor2D,
    gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
      const indexes = tf.reshape(saved[0], [batch * c, 1]);
      return tf.reshape(tf.scatterND(indexes, tf.reshape(dy, [batch * c]), [batch * n * c]), [batch, n, c]);
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as MaxPoolFn;

type BnReluFn = (x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D) => tf.Tensor2D;

/**
 * relu(BN(x)) with batch statistics and a hand-written backward pass. With x̂ = (x − μ)·r, r = 1/√(var + ε),
 * y = relu(γx̂ + β) and g = dy·[y > 0] (M rows):
 *   dβ = Σ_rows g,   dγ = Σ_rows g·x̂,   dx = γ·r·(g − dβ/M − x̂·dγ/M).
 * `onStats` receives the batch mean and biased variance (for the running averages).
 */
function makeBatchNormRelu(epsilon: number, onStats: (mean: tf.Tensor2D, variance: tf.Tensor2D, rows: number) => void): BnReluFn {
  return tf.customGrad(((x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, save: tf.GradSaveFunc) => {
    const m = x.shape[0];
    const mean = tf.div(columnSums(x), m) as tf.Tensor2D;
    const centred = tf.sub(x, mean);
    const variance = tf.div(columnSums(tf.square(centred) as tf.Tensor2D), m) as tf.Tensor2D;
    const rstd = tf.rsqrt(tf.add(variance, epsilon));
    const xhat = tf.mul(centred, rstd);
    const value = tf.relu(tf.add(tf.mul(xhat, gamma), beta)) as tf.Tensor2D;
    onStats(mean, variance, m);
    save([xhat, value, rstd, gamma]);
    return {
      value,
      gradFunc: (dy: tf.Tensor2D, saved: tf.Tensor[]) => {
        const [sx, sy, sr, sg] = saved;
        const g = tf.mul(dy, tf.step(sy));
        const dBeta = columnSums(g as tf.Tensor2D);
        const dGamma = columnSums(tf.mul(g, sx) as tf.Tensor2D);
        const inner = tf.sub(tf.sub(g, tf.div(dBeta, m)), tf.mul(sx, tf.div(dGamma, m)));
        const dx = tf.mul(inner, tf.mul(sr, sg));
        return [dx, tf.reshape(dGamma, [-1]), tf.reshape(dBeta, [-1])];
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as BnReluFn;
}

/** 32-bit mix of two integers (for per-call dropout seeds). */
function hash2(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Inverted-dropout mask (0 or 1/(1 − rate)) of `size` values from the seeded shared generator's 32-bit words. */
function dropoutMask(size: number, rate: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  const keep = 1 / (1 - rate);
  const threshold = Math.floor(rate * 4294967296);
  const next = rngUint32(seed);
  for (let i = 0; i < size; i++) out[i] = next() >= threshold ? keep : 0;
  return out;
}

let instanceCounter = 0;

export interface ForwardOptions {
  /** Batch statistics, running-average update and dropout (default false: inference). */
  training?: boolean;
}

/** EntropyNet with its own variables (see module comment). Call `dispose()` when done. */
export class EntropyNet {
  readonly options: EntropyNetOptions;
  /** Logical name → variable; the names are those of the checkpoint format (no per-instance prefix). */
  readonly variables = new Map<string, tf.Variable>();
  /** Dropout calls so far (the next mask's seed derives from (seed, dropoutCalls)). */
  dropoutCalls = 0;
  private readonly pointLayers: Array<{ w: tf.Variable<tf.Rank.R2>; b: tf.Variable<tf.Rank.R1>; bn: BatchNormState }>;
  private readonly headPoint: tf.Variable<tf.Rank.R2>;
  private readonly headGlobal: tf.Variable<tf.Rank.R2>;
  private readonly headBias: tf.Variable<tf.Rank.R1>;
  private readonly headBn: BatchNormState;
  private readonly outW: tf.Variable<tf.Rank.R2>;
  private readonly outB: tf.Variable<tf.Rank.R1>;
  private readonly zeroHeadBias: tf.Tensor1D;
  private readonly bnRelu: BnReluFn[];

  constructor(options: Partial<EntropyNetOptions> = {}) {
    this.options = { ...ENTROPYNET_DEFAULTS, ...options, pointWidths: [...(options.pointWidths ?? ENTROPYNET_DEFAULTS.pointWidths)] };
    const o = this.options;
    const prefix = `entropynet${instanceCounter++}`;
    const random = rng(hash2(o.seed, 0x5eed));
    const register = <T extends tf.Variable>(name: string, v: T): T => {
      this.variables.set(name, v);
      return v;
    };
    // tf.variable keeps the initial tensor alive unless it is created inside a tidy (variables survive tidy).
    const vector = (name: string, width: number, fill: number, trainable: boolean): tf.Variable<tf.Rank.R1> =>
      register(name, tf.tidy(() => tf.variable(tf.fill([width], fill) as tf.Tensor1D, trainable, `${prefix}/${name}`)));
    const bnState = (name: string, width: number): BatchNormState => ({
      gamma: vector(`${name}/bn/gamma`, width, 1, true),
      beta: vector(`${name}/bn/beta`, width, 0, true),
      runningMean: vector(`${name}/bn/running_mean`, width, 0, false),
      runningVar: vector(`${name}/bn/running_var`, width, 1, false),
    });
    let inDim = o.d;
    this.pointLayers = o.pointWidths.map((width, i) => {
      const name = `point${i + 1}`;
      const inputs = inDim;
      const { w, b } = tf.tidy(() => initDense(inputs, width, random, `${prefix}/${name}`));
      register(`${name}/w`, w);
      register(`${name}/b`, b);
      inDim = width;
      return { w, b, bn: bnState(name, width) };
    });
    // Glorot limit of the full 512→128 layer, shared by both halves of W = [W_point; W_global].
    const limit = Math.sqrt(6 / (2 * inDim + o.headWidth));
    const half = (name: string): tf.Variable<tf.Rank.R2> => {
      const values = new Float32Array(inDim * o.headWidth);
      for (let i = 0; i < values.length; i++) values[i] = (2 * random() - 1) * limit;
      return register(name, tf.tidy(() => tf.variable(tf.tensor2d(values, [inDim, o.headWidth]), true, `${prefix}/${name}`)));
    };
    this.headPoint = half('head1/w_point');
    this.headGlobal = half('head1/w_global');
    this.headBias = vector('head1/b', o.headWidth, 0, true);
    this.headBn = bnState('head1', o.headWidth);
    const out = tf.tidy(() => initDense(o.headWidth, o.d, random, `${prefix}/head2`));
    this.outW = register('head2/w', out.w);
    this.outB = register('head2/b', out.b);
    this.zeroHeadBias = tf.keep(tf.zeros([o.headWidth]) as tf.Tensor1D);
    const states = [...this.pointLayers.map((l) => l.bn), this.headBn];
    this.bnRelu = states.map((state) =>
      makeBatchNormRelu(o.bnEpsilon, (mean, variance, rows) => this.updateRunning(state, mean, variance, rows)),
    );
  }

  /** Trainable variables (for the optimizer), by logical name. */
  trainableVariables(): Map<string, tf.Variable> {
    return new Map([...this.variables].filter(([, v]) => v.trainable));
  }

  /** Trainable parameter count from the variables themselves (equals `entropyNetParamCount(options)`). */
  countParams(): number {
    let n = 0;
    for (const v of this.variables.values()) if (v.trainable) n += v.size;
    return n;
  }

  private updateRunning(state: BatchNormState, mean: tf.Tensor2D, variance: tf.Tensor2D, rows: number): void {
    // Called inside the forward pass; the new values are assigned, the intermediates belong to the caller's tidy.
    const m = this.options.bnMomentum;
    const unbiased = rows > 1 ? tf.mul(variance, rows / (rows - 1)) : variance;
    state.runningMean.assign(tf.add(tf.mul(state.runningMean, 1 - m), tf.mul(tf.reshape(mean, [-1]), m)) as tf.Tensor1D);
    state.runningVar.assign(tf.add(tf.mul(state.runningVar, 1 - m), tf.mul(tf.reshape(unbiased, [-1]), m)) as tf.Tensor1D);
  }

  private normRelu(x: tf.Tensor2D, index: number, state: BatchNormState, training: boolean): tf.Tensor2D {
    if (training) {
      return this.bnRelu[index](x, state.gamma, state.beta);
    }
    // Inference: y = relu(x·s + t) with s = γ/√(running_var + ε), t = β − running_mean·s (per channel).
    const scale = tf.mul(state.gamma, tf.rsqrt(tf.add(state.runningVar, this.options.bnEpsilon)));
    const shift = tf.sub(state.beta, tf.mul(state.runningMean, scale));
    return tf.relu(tf.add(tf.mul(x, scale), shift)) as tf.Tensor2D;
  }

  /** Per-point features F1 of Alg. 1 line 1 for flat rows [M, d] → [M, 256]. */
  pointFeatures(rows: tf.Tensor2D, training: boolean): tf.Tensor2D {
    let h = rows;
    this.pointLayers.forEach((layer, i) => {
      h = this.normRelu(dense(h, layer.w, layer.b), i, layer.bn, training);
    });
    return h;
  }

  /**
   * Alg. 1 lines 3–5 given the point features F1 [B·N, 256] (rows of set b contiguous) and the global
   * features G [B, 256]: the displacement tanh(Δ)·σ as [B·N, d].
   */
  displacement(features: tf.Tensor2D, global: tf.Tensor2D, training: boolean): tf.Tensor2D {
    const o = this.options;
    const batch = global.shape[0];
    const rows = features.shape[0];
    const perSet = rows / batch;
    const pointPart = tf.reshape(dense(features, this.headPoint, this.headBias), [batch, perSet, o.headWidth]);
    const globalPart = tf.reshape(dense(global, this.headGlobal, this.zeroHeadBias), [batch, 1, o.headWidth]);
    let h = tf.reshape(tf.add(pointPart, globalPart), [rows, o.headWidth]) as tf.Tensor2D;
    h = this.normRelu(h, this.pointLayers.length, this.headBn, training);
    if (training && o.dropout > 0) {
      const seed = hash2(o.seed, ++this.dropoutCalls);
      h = tf.mul(h, tf.tensor2d(dropoutMask(rows * o.headWidth, o.dropout, seed), [rows, o.headWidth]));
    }
    return tf.mul(tf.tanh(dense(h, this.outW, this.outB)), o.sigma) as tf.Tensor2D;
  }

  /** S′ = S + tanh(Δ)·σ for a batch of point sets [B, N, d] → [B, N, d]. */
  forward(points: tf.Tensor3D, options: ForwardOptions = {}): tf.Tensor3D {
    const training = options.training ?? false;
    const [batch, n, d] = points.shape;
    if (d !== this.options.d) throw new RangeError(`EntropyNet: points have dimension ${d}, the network ${this.options.d}`);
    return tf.tidy(() => {
      const rows = tf.reshape(points, [batch * n, d]) as tf.Tensor2D;
      const features = this.pointFeatures(rows, training);
      const width = features.shape[1];
      const global = training
        ? maxOverPoints(tf.reshape(features, [batch, n, width]) as tf.Tensor3D)
        : (tf.reshape(tf.maxPool(tf.reshape(features, [batch, n, 1, width]) as tf.Tensor4D, [n, 1], [n, 1], 'valid'), [batch, width]) as tf.Tensor2D);
      const delta = this.displacement(features, global, training);
      return tf.add(points, tf.reshape(delta, [batch, n, d])) as tf.Tensor3D;
    });
  }

  /**
   * Inference on one point set given as flat coordinates `[x0, y0, …]` (any length), in chunks of at most
   * `chunk` points so memory stays bounded; returns S′ as Float32Array. Exactly the single-batch forward in
   * inference mode: with running batch-norm statistics every layer is per-point, and the max-pool is taken
   * over all chunks before the output layers run. The point features are kept between the two passes while
   * they fit in `cacheBytes`, else recomputed.
   */
  predict(points: ArrayLike<number>, chunk = 16384, cacheBytes = 256 * 2 ** 20): Float32Array {
    const d = this.options.d;
    const n = Math.floor(points.length / d);
    const out = new Float32Array(n * d);
    if (n === 0) return out;
    const width = this.options.pointWidths[this.options.pointWidths.length - 1];
    const starts: number[] = [];
    for (let s = 0; s < n; s += chunk) starts.push(s);
    const rowsOf = (s: number): tf.Tensor2D => {
      const m = Math.min(chunk, n - s);
      const data = new Float32Array(m * d);
      for (let i = 0; i < m * d; i++) data[i] = points[s * d + i];
      return tf.tensor2d(data, [m, d]);
    };
    const cache = n * width * 4 <= cacheBytes;
    const features: tf.Tensor2D[] = [];
    let global: tf.Tensor2D | null = null;
    for (const s of starts) {
      const next = tf.tidy(() => {
        const f = this.pointFeatures(rowsOf(s), false);
        if (cache) features.push(tf.keep(f));
        const m = f.shape[0];
        const chunkMax = tf.reshape(tf.maxPool(tf.reshape(f, [1, m, 1, width]) as tf.Tensor4D, [m, 1], [m, 1], 'valid'), [1, width]) as tf.Tensor2D;
        return global ? (tf.maximum(global, chunkMax) as tf.Tensor2D) : chunkMax;
      });
      global?.dispose();
      global = next;
    }
    const g = global as tf.Tensor2D;
    starts.forEach((s, k) => {
      const moved = tf.tidy(() => {
        const rows = rowsOf(s);
        const f = cache ? features[k] : this.pointFeatures(rows, false);
        return tf.add(rows, this.displacement(f, g, false));
      });
      out.set(moved.dataSync(), s * d);
      moved.dispose();
    });
    tf.dispose(features);
    g.dispose();
    return out;
  }

  /** Copy of every variable's values, by logical name (for checkpoints). */
  async snapshot(): Promise<Map<string, { shape: number[]; data: Float32Array }>> {
    const out = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const [name, v] of this.variables) out.set(name, { shape: v.shape.slice(), data: ((await v.data()) as Float32Array).slice() });
    return out;
  }

  /** Load values by logical name; every variable must be present with its shape. */
  load(values: Map<string, { shape: number[]; data: Float32Array }>): void {
    for (const [name, v] of this.variables) {
      const entry = values.get(name);
      if (!entry) throw new Error(`EntropyNet.load: missing tensor "${name}"`);
      if (entry.shape.length !== v.shape.length || entry.shape.some((s, i) => s !== v.shape[i])) {
        throw new Error(`EntropyNet.load: "${name}" has shape [${entry.shape}], expected [${v.shape}]`);
      }
      tf.tidy(() => v.assign(tf.tensor(entry.data, v.shape)));
    }
  }

  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
    this.variables.clear();
    this.zeroHeadBias.dispose();
  }
}
