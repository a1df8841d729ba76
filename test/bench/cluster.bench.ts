/**
 * Cluster agents through BullMQ on a local redis-server: the same 8-child selftest sweep on one agent and on two
 * (wall time, ratio), and one metric-heavy selftest run recorded through Redis (agent → stream → main) against
 * the local path (worker → IPC → main), in metric rows and events per second into the store.
 * The agents run on this machine: the ratio shows the scheduling and streaming overhead, not more CPUs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RemoteRunTable } from '../../src-main/cluster/remote-runs';
import { projectRoot } from '../../src-main/paths';
import { openWorkbench, type Workbench } from '../../src-main/workbench';
import type { BenchResult } from './types';

const SWEEP = { kind: 'selftest', base: { steps: 60, delayMs: 20 }, grid: { seed: [1, 2, 3, 4, 5, 6, 7, 8] } };
const HEAVY = { steps: 40_000, delayMs: 0 };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function startAgent(url: string, label: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot(), 'src-main', 'cli', 'der.ts'), 'agent', '--redis', url, '--label', label, '--kinds', 'selftest'], {
    cwd: projectRoot(),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes(`der agent ${label} `)) resolve(child);
    });
    child.once('exit', () => reject(new Error(`agent ${label} exited: ${err}`)));
  });
}

async function stopAgents(agents: ChildProcess[]): Promise<void> {
  await Promise.all(agents.map((a) => new Promise<void>((r) => (a.exitCode !== null ? r() : (a.once('exit', () => r()), a.kill('SIGTERM'))))));
}

async function until(f: () => boolean, timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (!f()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const ended = (wb: Workbench, id: string): boolean => {
  const s = wb.store.runs.get(id)?.status;
  return s !== undefined && s !== 'queued' && s !== 'running';
};

async function sweepSeconds(dir: string, url: string, tag: string): Promise<number> {
  const wb = openWorkbench({ dbPath: join(dir, `${tag}.db`), redis: url });
  try {
    const t0 = performance.now();
    const parent = await wb.service.startRun('sweep', SWEEP, tag);
    await until(() => ended(wb, parent.id), 600_000);
    return (performance.now() - t0) / 1000;
  } finally {
    await wb.close();
  }
}

async function heavyRun(dir: string, tag: string, url?: string): Promise<{ seconds: number; rows: number; events: number | null }> {
  const wb = openWorkbench({ dbPath: join(dir, `${tag}.db`), redis: url });
  try {
    const t0 = performance.now();
    const run = await wb.service.startRun('selftest', HEAVY, tag);
    await until(() => ended(wb, run.id), 600_000);
    const seconds = (performance.now() - t0) / 1000;
    const rows = wb.store.metrics.listSeries(run.id).reduce((a, s) => a + s.count, 0);
    const events = url ? new RemoteRunTable(wb.store).cursor(run.id) + 1 : null;
    return { seconds, rows, events };
  } finally {
    await wb.close();
  }
}

export default async function (): Promise<BenchResult> {
  const server = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  if (!server) return { name: 'cluster', rows: [{ case: 'cluster agents', status: 'skipped: redis-server is not installed (apt-get install redis-server)' }] };
  const port = await freePort();
  const redis = spawn(server, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'der-bench-cluster-'));
  const agents: ChildProcess[] = [];
  try {
    await new Promise((r) => setTimeout(r, 300));
    agents.push(await startAgent(url, 'bench-1'));
    const one = await sweepSeconds(dir, url, 'one');
    const remote = await heavyRun(dir, 'remote', url);
    agents.push(await startAgent(url, 'bench-2'));
    const two = await sweepSeconds(dir, url, 'two');
    await stopAgents(agents);
    const local = await heavyRun(dir, 'local');
    return {
      name: 'cluster',
      rows: [
        { case: '8-child selftest sweep (60 steps × 20 ms)', agents: 1, seconds: one, ratio: 1 },
        { case: '8-child selftest sweep (60 steps × 20 ms)', agents: 2, seconds: two, ratio: one / two },
        { case: `selftest ${HEAVY.steps} steps, 3 metrics: through Redis`, seconds: remote.seconds, rows: remote.rows, 'rows/s': remote.rows / remote.seconds, events: remote.events, 'events/s': remote.events === null ? null : remote.events / remote.seconds },
        { case: `selftest ${HEAVY.steps} steps, 3 metrics: local worker`, seconds: local.seconds, rows: local.rows, 'rows/s': local.rows / local.seconds, 'vs Redis': remote.seconds / local.seconds },
      ],
      notes: [
        'Agents run on this machine (same cores as main): the sweep ratio measures scheduling and streaming overhead, not added CPUs.',
        'Run times include the worker process start (tsx from source), as for every run.',
      ],
    };
  } finally {
    await stopAgents(agents);
    redis.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
