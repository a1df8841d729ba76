/**
 * EntropyNet: one training step at the default batch (B = 32 sets of N = 1024 points; Chamfer + 0.1·H_diff,
 * AdamW, clipping) on the wasm and cpu tfjs backends, against the same step in PyTorch (peers/entropynet_torch.py)
 * when `import torch` works in python3 — same shapes, same run; and the inference forward time vs n on wasm,
 * beside a monotone-chain hull of the same points (the two costs the pipeline's end-to-end speedup weighs).
 * The cpu backend needs about a minute per step at this batch, so it gets one sample and no warm-up.
 */
import '@tensorflow/tfjs-backend-cpu';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { initBackend, type BackendName } from '../../src-worker/models/backend';
import * as tf from '../../src-worker/models/tf';
import { EntropyNetTrainer } from '../../src-worker/experiments/entropynet-train/trainer';
import { EntropyNet } from '../../src-worker/models/entropynet';
import { moveWithEntropyNet } from '../../src-worker/models/entropynet-preprocessor';
import { convexHull } from '../../src-worker/geometry/hull/index';
import { generatePoints } from '../../src-worker/geometry/points';
import { hostInfo, median, timeIt } from '../../src-worker/geometry/timing';
import { pythonWith } from './python-peer';
import type { BenchResult } from './types';

const B = 32;
const N = 1024;

async function stepTimes(backend: BackendName, warmup: number, steps: number): Promise<number[]> {
  await initBackend(backend);
  const anchors = Float64Array.from({ length: 32 }, (_, i) => ((i * 0.618034) % 1));
  const trainer = new EntropyNetTrainer(
    { model: { seed: 42 }, optimizer: {}, gradClip: 1, taskLoss: 'chamfer', hullOutsideWeight: 1, surrogate: 'hDiff' },
    { kind: 'hDiff', anchors },
  );
  const points = tf.tensor3d(Float32Array.from(generatePoints('uniform-square', B * N, 42)), [B, N, 2]);
  const times: number[] = [];
  try {
    for (let i = 0; i < warmup + steps; i++) {
      const t0 = performance.now();
      const r = trainer.step(points, { lambda: 0.1, alpha: 10, tau: 0.05 });
      await r.loss.data();
      if (i >= warmup) times.push(performance.now() - t0);
      tf.dispose([r.loss, r.task, r.gradNorm, ...(r.entropy ? [r.entropy] : [])]);
    }
  } finally {
    points.dispose();
    trainer.dispose();
  }
  return times;
}

function torchPeer(warmup: number, steps: number): { ms: number[]; torch: string; threads: number; blas: string } | { skipped: string } {
  const found = pythonWith('torch');
  if ('skipped' in found) return { skipped: `${found.skipped}; apt-get install python3-torch libopenblas0-pthread` };
  const python = found.python;
  const path = fileURLToPath(new URL('./peers/entropynet_torch.py', import.meta.url));
  const r = spawnSync(python, [path, String(B), String(N), String(warmup), String(steps)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) return { skipped: `peer failed: ${r.stderr.trim().split('\n').at(-1) ?? r.status}` };
  return JSON.parse(r.stdout) as { ms: number[]; torch: string; threads: number; blas: string } | { skipped: string };
}

export default async function entropynetBench(): Promise<BenchResult> {
  const rows: BenchResult['rows'] = [];
  const notes: string[] = [];
  const torch = torchPeer(2, 3);
  const torchMs = 'ms' in torch ? median(torch.ms) : null;
  notes.push('ms' in torch ? `PyTorch ${torch.torch}, ${torch.threads} threads, ${torch.blas}` : `PyTorch skipped: ${torch.skipped}`);

  const wasm = await stepTimes('wasm', 2, 3);
  const info = await initBackend('wasm');
  rows.push({
    case: 'train step', backend: `wasm (simd ${info.simd}, threads ${info.threads})`, batch: B, n: N, ms: median(wasm), samples: wasm.length,
    torch_ms: torchMs ?? 'skipped', ratio_vs_torch: torchMs === null ? null : median(wasm) / torchMs,
  });
  if (torchMs !== null) rows.push({ case: 'train step', backend: 'pytorch', batch: B, n: N, ms: torchMs, samples: (torch as { ms: number[] }).ms.length, torch_ms: torchMs, ratio_vs_torch: 1 });
  else rows.push({ case: 'train step', backend: 'pytorch', batch: B, n: N, ms: null, samples: 0, torch_ms: 'skipped', ratio_vs_torch: null });

  const cpu = await stepTimes('cpu', 0, 1);
  rows.push({
    case: 'train step', backend: 'cpu (1 sample, no warm-up)', batch: B, n: N, ms: median(cpu), samples: cpu.length,
    torch_ms: torchMs ?? 'skipped', ratio_vs_torch: torchMs === null ? null : median(cpu) / torchMs,
  });

  await initBackend('wasm');
  const net = new EntropyNet({ seed: 42 });
  try {
    for (const n of [1_000, 10_000, 100_000]) {
      const points = generatePoints('uniform-square', n, 7);
      const fwd = timeIt(() => moveWithEntropyNet(net, points), { warmup: 1, repeats: n >= 100_000 ? 3 : 10, budgetMs: 3000, minRepeats: 2 });
      const hull = timeIt(() => convexHull(points, 'monotone'), { warmup: 3, repeats: 30, budgetMs: 1000 });
      const fwdMs = median(fwd.samples);
      const hullMs = median(hull.samples);
      rows.push({
        case: 'forward (inference)', backend: 'wasm', batch: 1, n, ms: fwdMs, samples: fwd.samples.length,
        us_per_point: (1000 * fwdMs) / n, hull_monotone_ms: hullMs, hull_us_per_point: (1000 * hullMs) / n,
      });
    }
  } finally {
    net.dispose();
  }
  const host = hostInfo();
  notes.push(`host: ${host.cpuModel}, ${host.cores} cores, node ${host.node}`);
  notes.push('train step = forward + Chamfer + 0.1·H_diff (k = 16, α = 10) + backward + clip + AdamW, median ms; ratio_vs_torch = ours / PyTorch');
  return { name: 'entropynet', rows, notes };
}
