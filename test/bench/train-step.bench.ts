/**
 * One training step of each model on the wasm backend against the same step in PyTorch CPU with the same
 * thread count, interleaved (peer, ours, peer, ours, …: a drift of the machine's load hits both alike), and
 * where our step's time goes by tfjs kernel (tf.profile of one step; the rest of the wall time is outside
 * tfjs kernels: the step's bookkeeping, read-back, and the ops on our WebAssembly SIMD module — attention
 * products, the entropy penalty's products, layer norm, GELU, the dense layers' dW and db).
 *   EntropyNet: B = 32 sets of N = 1024 points, Chamfer + 0.1·H_diff (k = 16, α = 10), clip 1, AdamW
 *               (peers/entropynet_torch.py).
 *   tiny ViT:   B = 32 images, dim 64, 4 heads, CE + 0.03·Σ_{l,h} H_diff (k = ⌊√N⌋, α = 5), clip 1, AdamW
 *               (peers/vit_torch.py), in two shapes: the model attention-train trains by default (its config's
 *               patch and layers: patch 8 → 17 tokens, 2 blocks) and the issue's first shape (patch 4 → 65
 *               tokens, 4 blocks), where the attention products dominate.
 * Skipped with the reason when no python3 imports torch.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { initBackend, type BackendInfo } from '../../src-worker/models/backend';
import * as tf from '../../src-worker/models/tf';
import { EntropyNetTrainer } from '../../src-worker/experiments/entropynet-train/trainer';
import { createVit, defaultAttentionImpl, disposeVit, patchDim, TINY_VIT, tokenCount, type AttentionImpl } from '../../src-worker/models/vit';
import { groupMatMulSimd, simdMatMul, simdMatMulAvailable } from '../../src-worker/models/attention/simd-matmul';
import { configSchema as attentionConfig } from '../../src-worker/experiments/attention-train/config';
import { makeOptimizer, makeTrainStep } from '../../src-worker/experiments/attention-train/train';
import { kForAttention } from '../../src-worker/entropy/anchors';
import { createRng } from '../../src-worker/entropy/random';
import { generatePoints } from '../../src-worker/geometry/points';
import { hostInfo, median } from '../../src-worker/geometry/timing';
import { pythonWith } from './python-peer';
import type { BenchResult } from './types';

const ROUNDS = 5;

interface Subject {
  name: string;
  /** Steps per round, ours and the peer's (more for quick steps, so a median is not one step's noise). */
  perRound: number;
  /** One optimisation step, read-back included; the first variant is the one profiled. */
  variants: Array<{ label: string; step(): Promise<void> }>;
  dispose(): void;
  /** argv of the PyTorch peer after the script path, for `warmup` and `steps` and `threads`. */
  peer: { script: string; args: (warmup: number, steps: number, threads: number) => string[] };
}

function entropyNetSubject(): Subject {
  const B = 32;
  const N = 1024;
  const anchors = Float64Array.from({ length: 32 }, (_, i) => (i * 0.618034) % 1);
  const trainer = new EntropyNetTrainer(
    { model: { seed: 42 }, optimizer: {}, gradClip: 1, taskLoss: 'chamfer', hullOutsideWeight: 1, surrogate: 'hDiff' },
    { kind: 'hDiff', anchors },
  );
  const points = tf.tensor3d(Float32Array.from(generatePoints('uniform-square', B * N, 42)), [B, N, 2]);
  return {
    name: `EntropyNet (B ${B}, N ${N})`,
    perRound: 2,
    variants: [
      {
        label: 'tfjs wasm',
        async step() {
          const r = trainer.step(points, { lambda: 0.1, alpha: 10, tau: 0.05 });
          await r.loss.data();
          tf.dispose([r.loss, r.task, r.gradNorm, ...(r.entropy ? [r.entropy] : [])]);
        },
      },
    ],
    dispose() {
      points.dispose();
      trainer.dispose();
    },
    peer: { script: 'entropynet_torch.py', args: (w, s, t) => [String(B), String(N), String(w), String(s), String(t)] },
  };
}

function vitSubject(patch: number, layers: number, label: string, impls: AttentionImpl[]): Subject {
  const B = 32;
  const LAMBDA = 0.03;
  const rng = createRng(42);
  const shape = { ...TINY_VIT, patch, layers, classes: 4 };
  const params = createVit(shape, () => rng.next(), 'train-step-bench');
  const n = tokenCount(shape);
  const dh = shape.dim / shape.heads;
  const anchors = params.layers.map((_, l) => Array.from({ length: shape.heads }, (_, h) => tf.variable(tf.randomNormal([kForAttention(n), dh], 0, 1, 'float32', 4 * l + h))));
  const opt = makeOptimizer(params, anchors, 1e-3, 0.01);
  // Every layout steps the same model (alternately), so they see the same weights up to a few steps' drift.
  const steps = impls.map((impl) => ({ impl, run: makeTrainStep({ params, anchors, opt, impl, method: 'entropy', lambda: LAMBDA, gradClip: 1 }) }));
  const data = createRng(5);
  const pd = patchDim(shape);
  const x = tf.tensor3d(Float32Array.from({ length: B * n * pd }, () => 0.3 * data.normal()), [B, n, pd]);
  const y = tf.tensor1d(Int32Array.from({ length: B }, (_, i) => i % 4), 'int32');
  return {
    name: `tiny ViT ${label} (B ${B}, ${n} tokens, ${layers} blocks)`,
    perRound: n > 32 ? 3 : 10,
    variants: steps.map(({ impl, run }) => ({
      label: `tfjs wasm, attention ${impl}`,
      async step() {
        const r = run(x, y, true, 5, 1e-3);
        await r.data();
        r.dispose();
      },
    })),
    dispose() {
      tf.dispose([x, y, ...anchors.flat()]);
      opt.dispose();
      disposeVit(params);
    },
    peer: { script: 'vit_torch.py', args: (w, s, t) => [String(B), '4', String(LAMBDA), String(w), String(s), String(t), String(patch), String(layers)] },
  };
}

/**
 * The attention products alone: G = B·H = 128 groups of [N, 16]·[16, N] (Q·Kᵀ's shape) and [N, N]·[N, 16]
 * (A·V's), tf.matMul of 3-D operands (wasm's BatchMatMul) against our SIMD kernel, on its own (operands
 * already in its memory: copy in, product, copy out) and as the tfjs op (on wasm: operands read in place
 * from the backend's heap, result written into a tensor it allocates).
 * Methods interleaved call by call; GMAC/s = G·n·m·p / median time.
 */
function kernelRows(rows: BenchResult['rows']): void {
  const G = 128;
  const REPS = 41;
  for (const [n, m, p] of [[17, 16, 17], [65, 16, 65], [17, 17, 16], [65, 65, 16]]) {
    const a = tf.randomNormal([G, n, m], 0, 1, 'float32', 1) as tf.Tensor3D;
    const b = tf.randomNormal([G, m, p], 0, 1, 'float32', 2) as tf.Tensor3D;
    const ah = a.dataSync() as Float32Array;
    const bh = b.dataSync() as Float32Array;
    const methods: Array<[string, () => void]> = [
      ['tf.matMul (BatchMatMul), read back', () => tf.tidy(() => void tf.matMul(a, b).dataSync())],
      ['simd kernel on host arrays', () => void simdMatMul('ab', G, n, m, p, ah, bh)],
      ['simd tfjs op (heap in place), read back', () => tf.tidy(() => void groupMatMulSimd(a, b).dataSync())],
    ];
    const times = methods.map(() => [] as number[]);
    for (let r = 0; r < REPS; r++) {
      methods.forEach(([, f], i) => {
        const t0 = performance.now();
        f();
        times[i].push(performance.now() - t0);
      });
    }
    const macs = G * n * m * p;
    methods.forEach(([what], i) => {
      const ms = median(times[i].slice(1));
      rows.push({ case: `attention product [${G},${n},${m}]·[${G},${m},${p}]`, what, calls: REPS - 1, ms, share: null, gmac_per_s: macs / ms / 1e6 });
    });
    tf.dispose([a, b]);
  }
}

type PeerRun = { ms: number[]; cpu_ms: number[]; torch: string; threads: number } | { skipped: string };

function runPeer(python: string, subject: Subject, warmup: number, steps: number, threads: number): PeerRun {
  const path = fileURLToPath(new URL(`./peers/${subject.peer.script}`, import.meta.url));
  const r = spawnSync(python, [path, ...subject.peer.args(warmup, steps, threads)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.error) return { skipped: `${python}: ${r.error.message}` };
  if (r.status !== 0) return { skipped: `peer failed: ${r.stderr.trim().split('\n').at(-1) ?? r.status}` };
  return JSON.parse(r.stdout) as PeerRun;
}

/** Kernel time of one step by tfjs kernel name, largest first, and the step's wall time. */
async function profileStep(subject: Subject): Promise<{ wallMs: number; kernels: Array<{ name: string; ms: number; calls: number }> }> {
  const t0 = performance.now();
  const info = await tf.profile(() => subject.variants[0].step());
  const wallMs = performance.now() - t0;
  const byName = new Map<string, { ms: number; calls: number }>();
  const backend = tf.getBackend();
  for (const k of info.kernels) {
    // customGrad ops appear under their scope name ('forward', 'unnamed scope') with the time of the kernels
    // inside them, which are listed too: only registered kernels count.
    if (!tf.getKernel(k.name, backend)) continue;
    const e = byName.get(k.name) ?? { ms: 0, calls: 0 };
    e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    e.calls++;
    byName.set(k.name, e);
  }
  return { wallMs, kernels: [...byName].map(([name, e]) => ({ name, ...e })).sort((a, b) => b.ms - a.ms) };
}

async function measure(subject: Subject, python: string | null, info: BackendInfo, rows: BenchResult['rows'], notes: string[]): Promise<void> {
  for (const v of subject.variants) await v.step();
  const prof = await profileStep(subject);
  const kernelMs = prof.kernels.reduce((a, k) => a + k.ms, 0);
  const top = prof.kernels.slice(0, 10);
  for (const k of top) rows.push({ case: `${subject.name} profile`, what: k.name, calls: k.calls, ms: k.ms, share: k.ms / prof.wallMs });
  rows.push({ case: `${subject.name} profile`, what: `other kernels (${prof.kernels.length - top.length})`, calls: prof.kernels.slice(10).reduce((a, k) => a + k.calls, 0), ms: kernelMs - top.reduce((a, k) => a + k.ms, 0), share: (kernelMs - top.reduce((a, k) => a + k.ms, 0)) / prof.wallMs });
  rows.push({ case: `${subject.name} profile`, what: 'outside tfjs kernels (JS, profiler)', calls: null, ms: prof.wallMs - kernelMs, share: (prof.wallMs - kernelMs) / prof.wallMs });

  const ours = subject.variants.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
  const theirs: number[] = [];
  const theirsCpu: number[] = [];
  let peerNote = python ? '' : 'no python3 with torch';
  for (let r = 0; r < ROUNDS; r++) {
    if (python && !peerNote) {
      const p = runPeer(python, subject, 1, subject.perRound, info.threads);
      if ('skipped' in p) peerNote = p.skipped;
      else {
        theirs.push(...p.ms);
        theirsCpu.push(...p.cpu_ms);
        if (r === 0) notes.push(`${subject.name}: PyTorch ${p.torch}, ${p.threads} thread(s)`);
      }
    }
    // Our variants take turns step by step, the first one rotating with the round.
    for (let s = 0; s < subject.perRound; s++) {
      for (let i = 0; i < subject.variants.length; i++) {
        const vi = (i + r) % subject.variants.length;
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        await subject.variants[vi].step();
        ours[vi].wall.push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        ours[vi].cpu.push((c.user + c.system) / 1000);
      }
    }
  }
  const torchMs = theirs.length ? median(theirs) : null;
  const torchCpu = theirsCpu.length ? median(theirsCpu) : null;
  subject.variants.forEach((v, i) => {
    const oursMs = median(ours[i].wall);
    const oursCpu = median(ours[i].cpu);
    rows.push({
      case: `${subject.name} step`, what: `${v.label} (${info.threads} thread, simd ${info.simd})`, calls: ours[i].wall.length, ms: oursMs, share: null,
      torch_ms: torchMs ?? `skipped: ${peerNote}`, ratio_vs_torch: torchMs === null ? null : oursMs / torchMs,
      cpu_ms: oursCpu, torch_cpu_ms: torchCpu, cpu_ratio: torchCpu === null ? null : oursCpu / torchCpu,
    });
  });
}

export default async function trainStepBench(): Promise<BenchResult> {
  const info = await initBackend('wasm');
  const found = pythonWith('torch');
  const python = 'python' in found ? found.python : null;
  const rows: BenchResult['rows'] = [];
  const notes: string[] = [];
  const loadAtStart = loadavg()[0];
  if (!python) notes.push(`PyTorch skipped: ${'skipped' in found ? found.skipped : ''}`);
  const trained = attentionConfig.parse({});
  // The default layout first (it is the one profiled), then the other of 'batched' and 'simd'.
  const first = defaultAttentionImpl(info.name);
  const impls: AttentionImpl[] = simdMatMulAvailable() ? [first, first === 'simd' ? 'batched' : 'simd'] : ['batched'];
  if (impls.length > 1) kernelRows(rows);
  const subjects = [() => vitSubject(trained.patch, trained.layers, 'as trained', impls), () => vitSubject(4, 4, 'issue shape', impls), entropyNetSubject];
  for (const make of subjects) {
    const subject = make();
    try {
      await measure(subject, python, info, rows, notes);
    } finally {
      subject.dispose();
    }
  }
  const host = hostInfo();
  notes.push(`load average (1 min) ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end (2 cores)`);
  notes.push(`backend ${info.name} ${info.version} (threads ${info.threads}, simd ${info.simd}); host ${host.cpuModel}, ${host.cores} cores, node ${host.node}`);
  notes.push(`step = median of ${ROUNDS} rounds × the subject's steps per round (calls / ${ROUNDS}), rounds interleaved with the PyTorch peer (fresh process per round, 1 warm-up step), peer threads = ours; ratio_vs_torch = ours / PyTorch in wall time; cpu_ratio the same in CPU time of each process (user + system: what a loaded machine distorts least)`);
  notes.push('profile: tfjs kernel time of one step by kernel (tf.profile; backward kernels carry their forward names plus Grad/Backprop), share = of the step\'s wall time');
  return { name: 'train-step', rows, notes };
}
