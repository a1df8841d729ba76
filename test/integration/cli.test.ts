import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'der-cli-'));
// Not the test runner's own IPC channel variables: a CLI started with them would think it has a parent channel.
const { NODE_CHANNEL_FD: _fd, NODE_CHANNEL_SERIALIZATION_MODE: _mode, ...inherited } = process.env;
const env = { ...inherited, DER_DB: join(dir, 'runs.db') };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function der(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await exec('node', ['--import', 'tsx', 'src-main/cli/der.ts', ...args], { env, maxBuffer: 64 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('der CLI', () => {
  it('run selftest --set steps=50 --json exits 0; list --json shows it done with 50 steps of metrics', async () => {
    const r = await der('run', 'selftest', '--set', 'steps=50', '--set', 'delayMs=0', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ status: 'done', summary: { steps: 50 } });
    const list = JSON.parse((await der('list', '--json')).stdout);
    const run = list.find((x: { id: string }) => x.id === out.id);
    expect(run.status).toBe('done');
    expect(run.metricRows).toEqual({ accuracy: 50, loss: 50, lr: 50 });
    const show = await der('show', out.id.slice(0, 10));
    expect(show.stdout).toMatch(/metric loss: 50 rows/);
    const svg = join(dir, 'loss.svg');
    expect((await der('figure', out.id, '--metric', 'loss', '--out', svg)).code).toBe(0);
    const text = (await import('node:fs')).readFileSync(svg, 'utf8');
    expect(text).toMatch(/^<svg/);
    expect(text).toMatch(/<path/);
  });

  it('a bad --set value exits 2 naming the field', async () => {
    const r = await der('run', 'selftest', '--set', 'steps=lots');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/steps/);
  });

  it('unknown kinds, presets and flags exit 2', async () => {
    expect((await der('run', 'nope')).code).toBe(2);
    expect((await der('run', 'selftest', '--preset', 'nope')).code).toBe(2);
    expect((await der('list', '--bogus')).code).toBe(2);
  });

  it('run sweep waits for its children and prints their table', async () => {
    const r = await der('run', 'sweep', '--preset', 'Selftest grid', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'done', summary: { done: 3, total: 3 } });
  });

  it('a failed run exits 1 with its error', async () => {
    const r = await der('run', 'selftest', '--preset', 'fail', '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'failed', error: expect.stringMatching(/step 10/) });
  });

  it('--config file and export/import round-trip', async () => {
    const cfg = join(dir, 'c.json');
    writeFileSync(cfg, JSON.stringify({ steps: 7, delayMs: 0 }));
    const r = JSON.parse((await der('run', 'selftest', '--config', cfg, '--json')).stdout);
    expect(r.summary.steps).toBe(7);
    const file = join(dir, 'export.json');
    expect((await der('export', r.id, '--out', file)).code).toBe(0);
    const env2 = { ...env, DER_DB: join(dir, 'other.db') };
    const imp = await exec('node', ['--import', 'tsx', 'src-main/cli/der.ts', 'import', file, '--json'], { env: env2 });
    expect(JSON.parse(imp.stdout)).toEqual({ imported: [r.id], skipped: [] });
    const again = await der('import', file, '--db', join(dir, 'other.db'));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(new RegExp(`${r.id} already exists in the store; nothing was imported`));
    expect(again.stderr).not.toMatch(/\n\s+at /);
    const folder = await der('import', dir + '/no-such-folder-here');
    expect(folder.code).toBe(2);
    const emptyDir = join(dir, 'empty');
    (await import('node:fs')).mkdirSync(emptyDir, { recursive: true });
    const dirImport = await der('import', emptyDir);
    expect(dirImport.code).toBe(2);
    expect(dirImport.stderr).toMatch(/neither TensorBoard event files/);
    expect(dirImport.stderr).not.toMatch(/\n\s+at /);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"format":"der-run-v1","run":{}}');
    const badImport = await der('import', bad);
    expect(badImport.code).toBe(2);
    expect(badImport.stderr).toMatch(/not a DER Workbench export/);
  });

  it('hull prints 0-based data rows of the input, CCW from the lowest point, and refuses bad rows with the line', async () => {
    const file = join(dir, 'square.csv');
    writeFileSync(file, 'x,y\n0.5,0.5\n1,1\n0,0\n1,0\n0,1\n0.5,0\n');
    const r = await der('hull', file, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.hull).toEqual([2, 3, 1, 4]);
    expect(out.ms).toBeGreaterThanOrEqual(0);
    for (const algorithm of ['monotone', 'quickhull', 'chan', 'akl-toussaint', 'heuristic-sort']) {
      expect(JSON.parse((await der('hull', file, '--algorithm', algorithm, '--json')).stdout).hull).toEqual([2, 3, 1, 4]);
    }
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'x,y\n0,0\n1,NaN\n2,2\n');
    const refused = await der('hull', bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/line 3/);
    const tri = JSON.parse((await der('delaunay', '--dataset', 'uniform-square', '--n', '100', '--json')).stdout);
    expect(tri.triangles).toBeGreaterThan(150);
  });

  it('entropy with fixed anchors / planes equals a direct evaluation of Eqs. 2–3 and 4–6', async () => {
    const pts = [[0, 0], [1, 0], [0, 1], [1, 1], [0.5, 0.5], [0.2, 0.7], [0.9, 0.1], [0.4, 0.3]];
    const anchors = [[0.1, 0.2], [0.8, 0.9], [0.5, 0.1]];
    const planes = [[1, 0, 0.5], [0, 1, 0.45], [0.7, -0.7, 0.05]];
    const file = join(dir, 'pts.csv');
    writeFileSync(file, 'x,y\n' + pts.map((p) => p.join(',')).join('\n'));
    writeFileSync(join(dir, 'anchors.csv'), anchors.map((p) => p.join(',')).join('\n'));
    writeFileSync(join(dir, 'planes.csv'), planes.map((p) => p.join(',')).join('\n'));
    const alpha = 3;
    const tau = 0.2;
    const entropy = (q: number[]): number => -q.reduce((s, v) => s + (v > 0 ? v * Math.log(v) : 0), 0);
    // Eqs. 2–3, written out.
    const pj = anchors.map(() => 0);
    for (const [x, y] of pts) {
      const e = anchors.map(([cx, cy]) => Math.exp(-alpha * ((x - cx) ** 2 + (y - cy) ** 2)));
      const z = e.reduce((a, b) => a + b, 0);
      e.forEach((v, j) => (pj[j] += v / z / pts.length));
    }
    // Eqs. 4–6, written out over all 2^m sign patterns.
    const sig = (u: number): number => 1 / (1 + Math.exp(-u));
    const qj = new Array(2 ** planes.length).fill(0);
    for (const [x, y] of pts) {
      const h = planes.map(([w1, w2, b]) => sig((w1 * x + w2 * y - b) / tau));
      for (let j = 0; j < qj.length; j++) qj[j] += h.reduce((g, ht, t) => g * ((j >> t) & 1 ? ht : 1 - ht), 1) / pts.length;
    }
    const d = JSON.parse((await der('entropy', file, '--anchors', join(dir, 'anchors.csv'), '--alpha', String(alpha), '--structural', '--json')).stdout);
    expect(Math.abs(d.hdiff_nats - entropy(pj)) / entropy(pj)).toBeLessThan(1e-5);
    expect(d.structural_bound).toMatch(/upper bound/);
    expect(d.h).toBe(4);
    const s = JSON.parse((await der('entropy', file, '--surrogate', 'hsoft', '--planes', join(dir, 'planes.csv'), '--tau', String(tau), '--json')).stdout);
    expect(Math.abs(s.hsoft_nats - entropy(qj)) / entropy(qj)).toBeLessThan(1e-5);
    expect((await der('entropy', file, '--surrogate', 'balls')).code).toBe(2);
  });

  it('a killed CLI takes its worker with it (no orphaned computation)', async () => {
    const { spawn, execFileSync } = await import('node:child_process');
    const cli = spawn('node', ['--import', 'tsx', 'src-main/cli/der.ts', 'run', 'selftest', '--set', 'steps=1000000', '--set', 'delayMs=5'], { env, stdio: 'ignore' });
    const workers = (): string[] =>
      execFileSync('ps', ['-eo', 'pid,ppid,args'], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => l.includes('src-worker/entry.ts') && l.trim().split(/\s+/)[1] === String(cli.pid));
    const t0 = Date.now();
    while (workers().length === 0 && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 100));
    const pid = workers()[0]?.trim().split(/\s+/)[0];
    expect(pid).toBeDefined();
    cli.kill('SIGKILL');
    // Gone, or a zombie waiting for a reaper (PID 1 in a container may never reap it): either way not running.
    const alive = (): boolean => {
      try {
        return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    const t1 = Date.now();
    while (alive() && Date.now() - t1 < 5000) await new Promise((r) => setTimeout(r, 50));
    expect(alive()).toBe(false);
  });

  it('der cancel from another process ends a run a running `der run` owns, and that run exits 1 cancelled', async () => {
    const { spawn } = await import('node:child_process');
    const cli = spawn('node', ['--import', 'tsx', 'src-main/cli/der.ts', 'run', 'selftest', '--set', 'steps=1000000', '--set', 'delayMs=5', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    cli.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => cli.on('exit', (code) => r(code)));
    let id: string | undefined;
    const t0 = Date.now();
    while (!id && Date.now() - t0 < 30_000) {
      const list = JSON.parse((await der('list', '--json')).stdout) as Array<{ id: string; status: string; metricRows: Record<string, number> }>;
      id = list.find((r) => r.status === 'running' && (r.metricRows.loss ?? 0) > 0)?.id;
      if (!id) await new Promise((r) => setTimeout(r, 200));
    }
    expect(id).toBeDefined();
    const c = await der('cancel', id!);
    expect(c.stdout).toContain(`cancelled ${id}`);
    expect(c.code).toBe(0);
    expect(await exited).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ id, status: 'cancelled' });
    expect((await der('cancel', id!)).code).toBe(1); // nothing to cancel any more: a conflict, not a usage error
  });

  it('--help works everywhere', async () => {
    for (const c of ['run', 'list', 'show', 'export', 'import', 'serve', 'hull', 'delaunay', 'entropy']) {
      const r = await der(c, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: der/);
    }
  });
});
