/**
 * CGAL (Debian libcgal-dev) as a peer: compiles test/bench/peers/cgal_peer.cpp with g++ -O3 at bench time (once
 * per source version, cached in the temp directory) and runs it on the benches' float64 point files. Says why
 * when it cannot (no g++, no CGAL headers, a failed build).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CgalTimes {
  best: number;
  median: number;
}

export interface CgalResult {
  file: string;
  n: number;
  convex_hull_2: CgalTimes & { h: number };
  ch_graham_andrew: CgalTimes & { h: number };
  delaunay: CgalTimes & { triangles: number };
}

function cgalBinary(): { binary: string } | { skipped: string } {
  if (!existsSync('/usr/include/CGAL/convex_hull_2.h')) return { skipped: 'CGAL headers not found (apt-get install libcgal-dev)' };
  const gpp = spawnSync('g++', ['--version'], { encoding: 'utf8' });
  if (gpp.error || gpp.status !== 0) return { skipped: 'g++ not runnable' };
  const source = fileURLToPath(new URL('./peers/cgal_peer.cpp', import.meta.url));
  const hash = createHash('sha256').update(readFileSync(source)).update(gpp.stdout).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), 'der-cgal-peer');
  const binary = join(dir, `cgal_peer-${hash}`);
  if (existsSync(binary)) return { binary };
  mkdirSync(dir, { recursive: true });
  const partial = `${binary}.${process.pid}.tmp`;
  const r = spawnSync('g++', ['-O3', '-DNDEBUG', '-std=c++17', '-o', partial, source, '-lgmp', '-lmpfr'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return { skipped: `g++ could not build the CGAL peer: ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' ')}` };
  renameSync(partial, binary);
  return { binary };
}

/** `only` runs just the hulls or just the triangulation (the other part reports −1). */
export function runCgalPeer(repeats: number, files: string[], only?: 'hull' | 'delaunay'): { results: CgalResult[] } | { skipped: string } {
  const built = cgalBinary();
  if ('skipped' in built) return built;
  const r = spawnSync(built.binary, [String(repeats), ...(only ? [`--only=${only}`] : []), ...files], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.error || r.status !== 0) return { skipped: `CGAL peer failed: ${r.error?.message ?? r.stderr.trim()}` };
  return JSON.parse(r.stdout) as { results: CgalResult[] };
}
