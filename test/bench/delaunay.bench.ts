/**
 * Our Delaunay wrapper vs raw delaunator vs scipy.spatial.Delaunay (QHull), same run, uniform-square points.
 * Wrapper and raw calls alternate sample by sample so drift (GC, frequency) hits both alike;
 * `wrapper_vs_raw` = median(wrapper) / median(raw), the issue's ≤ 1.05 target.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Delaunator from 'delaunator';
import { delaunay } from '../../src-worker/geometry/delaunay';
import { generatePoints } from '../../src-worker/geometry/points';
import { hostInfo, median } from '../../src-worker/geometry/timing';
import { runPythonPeer } from './python-peer';
import { runCgalPeer } from './cgal-peer';
import type { BenchResult } from './types';

export default async function delaunayBench(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'delaunay-bench-'));
  try {
    const cases = (['uniform-square', 'circle'] as const).flatMap((dataset) => [1e4, 1e5, 1e6].map((n) => {
      const points = generatePoints(dataset, n, 42);
      const file = join(dir, `${dataset}-${n}.f64`);
      writeFileSync(file, new Uint8Array(points.buffer, points.byteOffset, points.byteLength));
      return { dataset, n, points, file };
    }));
    const cgal = runCgalPeer(3, cases.map((c) => c.file));
    const cgalMs = new Map<string, number>();
    if ('results' in cgal) for (const r of cgal.results) cgalMs.set(r.file, r.delaunay.best);
    // scipy's Delaunay takes ~16 s per call at 10⁶ here; it is measured up to Table 23's n = 10⁵.
    const SCIPY_MAX_N = 1e5;
    const peer = runPythonPeer('delaunay.py', 5, cases.filter((c) => c.n <= SCIPY_MAX_N).map((c) => c.file));
    const scipyMs = new Map<string, number>();
    if ('results' in peer) for (const r of peer.results) scipyMs.set(r.file, r.ms);

    const rows: BenchResult['rows'] = [];
    for (const c of cases) {
      const repeats = c.n >= 1e6 ? 3 : c.n >= 1e5 ? 15 : 60;
      let triangles = 0;
      for (let w = 0; w < (c.n >= 1e6 ? 1 : 2); w++) {
        if (!(c.dataset === 'circle' && c.n > 1e4)) new Delaunator(c.points);
        triangles = delaunay(c.points).triangles.length / 3;
      }
      const raw: number[] = [];
      const ours: number[] = [];
      // Raw delaunator is quadratic on points in convex position (10⁶ on a circle: 541 s): timed up to 10⁴ there.
      const rawRuns = c.dataset === 'circle' && c.n > 1e4 ? 0 : 1;
      for (let r = 0; r < repeats; r++) {
        let t0 = performance.now();
        if (rawRuns) new Delaunator(c.points);
        raw.push(performance.now() - t0);
        t0 = performance.now();
        delaunay(c.points);
        ours.push(performance.now() - t0);
      }
      const q = scipyMs.get(c.file) ?? null;
      const rawTimed = !(c.dataset === 'circle' && c.n > 1e4);
      const rawMs = median(raw);
      const oursMs = median(ours);
      const cg = cgalMs.get(c.file) ?? null;
      rows.push({
        dataset: c.dataset,
        n: c.n,
        wrapper_ms: oursMs,
        best_ms: Math.min(...ours),
        delaunator_ms: rawTimed ? rawMs : 'not run (quadratic)',
        wrapper_vs_raw: rawTimed ? oursMs / rawMs : null,
        cgal_best_ms: cg ?? 'skipped',
        best_vs_cgal: cg === null ? null : Math.min(...ours) / cg,
        scipy_ms: q ?? (c.n > SCIPY_MAX_N ? 'not run' : 'skipped'),
        wrapper_vs_scipy: q === null ? null : oursMs / q,
        triangles,
        samples: repeats,
      });
    }
    const host = hostInfo();
    return {
      name: 'delaunay',
      rows,
      notes: [
        `host: ${host.cpuModel}, ${host.cores} cores, node ${host.node}`,
        'skipped' in peer ? `scipy skipped: ${peer.skipped}` : 'scipy.spatial.Delaunay: median of up to 5 calls after one warm-up',
        'skipped' in cgal ? `CGAL skipped: ${cgal.skipped}` : 'CGAL: Delaunay_triangulation_2 range insertion, best of 3 warm calls; targets best_vs_cgal ≤ 1.5, wrapper_vs_raw ≤ 1.0 on uniform',
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
