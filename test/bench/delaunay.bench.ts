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
import type { BenchResult } from './types';

export default async function delaunayBench(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'delaunay-bench-'));
  try {
    const cases = [1e4, 1e5, 1e6].map((n) => {
      const points = generatePoints('uniform-square', n, 42);
      const file = join(dir, `uniform-${n}.f64`);
      writeFileSync(file, new Uint8Array(points.buffer, points.byteOffset, points.byteLength));
      return { n, points, file };
    });
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
        triangles = new Delaunator(c.points).triangles.length / 3;
        delaunay(c.points);
      }
      const raw: number[] = [];
      const ours: number[] = [];
      for (let r = 0; r < repeats; r++) {
        let t0 = performance.now();
        new Delaunator(c.points);
        raw.push(performance.now() - t0);
        t0 = performance.now();
        delaunay(c.points);
        ours.push(performance.now() - t0);
      }
      const q = scipyMs.get(c.file) ?? null;
      const rawMs = median(raw);
      const oursMs = median(ours);
      rows.push({
        dataset: 'uniform-square',
        n: c.n,
        wrapper_ms: oursMs,
        delaunator_ms: rawMs,
        wrapper_vs_raw: oursMs / rawMs,
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
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
