/**
 * Every hull algorithm vs scipy.spatial.ConvexHull (QHull), measured in the same run, on uniform-square and
 * circle points, n = 10⁴, 10⁵, 10⁶. QHull runs in python3 on the same coordinates (a float64 file), timing
 * only the ConvexHull call; without scipy its column says skipped. `ratio` = our median / QHull's median.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convexHull, HULL_ALGORITHMS } from '../../src-worker/geometry/hull/index';
import { generatePoints } from '../../src-worker/geometry/points';
import { hostInfo, median, timeIt } from '../../src-worker/geometry/timing';
import { runPythonPeer } from './python-peer';
import { runCgalPeer } from './cgal-peer';
import type { BenchResult } from './types';
import monotoneConvexHull2d from 'monotone-convex-hull-2d';

export default async function hullBench(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'hull-bench-'));
  const cases: Array<{ dataset: 'uniform-square' | 'circle'; n: number; points: Float64Array; file: string }> = [];
  try {
    for (const dataset of ['uniform-square', 'circle'] as const) {
      for (const n of [1e4, 1e5, 1e6]) {
        const points = generatePoints(dataset, n, 42);
        const file = join(dir, `${dataset}-${n}.f64`);
        writeFileSync(file, new Uint8Array(points.buffer, points.byteOffset, points.byteLength));
        cases.push({ dataset, n, points, file });
      }
    }
    const peer = runPythonPeer('qhull.py', 5, cases.map((c) => c.file));
    const qhullMs = new Map<string, number>();
    if ('results' in peer) for (const r of peer.results) qhullMs.set(r.file, r.ms);
    // CGAL's best warm time of its two hulls (convex_hull_2, ch_graham_andrew): the target is ≤ 1.0× of it.
    const cgal = runCgalPeer(5, cases.map((c) => c.file));
    const cgalMs = new Map<string, number>();
    if ('results' in cgal) for (const r of cgal.results) cgalMs.set(r.file, Math.min(r.convex_hull_2.best, r.ch_graham_andrew.best));

    const rows: BenchResult['rows'] = [];
    const best = new Map<string, { algorithm: string; ratio: number }>();
    const npmMs = new Map<string, number>();
    for (const c of cases) {
      const q = qhullMs.get(c.file) ?? null;
      for (const algorithm of HULL_ALGORITHMS) {
        let h = 0;
        // Slow pairs (Chan or quickhull on 10⁶ circle points, ~2 s a call) stop at two samples to keep the
        // bench near a minute; fast ones get up to 15.
        const { samples } = timeIt(() => (h = convexHull(c.points, algorithm).length), {
          warmup: c.n >= 1e6 ? 1 : 3,
          repeats: c.n >= 1e6 ? 7 : 15,
          budgetMs: 1500,
          minRepeats: 2,
        });
        const ms = median(samples);
        const ratio = q === null ? null : ms / q;
        const cg = cgalMs.get(c.file) ?? null;
        rows.push({
          dataset: c.dataset, n: c.n, algorithm, ms, best_ms: Math.min(...samples), qhull_ms: q ?? 'skipped', ratio,
          cgal_best_ms: cg ?? 'skipped', best_vs_cgal: cg === null ? null : Math.min(...samples) / cg, h, samples: samples.length,
        });
        if (c.n === 1e6 && ratio !== null && ratio < (best.get(c.dataset)?.ratio ?? Infinity)) {
          best.set(c.dataset, { algorithm, ratio });
        }
      }
      // Peer: the most used npm hull package, given the [x, y] pairs it takes (conversion not timed).
      const pairs = Array.from({ length: c.n }, (_, i) => [c.points[2 * i], c.points[2 * i + 1]] as [number, number]);
      let h = 0;
      const { samples } = timeIt(() => (h = monotoneConvexHull2d(pairs).length), { warmup: 1, repeats: c.n >= 1e6 ? 5 : 15, budgetMs: 3000, minRepeats: 2 });
      const ms = median(samples);
      rows.push({ dataset: c.dataset, n: c.n, algorithm: 'npm monotone-convex-hull-2d', ms, qhull_ms: q ?? 'skipped', ratio: q === null ? null : ms / q, h, samples: samples.length });
      npmMs.set(`${c.dataset}-${c.n}`, ms);
    }
    const host = hostInfo();
    const notes = [
      `host: ${host.cpuModel}, ${host.cores} cores, node ${host.node}`,
      'skipped' in peer ? `QHull skipped: ${peer.skipped}` : 'QHull: scipy.spatial.ConvexHull, median of up to 5 calls after one warm-up',
      'skipped' in cgal ? `CGAL skipped: ${cgal.skipped}` : 'CGAL: best of 5 warm calls of convex_hull_2 and ch_graham_andrew (g++ -O3, Epick); best_vs_cgal = our best / that (target ≤ 1.0)',
      ...[...best].map(([d, b]) => `best at 1e6 on ${d}: ${b.algorithm}, ${b.ratio.toFixed(3)}× QHull (targets: square ≤ 0.20, circle ≤ 0.07)`),
      ...['uniform-square', 'circle'].map((d) => {
        const ours = Math.min(...rows.filter((r) => r.dataset === d && r.n === 1e6 && !String(r.algorithm).startsWith('npm')).map((r) => r.ms as number));
        return `1e6 ${d}: our best ${ours.toFixed(1)} ms vs npm monotone-convex-hull-2d ${npmMs.get(`${d}-1000000`)?.toFixed(1)} ms`;
      }),
    ];
    return { name: 'hull', rows, notes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
