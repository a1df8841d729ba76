/**
 * Cluster faults with a real redis-server (started here on a free loopback port, append-only with fsync on
 * every write, so its queue and streams survive a restart):
 * - Redis restarted while an agent runs a workbench's job: agent and main reconnect by themselves, the runs end
 *   done, and every metric row is stored once;
 * - Redis that stays down: the agent exits after its bounded retry with a clear message; main does not hang,
 *   and once Redis is back it ends the run crashed with what it received;
 * - SIGTERM drains an agent: its run finishes, the queued one waits for another agent;
 * - `der cancel` of a sweep on agents whose workbench was killed, from a process without --redis: it reaches the
 *   agent through the Redis the runs record (no password stored: the password comes from DER_REDIS), stops the
 *   running child, removes the waiting one, keeps every row, and exits 3 changing nothing while Redis cannot be
 *   reached.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import type { JsonObject, Run } from '../../src-main/api/contract';
import { KEY_PREFIX, queueName } from '../../src-main/cluster/protocol';
import { projectRoot } from '../../src-main/paths';
import { RunStore } from '../../src-main/store/run-store';
import { openWorkbench } from '../../src-main/workbench';
import { freePort, redisServerPath, startAgent, startDer, startRedis, stopProc, waitForOutput, type Proc, type RedisServer } from './cluster-helpers';
import { tempWorkbench, until, type TempWorkbench } from './helpers';

const agentLabel = (r: Run | null | undefined): unknown => (r?.host?.agent as JsonObject | undefined)?.label;

function rowCount(store: RunStore, runId: string): number {
  return (store.db.prepare('SELECT COUNT(*) AS n FROM metrics m JOIN series s ON s.id = m.series_id WHERE s.run_id = ?').get(runId) as { n: number }).n;
}

/** `der <args>` to completion, with an environment that has no DER_REDIS unless given. */
function runDer(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const base = { ...process.env };
  delete base.DER_REDIS;
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot(), 'src-main', 'cli', 'der.ts'), ...args], {
    cwd: projectRoot(),
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe.skipIf(!redisServerPath)('cluster faults: Redis restarts and outages, cancel without the workbench', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  async function persistentRedis(options: { requirepass?: string } = {}): Promise<RedisServer> {
    const dir = mkdtempSync(join(tmpdir(), 'der-redis-'));
    const redis = await startRedis({ persistDir: dir, ...options });
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    cleanup.push(() => redis.stop('SIGKILL'));
    return redis;
  }

  async function agent(url: string, label: string, extra: string[] = []): Promise<Proc> {
    const a = extra.length === 0 ? await startAgent(url, label, 30_000) : startDer(['agent', '--redis', url, '--label', label, '--kinds', 'selftest', ...extra]);
    if (extra.length > 0) await waitForOutput(a, new RegExp(`der agent ${label} `), `agent ${label}`);
    cleanup.push(() => stopProc(a));
    return a;
  }

  it('Redis restarted mid-run: agent and main reconnect, both runs end done, no row lost or stored twice', async () => {
    const redis = await persistentRedis();
    const a = await agent(redis.url, 'restart-agent');
    const wb: TempWorkbench = tempWorkbench({ redis: redis.url });
    cleanup.push(() => wb.dispose());
    const steps = 150;
    // One agent running one child at a time: the second child waits in the queue across the restart.
    const parent = await wb.service.startRun('sweep', { kind: 'selftest', base: { steps, delayMs: 20 }, grid: { seed: [1, 2] } }, 'restart');
    const first = await until(() => wb.store.runs.list({ parentId: parent.id }).find((c) => c.status === 'running' && agentLabel(c) && rowCount(wb.store, c.id) > 15), 60_000, 'a child running with rows stored');
    await redis.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    await redis.restart();
    expect(rowCount(wb.store, first.id)).toBeLessThan(3 * steps);

    const ended = await until(() => {
      const p = wb.store.runs.get(parent.id);
      return p && p.status !== 'running' ? p : null;
    }, 60_000, 'the sweep after the restart');
    expect(ended.status).toBe('done');
    expect(a.child.exitCode).toBeNull();
    expect(a.output()).toMatch(/der agent restart-agent: connected to Redis again/);
    const children = wb.store.runs.list({ parentId: parent.id });
    expect(children.map((c) => [c.status, agentLabel(c)])).toEqual([
      ['done', 'restart-agent'],
      ['done', 'restart-agent'],
    ]);
    for (const c of children) {
      for (const s of wb.store.metrics.listSeries(c.id)) expect([c.id, s.key, s.count, s.maxStep]).toEqual([c.id, s.key, steps, steps - 1]);
      expect(rowCount(wb.store, c.id)).toBe(3 * steps);
      const logs = wb.store.db.prepare("SELECT COUNT(*) AS n FROM run_logs WHERE run_id = ? AND text LIKE 'selftest:%'").get(c.id) as { n: number };
      expect(logs.n).toBe(1);
    }
  }, 120_000);

  it('Redis that stays down: the agent exits after its bounded retry, main keeps serving and ends the run crashed once Redis is back', async () => {
    const redis = await persistentRedis();
    const a = await agent(redis.url, 'cut-off', ['--give-up-ms', '1500', '--lock-ms', '4000']);
    const wb: TempWorkbench = tempWorkbench({ redis: redis.url });
    cleanup.push(() => wb.dispose());
    const run = await wb.service.startRun('selftest', { steps: 3000, delayMs: 20 }, 'outage');
    await until(() => agentLabel(wb.store.runs.get(run.id)) && rowCount(wb.store, run.id) > 15, 60_000, 'the run to stream rows');
    await redis.stop('SIGTERM');
    const before = rowCount(wb.store, run.id);

    expect(await a.exited).toBe(3);
    expect(a.output()).toMatch(/der agent cut-off: lost the connection to Redis and gave up reconnecting; stopping 1 run/);
    // Main answers while Redis is away: the run is still its own, as it cannot know the agent's fate yet.
    expect((await wb.service.getRun(run.id)).status).toBe('running');
    expect(rowCount(wb.store, run.id)).toBe(before);

    await redis.restart();
    const ended = await until(() => {
      const r = wb.store.runs.get(run.id);
      return r && r.status !== 'running' ? r : null;
    }, 45_000, 'main to end the run of the agent that gave up');
    expect(ended.status).toBe('crashed');
    expect(ended.error).toMatch(/agent cut-off lost the run/);
    const kept = rowCount(wb.store, run.id);
    expect(kept).toBeGreaterThanOrEqual(before);
    expect(kept).toBeLessThan(3 * 3000);
  }, 120_000);

  it('SIGTERM drains an agent: its running run finishes done, the queued one is left for another agent', async () => {
    const redis = await persistentRedis();
    const first = await agent(redis.url, 'drained');
    const wb: TempWorkbench = tempWorkbench({ redis: redis.url });
    cleanup.push(() => wb.dispose());
    const steps = 100;
    const parent = await wb.service.startRun('sweep', { kind: 'selftest', base: { steps, delayMs: 20 }, grid: { seed: [1, 2] } }, 'drain');
    const running = await until(() => wb.store.runs.list({ parentId: parent.id }).find((c) => agentLabel(c) && rowCount(wb.store, c.id) > 15), 60_000, 'a child running with rows stored');
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/der agent drained: draining \(1 running\)/);
    const ran = await until(() => {
      const r = wb.store.runs.get(running.id);
      return r && r.status !== 'running' ? r : null;
    }, 20_000, 'the drained run to be recorded');
    expect([ran.status, rowCount(wb.store, ran.id)]).toEqual(['done', 3 * steps]);
    const other = wb.store.runs.list({ parentId: parent.id }).find((c) => c.id !== running.id)!;
    expect(other.status).toBe('queued');

    await agent(redis.url, 'successor');
    const ended = await until(() => {
      const p = wb.store.runs.get(parent.id);
      return p && p.status !== 'running' ? p : null;
    }, 60_000, 'the sweep on the second agent');
    expect(ended.status).toBe('done');
    const taken = wb.store.runs.get(other.id)!;
    expect([taken.status, agentLabel(taken), rowCount(wb.store, taken.id)]).toEqual(['done', 'successor', 3 * steps]);
  }, 120_000);

  it('der cancel without --redis reaches the agent of a sweep whose workbench was killed, through the Redis its runs record', async () => {
    const password = 'pw-Zq81';
    const redis = await persistentRedis({ requirepass: password });
    const bare = `redis://127.0.0.1:${redis.port}`;
    // Long lock and patience: the agent outlives the Redis outage below on a loaded machine.
    await agent(redis.url, 'cancel-agent', ['--lock-ms', '60000', '--give-up-ms', '120000']);
    const dir = mkdtempSync(join(tmpdir(), 'der-cancel-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const db = join(dir, 'runs.db');
    const serve = startDer(['serve', '--db', db, '--port', '0', '--redis', redis.url]);
    cleanup.push(() => stopProc(serve));
    const base = (await waitForOutput(serve, /at (http:\/\/127\.0\.0\.1:\d+)/, 'der serve'))[1];
    // One agent, one run at a time: one child runs, the other waits in the queue.
    const body = JSON.stringify(['sweep', { kind: 'selftest', base: { steps: 5000, delayMs: 20 }, grid: { seed: [1, 2] } }, 'cancel me']);
    const parent = (await (await fetch(`${base}/api/startRun`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json()) as Run;
    const store = RunStore.open(db, { readonly: true });
    cleanup.push(() => store.close());
    const running = await until(() => store.runs.list({ parentId: parent.id }).find((c) => agentLabel(c) && rowCount(store, c.id) > 15), 60_000, 'a child to stream rows');
    serve.child.kill('SIGKILL');
    await serve.exited;
    const waiting = store.runs.list({ parentId: parent.id }).find((c) => c.id !== running.id)!;
    expect(waiting.status).toBe('queued');

    const recorded = store.runs.get(running.id)!;
    expect(recorded.host?.remote).toEqual({ redis: bare, queue: queueName('selftest') });
    expect(JSON.stringify(store.runs.list({ parentId: parent.id }))).not.toContain(password);
    const workerPid = (recorded.host?.agent as JsonObject).workerPid as number;

    // A process without Redis leaves the runs alone: the agent still works, and a workbench with that Redis can end them.
    const plain = openWorkbench({ dbPath: db });
    await plain.close();
    expect([parent, running, waiting].map((r) => store.runs.get(r.id)!.status)).toEqual(['running', 'running', 'queued']);

    // No password: the Redis answers NOAUTH, and nothing changes.
    const noAuth = await runDer(['cancel', parent.id, '--db', db]);
    expect([noAuth.code, noAuth.stderr]).toEqual([3, expect.stringMatching(new RegExp(`cannot reach Redis at ${bare}, where run ${parent.id} was queued: .*NOAUTH.*Nothing was changed`))]);
    // Redis down: the same, with the reason and the way out.
    await redis.stop('SIGTERM');
    const down = await runDer(['cancel', parent.id, '--db', db], { DER_REDIS: redis.url });
    expect([down.code, down.stderr]).toEqual([3, expect.stringMatching(/cannot reach Redis at .*ECONNREFUSED.*Nothing was changed.*der cancel --forget/)]);
    expect(down.stderr).not.toContain(password);
    expect([parent, running, waiting].map((r) => store.runs.get(r.id)!.status)).toEqual(['running', 'running', 'queued']);
    await redis.restart();

    const seenBefore = rowCount(store, running.id);
    const ok = await runDer(['cancel', parent.id.slice(0, 10), '--db', db], { DER_REDIS: redis.url });
    expect([ok.code, ok.stdout.trim()]).toEqual([0, `cancelled ${parent.id}`]);
    expect([parent, running, waiting].map((r) => store.runs.get(r.id)!.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    // Everything the agent sent, also while no workbench read its stream, is stored.
    const kept = rowCount(store, running.id);
    expect(kept).toBeGreaterThan(seenBefore);
    expect(kept).toBeLessThan(3 * 5000);
    for (const s of store.metrics.listSeries(running.id)) expect([s.key, s.count]).toEqual([s.key, (s.maxStep ?? -1) + 1]);
    expect(rowCount(store, waiting.id)).toBe(0);
    // The agent stopped the job: its worker process is gone, and nothing is active or waiting on the queue.
    expect(() => process.kill(workerPid, 0)).toThrow();
    const queue = new Queue(queueName('selftest'), { connection: { url: redis.url }, prefix: KEY_PREFIX });
    try {
      expect(await queue.getJobCounts('active', 'waiting', 'delayed')).toEqual({ active: 0, waiting: 0, delayed: 0 });
    } finally {
      await queue.close();
    }
  }, 150_000);

  it('der cancel --forget ends a run whose Redis is gone for good as crashed, keeping its rows, even with DER_REDIS set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'der-forget-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const db = join(dir, 'runs.db');
    const gone = `redis://127.0.0.1:${await freePort()}`;
    const store = RunStore.open(db);
    cleanup.push(() => store.close());
    // A run queued on agents by a workbench process that has ended (pid 2^22 + 1 is beyond Linux's pid range).
    const run = store.runs.create({ id: 'forget-me-1', kind: 'selftest', name: 'orphan on agents', config: { steps: 100 }, seed: 1, host: { hostname: hostname(), mainPid: 4_194_305, remote: { redis: gone, queue: queueName('selftest') } } });
    store.runs.markRunning(run.id, { ...run.host!, agent: { label: 'far-away' } });
    store.metrics.append(run.id, [{ step: 0, key: 'loss', value: 1 }, { step: 1, key: 'loss', value: 0.5 }]);

    const refused = await runDer(['cancel', run.id, '--db', db], { DER_REDIS: gone });
    expect([refused.code, refused.stderr]).toEqual([3, expect.stringMatching(/cannot reach Redis at .*ECONNREFUSED/)]);
    expect(store.runs.get(run.id)!.status).toBe('running');
    const forgot = await runDer(['cancel', run.id, '--forget', '--db', db], { DER_REDIS: gone });
    expect([forgot.code, forgot.stdout.trim()]).toEqual([0, `ended crashed ${run.id}`]);
    expect(rowCount(store, run.id)).toBe(2);
  }, 60_000);
});
