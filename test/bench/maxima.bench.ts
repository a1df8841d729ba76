/**
 * 3-D maxima: the output-sensitive O(n log h) algorithm against the O(n·h) gift wrapping it replaced and the
 * O(n log n) sweep, interleaved in one run on the same points. Datasets span h: a few points dominating a cube
 * (h = 8), 64 maxima each dominating its own 1/64 of the points (no one maximum prunes much), the uniform cube (h ≈ ln² n / 2), and points in convex position on the plane x + y + z = 1 and on the
 * unit sphere's positive octant (h = n). Gift wrapping is run only where n·h ≤ 2·10⁹.
 */
import { maxima3dGiftWrapping, maxima3dOutputSensitive, maxima3dSweep, type MaximaWork } from '../../src-worker/geometry/maxima';
import { rng } from '../../src-worker/geometry/random';
import { hostInfo } from '../../src-worker/geometry/timing';
import type { BenchResult } from './types';
import { loadavg } from 'node:os';

type Dataset = 'few-dominating' | 'box-per-maximum' | 'uniform-cube' | 'plane' | 'sphere-octant';

function makePoints(dataset: Dataset, n: number, seed: number): Float64Array {
  const u = rng(seed);
  const p = new Float64Array(3 * n);
  if (dataset === 'box-per-maximum') {
    const h = 64;
    for (let i = 0; i < n; i++) {
      const k = i % h;
      p.set(i < h ? [k, h - 1 - k, 1] : [k - 0.5 * u(), h - 1 - k - 0.5 * u(), u()], 3 * i);
    }
    return p;
  }
  for (let i = 0; i < n; i++) {
    let x = u(), y = u(), z = u();
    if (dataset === 'plane') {
      const s = x + y + z;
      x /= s;
      y /= s;
      z /= s;
    } else if (dataset === 'sphere-octant') {
      const r = Math.hypot(x, y, z) || 1;
      x /= r;
      y /= r;
      z /= r;
    }
    p[3 * i] = x;
    p[3 * i + 1] = y;
    p[3 * i + 2] = z;
  }
  if (dataset === 'few-dominating') for (let k = 0; k < 8; k++) p.set([2 + k / 8, 3 - k / 8, 2.5], 3 * Math.floor((k * n) / 8));
  return p;
}

export default async function maximaBench(): Promise<BenchResult> {
  const repeats = 5;
  const rows: BenchResult['rows'] = [];
  const load = loadavg()[0];
  for (const dataset of ['few-dominating', 'box-per-maximum', 'uniform-cube', 'plane', 'sphere-octant'] as const) {
    for (const n of [1e4, 1e5, 1e6]) {
      const points = makePoints(dataset, n, 42);
      const work: MaximaWork = { steps: 0 };
      const h = maxima3dOutputSensitive(points, work).length;
      const giftRuns = n * h <= 2e9;
      const times = { new: [] as number[], old: [] as number[], sweep: [] as number[] };
      for (let r = 0; r < repeats; r++) {
        let t0 = performance.now();
        maxima3dOutputSensitive(points);
        times.new.push(performance.now() - t0);
        t0 = performance.now();
        maxima3dSweep(points);
        times.sweep.push(performance.now() - t0);
        if (giftRuns) {
          t0 = performance.now();
          maxima3dGiftWrapping(points);
          times.old.push(performance.now() - t0);
        }
      }
      // Best of the interleaved calls: the machine is shared, and the least disturbed call is the closest to
      // each algorithm's own cost.
      const newMs = Math.min(...times.new);
      const oldMs = giftRuns ? Math.min(...times.old) : null;
      const sweepMs = Math.min(...times.sweep);
      rows.push({
        dataset,
        n,
        h,
        output_sensitive_ms: newMs,
        gift_wrapping_ms: oldMs ?? 'not run (n·h > 2·10⁹)',
        new_vs_gift: oldMs === null ? null : newMs / oldMs,
        sweep_ms: sweepMs,
        new_vs_sweep: newMs / sweepMs,
        steps_per_n: work.steps / n,
        samples: repeats,
      });
    }
  }
  const host = hostInfo();
  return {
    name: 'maxima',
    rows,
    notes: [
      `host: ${host.cpuModel}, ${host.cores} cores, node ${host.node}; 1-min load average at the start ${load.toFixed(2)}, at the end ${loadavg()[0].toFixed(2)}`,
      'best of 5 interleaved calls each; steps_per_n is the output-sensitive work counter (comparisons, staircase probes and shifts) over n',
    ],
  };
}
