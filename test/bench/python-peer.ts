/** Runs a python3 peer script of test/bench/peers on float64 point files; says why when it cannot. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface PeerResult {
  file: string;
  ms: number;
  samples: number;
  h: number;
}

export function runPythonPeer(script: string, repeats: number, files: string[]): { results: PeerResult[] } | { skipped: string } {
  const path = fileURLToPath(new URL(`./peers/${script}`, import.meta.url));
  const r = spawnSync('python3', [path, String(repeats), ...files], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.error) return { skipped: `python3 not runnable: ${r.error.message}` };
  if (r.status !== 0) return { skipped: `peer failed: ${r.stderr.trim().split('\n').at(-1) ?? r.status}` };
  return JSON.parse(r.stdout) as { results: PeerResult[] } | { skipped: string };
}
