/**
 * AdamW (Loshchilov & Hutter 2019; App. G.11: β1 = 0.9, β2 = 0.999, ε = 1e-8) and clipping by global norm.
 * tfjs has no AdamW, and its Adam keeps its moments where a checkpoint cannot reach them by name, so this is
 * a small one with explicit state:
 *   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²,   m̂ = m/(1 − β1^t),   v̂ = v/(1 − β2^t)
 *   θ ← θ − lr·(m̂/(√v̂ + ε) + wd·θ)                      (decoupled decay, PyTorch's torch.optim.AdamW)
 * Variables without a gradient in a step are skipped entirely, as PyTorch skips parameters whose grad is None.
 *
 * The update runs in one JS loop per variable over host copies (every backend the workers use keeps tensors
 * in host memory: wasm, cpu, tfjs-node): as tensor ops it was 12 kernel launches per variable, and for the
 * tiny ViT's 72 small variables those launches cost ≈ 100 ms a step on wasm, the loop < 2 ms. The moments
 * live in Float32Arrays; θ is read from its variable each step (a restore may have assigned it).
 */
import * as tf from './tf';

export interface AdamWOptions {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
}

export const ADAMW_DEFAULTS: AdamWOptions = { lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-4 };

export interface AdamWState {
  /** Steps taken (t of the bias correction). */
  step: number;
  m: Map<string, { shape: number[]; data: Float32Array }>;
  v: Map<string, { shape: number[]; data: Float32Array }>;
}

export class AdamW {
  readonly options: AdamWOptions;
  step = 0;
  private readonly vars: Map<string, tf.Variable>;
  private readonly decay: Set<string>;
  private readonly m = new Map<string, Float32Array>();
  private readonly v = new Map<string, Float32Array>();

  /**
   * `vars`: trainable variables by logical name (the checkpoint keys). `noDecay`: names exempt from weight
   * decay (e.g. anchor coordinates, which are positions in the data's space, not weights).
   */
  constructor(vars: Map<string, tf.Variable>, options: Partial<AdamWOptions> = {}, noDecay: Iterable<string> = []) {
    this.options = { ...ADAMW_DEFAULTS, ...options };
    this.vars = vars;
    const exempt = new Set(noDecay);
    this.decay = new Set([...vars.keys()].filter((k) => !exempt.has(k)));
    for (const [name, variable] of vars) {
      this.m.set(name, new Float32Array(variable.size));
      this.v.set(name, new Float32Array(variable.size));
    }
  }

  /** One update from gradients keyed by logical name; `lr` overrides the configured rate for this step. */
  apply(grads: Map<string, tf.Tensor>, lr = this.options.lr): void {
    this.update(this.read(grads), 1, lr);
  }

  /**
   * Clip by global norm, then one update (PyTorch's `clip_grad_norm_` + `step`): with N = √(Σ‖g‖²) every
   * gradient is scaled by min(1, maxNorm/(N + 1e-6)), in the update's own loop over the host copies it reads
   * anyway (as tensor ops the clip was 3 kernel launches per variable). Returns N (before clipping).
   */
  applyClipped(grads: Map<string, tf.Tensor>, maxNorm: number, lr = this.options.lr): number {
    const read = this.read(grads);
    let sq = 0;
    for (const [, gv] of read) for (let i = 0; i < gv.length; i++) sq += gv[i] * gv[i];
    const norm = Math.sqrt(sq);
    this.update(read, Math.min(1, maxNorm / (norm + 1e-6)), lr);
    return norm;
  }

  private read(grads: Map<string, tf.Tensor>): Array<[string, Float32Array]> {
    return [...grads].map(([name, g]) => {
      if (!this.vars.has(name)) throw new Error(`AdamW: gradient for unknown variable "${name}"`);
      return [name, g.dataSync() as Float32Array];
    });
  }

  private update(grads: Array<[string, Float32Array]>, scale: number, lr: number): void {
    const { beta1, beta2, epsilon, weightDecay } = this.options;
    this.step++;
    const c1 = 1 - beta1 ** this.step;
    const c2 = 1 - beta2 ** this.step;
    for (const [name, gv] of grads) {
      const theta = this.vars.get(name)!;
      const m = this.m.get(name)!;
      const v = this.v.get(name)!;
      const next = Float32Array.from(theta.dataSync() as Float32Array);
      const keep = this.decay.has(name) && weightDecay > 0 ? 1 - lr * weightDecay : 1;
      for (let i = 0; i < next.length; i++) {
        const gi = Math.fround(gv[i] * scale);
        const mi = beta1 * m[i] + (1 - beta1) * gi;
        const vi = beta2 * v[i] + (1 - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        next[i] = next[i] * keep - lr * ((mi / c1) / (Math.sqrt(vi / c2) + epsilon));
      }
      tf.tidy(() => theta.assign(tf.tensor(next, theta.shape, 'float32')));
    }
  }

  async getState(): Promise<AdamWState> {
    const read = async (src: Map<string, Float32Array>) => {
      const out = new Map<string, { shape: number[]; data: Float32Array }>();
      for (const [name, data] of src) out.set(name, { shape: this.vars.get(name)!.shape.slice(), data: data.slice() });
      return out;
    };
    return { step: this.step, m: await read(this.m), v: await read(this.v) };
  }

  setState(state: AdamWState): void {
    for (const [label, src, dst] of [['m', state.m, this.m], ['v', state.v, this.v]] as const) {
      for (const [name, moment] of dst) {
        const entry = src.get(name);
        if (!entry) throw new Error(`AdamW.setState: missing ${label} for "${name}"`);
        if (entry.data.length !== moment.length) throw new Error(`AdamW.setState: ${label} of "${name}" has ${entry.data.length} values, expected ${moment.length}`);
        moment.set(entry.data);
      }
    }
    this.step = state.step;
  }

  dispose(): void {
    this.m.clear();
    this.v.clear();
  }
}
