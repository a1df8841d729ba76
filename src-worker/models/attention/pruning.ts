/**
 * Calibration of magnitude-pruning thresholds (Table 19 analogue). A `WeightCollector` is the `WeightSink`
 * of a calibration pass: it keeps every row's final weights per layer (zeros off the kernel's support
 * included), and `thresholds` turns them into one τ per layer and target sparsity s, so that a fraction s
 * of the calibration weights lies below τ. Pruning at τ then drops weights < τ and renormalises
 * (kernels.ts): the measured sparsity on other images is reported as measured, never assumed to be s.
 *
 * Layers must be calibrated in order: pruning layer l changes the inputs, hence the attention weights, of
 * every later layer, so thresholds taken from one unpruned pass under-prune the later layers (measured: a
 * 85% target dropped 85/80/78/77% of layers 1–4). `calibratingKernel` does it right in one pass.
 */
import type { AttentionKernel } from '../vit';
import { attentionKernel, type AttentionMode, type WeightSink } from './kernels';

export class WeightCollector {
  /** Per layer, allocated at the layer's first row (a calibration pass may feed one layer only). */
  private readonly values: Array<Float64Array | null>;
  private readonly used: number[];

  /** `capacity`: weights kept per layer at most (rows × n); later rows are ignored. */
  constructor(
    layers: number,
    private readonly capacity: number,
  ) {
    this.values = Array.from({ length: layers }, () => null);
    this.used = Array.from({ length: layers }, () => 0);
  }

  readonly sink: WeightSink = (layer, w, n) => {
    if (layer < 0 || layer >= this.values.length) return;
    const buf = (this.values[layer] ??= new Float64Array(this.capacity));
    const at = this.used[layer];
    if (at + n > buf.length) return;
    for (let j = 0; j < n; j++) buf[at + j] = w[j];
    this.used[layer] = at + n;
  };

  /** Weights collected for `layer`. */
  count(layer: number): number {
    return this.used[layer] ?? 0;
  }

  /**
   * τ[target index][layer]: the ⌊s·m⌋-th smallest of the m weights of the layer (0-based), so that at most
   * a fraction s lies strictly below it. s = 0 gives the minimum (nothing pruned); layers without weights get 0.
   */
  thresholds(targets: number[]): number[][] {
    const sorted = this.values.map((buf, l) => (buf ? buf.slice(0, this.used[l]).sort() : new Float64Array(0)));
    return targets.map((s) => {
      if (!(s >= 0 && s < 1)) throw new Error(`target sparsity must be in [0, 1), got ${s}`);
      return sorted.map((w) => (w.length ? w[Math.min(w.length - 1, Math.floor(s * w.length))] : 0));
    });
  }
}

/**
 * A kernel for one pass over the whole calibration batch: at each layer it first runs the base mode unpruned
 * to collect that layer's weights (under the pruning already applied to the layers before it), sets τ_l to
 * their `target` quantile, then returns the layer's output pruned at τ_l. After the pass `taus` holds τ per layer.
 */
export function calibratingKernel(mode: (tau: number[]) => AttentionMode, layers: number, target: number): { kernel: AttentionKernel; taus: number[] } {
  const taus = Array.from({ length: layers }, () => 0);
  const kernel: AttentionKernel = (layer, q, k, v, dims) => {
    const collector = new WeightCollector(layers, dims.b * dims.h * dims.n * dims.n);
    taus[layer] = 0;
    attentionKernel(mode(taus), undefined, undefined, collector.sink)(layer, q, k, v, dims);
    taus[layer] = collector.thresholds([target])[0][layer];
    return attentionKernel(mode(taus))(layer, q, k, v, dims);
  };
  return { kernel, taus };
}
