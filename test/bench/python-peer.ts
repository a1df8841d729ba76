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

/**
 * The first python3 that imports `module`: the one on PATH, then Debian's (`apt-get install python3-torch`
 * installs torch for /usr/bin/python3 only). Says why when there is none.
 */
export function pythonWith(module: string): { python: string } | { skipped: string } {
  const tried: string[] = [];
  for (const py of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(py, ['-c', `import ${module}`], { encoding: 'utf8' });
    if (!probe.error && probe.status === 0) return { python: py };
    tried.push(`${py}: ${probe.error ? probe.error.message : probe.stderr.trim().split('\n').at(-1)}`);
  }
  return { skipped: `no python3 imports ${module} (${tried.join('; ')})` };
}
