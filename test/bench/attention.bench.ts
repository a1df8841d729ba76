/**
 * Attention lab: where does block-sparse attention win on this backend? For N = 65, 256, 1024 tokens
 * (d_h = 16, 4 heads, 2 images, b = ⌈N/4⌉ kept keys, k = ⌊√N⌋ clusters) it times, per (image, head):
 *   tfjs dense (BatchMatMul + softmax + BatchMatMul on the backend in use), and the JS kernel family of
 *   models/attention/kernels.ts — dense, top-b by magnitude, block-sparse from frozen clusters (key
 *   assignment and ordering included, since keys change per image).
 * Keys are drawn around k centres, so the clusters are balanced as after entropy training; the relative
 * output error of block-sparse vs dense is reported beside its time.
 * Then one tiny-ViT training step (B = 32, CE + 0.03·Σ H_diff) on the backend in use — with the attention
 * products as one BatchMatMul ('batched', the default) and as B·H plain matMuls ('loop') — and the same
 * step in PyTorch (peers/vit_torch.py) when `python3 -c "import torch"` works — same shapes, same run.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { initBackend } from '../../src-worker/models/backend';
import * as tf from '../../src-worker/models/tf';
import { createVit, disposeVit, TINY_VIT, tokenCount, type AttentionImpl } from '../../src-worker/models/vit';
import { attentionKernel } from '../../src-worker/models/attention/kernels';
import { headFlops } from '../../src-worker/models/attention/flops';
import { makeOptimizer, makeTrainStep } from '../../src-worker/experiments/attention-train/train';
import { kForAttention, kMeans } from '../../src-worker/entropy/anchors';
import { createRng } from '../../src-worker/entropy/random';
import { hostInfo, median, timeIt } from '../../src-worker/geometry/timing';
import { pythonWith } from './python-peer';
import type { BenchResult } from './types';

const HEADS = 4;
const IMAGES = 2;
const DH = 16;
const TRAIN_BATCH = 32;
const LAMBDA = 0.03;

function clusteredKeys(n: number, k: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const centres = Float32Array.from({ length: k * DH }, () => 2 * rng.normal());
  const out = new Float32Array(IMAGES * HEADS * n * DH);
  for (let r = 0; r < IMAGES * HEADS * n; r++) {
    const c = rng.int(k);
    for (let t = 0; t < DH; t++) out[r * DH + t] = centres[c * DH + t] + 0.5 * rng.normal();
  }
  return out;
}

function randomArray(len: number, seed: number, scale: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: len }, () => scale * rng.normal());
}

function relError(a: Float32Array, b: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
}

function torchPeer(warmup: number, steps: number): { ms: number[]; torch: string; threads: number } | { skipped: string } {
  const found = pythonWith('torch');
  if ('skipped' in found) return found;
  const path = fileURLToPath(new URL('./peers/vit_torch.py', import.meta.url));
  const r = spawnSync(found.python, [path, String(TRAIN_BATCH), '4', String(LAMBDA), String(warmup), String(steps)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) return { skipped: `peer failed: ${r.stderr.trim().split('\n').at(-1) ?? r.status}` };
  return JSON.parse(r.stdout) as { ms: number[]; torch: string; threads: number } | { skipped: string };
}

async function trainStepTimes(warmup: number, steps: number, impl: AttentionImpl = 'batched'): Promise<number[]> {
  const rng = createRng(42);
  const shape = { ...TINY_VIT, classes: 4 };
  const params = createVit(shape, () => rng.next(), 'bench');
  const n = tokenCount(shape);
  const dh = shape.dim / shape.heads;
  const anchors = params.layers.map((_, l) => Array.from({ length: shape.heads }, (_, h) => tf.variable(tf.randomNormal([kForAttention(n), dh], 0, 1, 'float32', 4 * l + h))));
  const opt = makeOptimizer(params, anchors, 1e-3, 0.01);
  const step = makeTrainStep({ params, anchors, opt, impl, method: 'entropy', lambda: LAMBDA, gradClip: 1 });
  const x = tf.tensor3d(randomArray(TRAIN_BATCH * n * 48, 5, 0.3), [TRAIN_BATCH, n, 48]);
  const y = tf.tensor1d(Int32Array.from({ length: TRAIN_BATCH }, (_, i) => i % 4), 'int32');
  const times: number[] = [];
  try {
    for (let i = 0; i < warmup + steps; i++) {
      const t0 = performance.now();
      const r = step(x, y, true, 5, 1e-3);
      await r.data();
      r.dispose();
      if (i >= warmup) times.push(performance.now() - t0);
    }
  } finally {
    tf.dispose([x, y, ...anchors.flat()]);
    opt.dispose();
    disposeVit(params);
  }
  return times;
}

export default async function attentionBench(): Promise<BenchResult> {
  const info = await initBackend();
  const rows: BenchResult['rows'] = [];
  const notes: string[] = [];
  for (const n of [65, 256, 1024]) {
    const k = kForAttention(n);
    const b = Math.ceil(n / 4);
    const scale = 1 / Math.sqrt(DH);
    const q = randomArray(IMAGES * HEADS * n * DH, n + 1, scale);
    const kk = clusteredKeys(n, k, n + 2);
    const v = randomArray(IMAGES * HEADS * n * DH, n + 3, 1);
    const dims = { b: IMAGES, h: HEADS, n, dh: DH };
    const rng = createRng(n + 4);
    const anchors = [Array.from({ length: HEADS }, (_, h) => Float32Array.from(kMeans(kk.subarray(h * n * DH, (h + 1) * n * DH), k, rng, DH, 25).centers))];
    const kernels = {
      'js dense': attentionKernel({ kind: 'dense' }),
      'js top-b': attentionKernel({ kind: 'top-b', keys: b }),
      'js block-sparse': attentionKernel({ kind: 'block-sparse', budget: { keys: b }, anchors }),
    };
    const reference = kernels['js dense'](0, q, kk, v, dims);
    const budget = n >= 1024 ? 4000 : 1500;
    const results: Record<string, number> = {};
    for (const [name, kernel] of Object.entries(kernels)) {
      const t = timeIt(() => kernel(0, q, kk, v, dims), { warmup: 1, repeats: 30, budgetMs: budget, minRepeats: 3 });
      results[name] = median(t.samples) / (IMAGES * HEADS);
      const err = name === 'js dense' ? 0 : relError(kernel(0, q, kk, v, dims), reference);
      rows.push({
        case: 'attention', impl: name, n, b: name === 'js dense' ? n : b, k, ms_per_head: results[name], samples: t.samples.length,
        flops_per_head: headFlops(name === 'js dense' ? 'dense' : name === 'js top-b' ? 'top-b' : 'block-sparse', n, DH, b, k),
        rel_error_vs_dense: err, speedup_vs_js_dense: null, speedup_vs_tfjs_dense: null,
      });
    }
    // tfjs dense on the backend in use: [B·H, n, d_h] batched products, explicit transpose (no flags).
    const qt = tf.tensor3d(q, [IMAGES * HEADS, n, DH]);
    const kt = tf.transpose(tf.tensor3d(kk, [IMAGES * HEADS, n, DH]), [0, 2, 1]) as tf.Tensor3D;
    const vt = tf.tensor3d(v, [IMAGES * HEADS, n, DH]);
    const run = () => {
      const o = tf.tidy(() => tf.matMul(tf.softmax(tf.matMul(qt, kt)), vt));
      o.dataSync();
      o.dispose();
    };
    const t = timeIt(run, { warmup: 1, repeats: 30, budgetMs: budget, minRepeats: 3 });
    const tfjsMs = median(t.samples) / (IMAGES * HEADS);
    tf.dispose([qt, kt, vt]);
    rows.push({
      case: 'attention', impl: `tfjs dense (${info.name})`, n, b: n, k, ms_per_head: tfjsMs, samples: t.samples.length,
      flops_per_head: headFlops('dense', n, DH), rel_error_vs_dense: 0, speedup_vs_js_dense: null, speedup_vs_tfjs_dense: 1,
    });
    for (const r of rows) {
      if (r.n !== n || r.case !== 'attention') continue;
      r.speedup_vs_js_dense = results['js dense'] / (r.ms_per_head as number);
      r.speedup_vs_tfjs_dense = tfjsMs / (r.ms_per_head as number);
    }
  }

  const torch = torchPeer(1, 3);
  const torchMs = 'ms' in torch ? median(torch.ms) : null;
  const ours = await trainStepTimes(1, 3);
  rows.push({ case: 'train step', impl: `tfjs ${info.name}, batched attention`, n: 65, b: TRAIN_BATCH, k: 8, ms_per_step: median(ours), samples: ours.length, torch_ms: torchMs ?? 'skipped', ratio_vs_torch: torchMs === null ? null : median(ours) / torchMs });
  const loop = await trainStepTimes(1, 2, 'loop');
  rows.push({ case: 'train step', impl: `tfjs ${info.name}, loop attention`, n: 65, b: TRAIN_BATCH, k: 8, ms_per_step: median(loop), samples: loop.length, torch_ms: torchMs ?? 'skipped', ratio_vs_torch: torchMs === null ? null : median(loop) / torchMs });
  rows.push(
    'ms' in torch
      ? { case: 'train step', impl: `pytorch ${torch.torch} (${torch.threads} threads)`, n: 65, b: TRAIN_BATCH, k: 8, ms_per_step: torchMs, samples: torch.ms.length, torch_ms: torchMs, ratio_vs_torch: 1 }
      : { case: 'train step', impl: 'pytorch', n: 65, b: TRAIN_BATCH, k: 8, ms_per_step: null, samples: 0, torch_ms: 'skipped', ratio_vs_torch: null },
  );
  if (!('ms' in torch)) notes.push(`PyTorch skipped: ${torch.skipped}`);
  const host = hostInfo();
  notes.push(`backend ${info.name} ${info.version} (threads ${info.threads}${info.simd !== undefined ? `, simd ${info.simd}` : ''}); host ${host.cpuModel}, ${host.cores} cores, node ${host.node}`);
  notes.push(`attention: ${IMAGES} images × ${HEADS} heads, d_h = ${DH}, b = ⌈N/4⌉, k = ⌊√N⌋; ms_per_head = median call time / ${IMAGES * HEADS}; block-sparse includes assigning and ordering the keys`);
  notes.push(`train step: tiny ViT (65 tokens, dim 64, 4 heads, 4 layers), batch ${TRAIN_BATCH}, CE + ${LAMBDA}·Σ_{l,h} H_diff (k = 8, α = 5), clip 1.0, AdamW; ratio_vs_torch = ours / PyTorch`);
  return { name: 'attention', rows, notes };
}
