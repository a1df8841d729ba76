/**
 * Cluster agents through BullMQ on a real redis-server (started here on a free loopback port): two `der agent`
 * processes and a workbench. A sweep splits across both agents with every metric row stored; an agent killed
 * with SIGKILL leaves a crashed run (rows kept) and a retry as a new linked run; a main process killed mid-sweep
 * and restarted loses no acknowledged row and stores none twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { JsonObject, Run } from '../../src-main/api/contract';
import { sha256, splitChunks } from '../../src-main/cluster/artifact-chunks';
import { ARTIFACT_CHUNK_BYTES, KEY_PREFIX, encodeEntry, eventStreamKey, queueName, type StreamEvent } from '../../src-main/cluster/protocol';
import { RunStore } from '../../src-main/store/run-store';
import { redisServerPath, startAgent as spawnAgent, startDer as start, startRedis, stopProc as stop, waitForOutput as waitFor, type Proc } from './cluster-helpers';
import { tempWorkbench, until, type TempWorkbench } from './helpers';

const LOCK_MS = 2000;

async function untilAsync<T>(f: () => Promise<T | null | false>, timeoutMs: number, what: string): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const agentLabel = (r: Run): string | undefined => ((r.host?.agent as JsonObject | undefined)?.label as string | undefined) ?? undefined;

describe.skipIf(!redisServerPath)('cluster agents through BullMQ on Redis', () => {
  let redis: { url: string; stop(): void } | undefined;
  let url = '';
  const agents: Proc[] = [];

  async function startAgent(label: string): Promise<Proc> {
    const a = await spawnAgent(url, label, LOCK_MS);
    agents.push(a);
    return a;
  }

  beforeAll(async () => {
    redis = await startRedis();
    url = redis.url;
    await Promise.all([startAgent('agent-a'), startAgent('agent-b')]);
  });

  afterAll(async () => {
    await Promise.all(agents.map((a) => stop(a)));
    redis?.stop();
  });

  it('runs a sweep of 8 children split across both agents, every metric row stored', async () => {
    const wb: TempWorkbench = tempWorkbench({ redis: url });
    try {
      const steps = 15;
      const parent = await wb.service.startRun('sweep', { kind: 'selftest', base: { steps, delayMs: 10 }, grid: { seed: [1, 2, 3, 4, 5, 6, 7, 8] } }, 'split');
      const ended = await until(() => {
        const p = wb.store.runs.get(parent.id);
        return p && p.status !== 'running' ? p : null;
      }, 90_000, 'the sweep');
      expect(ended.status).toBe('done');
      const children = wb.store.runs.list({ parentId: parent.id });
      expect(children).toHaveLength(8);
      for (const c of children) {
        expect(c.status).toBe('done');
        expect(c.host?.remote).toBeTruthy();
        for (const s of wb.store.metrics.listSeries(c.id)) expect([s.key, s.count]).toEqual([s.key, steps]);
        expect(wb.store.metrics.listSeries(c.id).map((s) => s.key).sort()).toEqual(['accuracy', 'loss', 'lr']);
        expect(wb.store.artifacts.list(c.id).map((a) => a.name)).toContain('report.json');
      }
      expect(new Set(children.map(agentLabel))).toEqual(new Set(['agent-a', 'agent-b']));
    } finally {
      await wb.dispose();
    }
  });

  it('cancel reaches the agent that runs the job; an agent refuses a job whose config its schema rejects', async () => {
    const wb: TempWorkbench = tempWorkbench({ redis: url });
    const queue = new Queue(queueName('selftest'), { connection: { url }, prefix: KEY_PREFIX });
    const client = new Redis(url);
    try {
      const run = await wb.service.startRun('selftest', { steps: 2000, delayMs: 20 }, 'to cancel');
      await until(() => {
        const r = wb.store.runs.get(run.id);
        return r && agentLabel(r) && (wb.store.metrics.listSeries(run.id)[0]?.count ?? 0) > 3;
      }, 60_000, 'the run to start on an agent');
      await wb.service.cancelRun(run.id);
      const ended = await until(() => {
        const r = wb.store.runs.get(run.id);
        return r && r.status !== 'running' ? r : null;
      }, 30_000, 'the cancel');
      expect(ended.status).toBe('cancelled');
      expect(wb.store.metrics.listSeries(run.id)[0].count).toBeLessThan(2000);

      // A job put on the queue by something other than a workbench: the agent validates it with the kind's schema.
      await queue.add('run', { protocol: 1, runId: 'forged-job-1', kind: 'selftest', config: { steps: -5 }, seed: 1, inputs: [] }, { jobId: 'forged-job-1', removeOnComplete: true });
      const exit = await untilAsync(async () => {
        const entries = await client.xrange(eventStreamKey('forged-job-1'), '-', '+');
        const e = entries.map(([, f]) => JSON.parse(f[f.indexOf('e') + 1]) as { type: string; terminal?: { message: string } }).find((x) => x.type === 'exit');
        return e ?? null;
      }, 30_000, 'the forged job to be refused');
      expect(exit.terminal?.message).toMatch(/invalid config: steps/);
    } finally {
      await client.del(eventStreamKey('forged-job-1'));
      client.disconnect();
      await queue.close();
      await wb.dispose();
    }
  });

  it('main reassembles chunked artifacts, checks their sha256, and stores a re-delivered event once', async () => {
    const wb: TempWorkbench = tempWorkbench({ redis: url });
    const client = new Redis(url);
    try {
      // A kind no agent here serves: the job waits, and this test plays the agent on the run's stream.
      const run = await wb.service.startRun('entropy-validation', {}, 'forged stream');
      const key = eventStreamKey(run.id);
      await until(() => wb.store.runs.get(run.id)?.host?.remote, 10_000, 'the run to be queued on Redis');
      await untilAsync(async () => (await client.exists(key)) === 1, 10_000, 'the consumer group');
      const big = Buffer.alloc(ARTIFACT_CHUNK_BYTES * 2 + 1000, 7);
      big.write('checkpoint', 0);
      const chunks = splitChunks(big);
      let n = 0;
      const add = (e: StreamEvent, at = n++): Promise<unknown> => client.xadd(key, '*', ...encodeEntry(at, e));
      await add({ type: 'metrics', seq: 0, rows: [{ step: 0, key: 'x', value: 1 }, { step: 1, key: 'x', value: 2 }] });
      await add({ type: 'metrics', seq: 0, rows: [{ step: 0, key: 'x', value: 1 }, { step: 1, key: 'x', value: 2 }] }, 0);
      for (const [i, c] of chunks.entries()) await add({ type: 'chunk', name: 'model.bin', index: i, base64: Buffer.from(c).toString('base64') });
      await add({ type: 'artifact-end', name: 'model.bin', mime: 'application/octet-stream', meta: {}, bytes: big.byteLength, chunks: chunks.length, sha256: sha256(big) });
      await add({ type: 'chunk', name: 'bad.bin', index: 0, base64: Buffer.from('tampered').toString('base64') });
      await add({ type: 'artifact-end', name: 'bad.bin', mime: 'application/octet-stream', meta: {}, bytes: 8, chunks: 1, sha256: sha256(Buffer.from('original')) });
      await add({ type: 'log', seq: 3, level: 'info', text: 'forged log line' });
      await add({ type: 'log', seq: 3, level: 'info', text: 'forged log line' }, n - 1);
      await add({ type: 'exit', code: 0, signal: null, terminal: { kind: 'done', summary: {} }, cancelled: false });
      const ended = await until(() => {
        const r = wb.store.runs.get(run.id);
        return r && r.status !== 'queued' && r.status !== 'running' ? r : null;
      }, 20_000, 'the forged run to end');
      expect(ended.status).toBe('done');
      expect(wb.store.artifacts.get(run.id, 'model.bin')?.bytes.equals(big)).toBe(true);
      expect(wb.store.artifacts.get(run.id, 'bad.bin')).toBeNull();
      expect(wb.store.metrics.listSeries(run.id)).toMatchObject([{ key: 'x', count: 2 }]);
      const logs = wb.store.db.prepare('SELECT text FROM run_logs WHERE run_id = ?').all(run.id) as Array<{ text: string }>;
      expect(logs.filter((l) => l.text === 'forged log line')).toHaveLength(1);
      expect(logs.some((l) => /bad\.bin not stored: sha256/.test(l.text))).toBe(true);
      // Everything acknowledged and the stream removed once the run ended.
      await untilAsync(async () => (await client.exists(key)) === 0, 10_000, 'the stream to be removed');
    } finally {
      const queue = new Queue(queueName('entropy-validation'), { connection: { url }, prefix: KEY_PREFIX });
      await queue.obliterate({ force: true });
      await queue.close();
      client.disconnect();
      await wb.dispose();
    }
  });

  it('a main process killed mid-sweep and restarted loses no acknowledged row and stores none twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'der-cluster-'));
    const db = join(dir, 'runs.db');
    let serve: Proc | undefined;
    const call = async (base: string, method: string, args: unknown[]): Promise<unknown> => {
      const res = await fetch(`${base}/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(args) });
      const body = (await res.json()) as unknown;
      if (!res.ok) throw new Error(JSON.stringify(body));
      return body;
    };
    try {
      const steps = 40;
      serve = start(['serve', '--db', db, '--port', '0', '--redis', url]);
      let base = (await waitFor(serve, /at (http:\/\/127\.0\.0\.1:\d+)/, 'der serve'))[1];
      const parent = (await call(base, 'startRun', ['sweep', { kind: 'selftest', base: { steps, delayMs: 20 }, grid: { seed: [1, 2, 3, 4] } }, 'restart'])) as Run;
      await untilAsync(
        async () => ((await call(base, 'listRuns', [{ parentId: parent.id }])) as Run[]).some((c) => c.status === 'done'),
        60_000,
        'a first child to end',
      );
      const before = (await call(base, 'listRuns', [{ parentId: parent.id }])) as Run[];
      serve.child.kill('SIGKILL');
      await serve.exited;
      expect(before.filter((c) => c.status !== 'done').length).toBeGreaterThan(0);
      // Agents keep working while no main reads their streams.
      await new Promise((r) => setTimeout(r, 1500));
      serve = start(['serve', '--db', db, '--port', '0', '--redis', url]);
      base = (await waitFor(serve, /at (http:\/\/127\.0\.0\.1:\d+)/, 'der serve (restarted)'))[1];
      const ended = await untilAsync(
        async () => {
          const p = (await call(base, 'getRun', [parent.id])) as Run;
          return p.status !== 'running' ? p : null;
        },
        90_000,
        'the sweep after the restart',
      );
      expect(ended.status).toBe('done');
      await stop(serve);
      const store = RunStore.open(db);
      try {
        const children = store.runs.list({ parentId: parent.id });
        expect(children).toHaveLength(4);
        for (const c of children) {
          expect(c.status).toBe('done');
          for (const s of store.metrics.listSeries(c.id)) expect([c.id, s.key, s.count]).toEqual([c.id, s.key, steps]);
          const rows = store.db.prepare('SELECT COUNT(*) AS n FROM metrics m JOIN series s ON s.id = m.series_id WHERE s.run_id = ?').get(c.id) as { n: number };
          expect(rows.n).toBe(3 * steps);
          // Logs have no natural key: a replayed event would show here as a second line.
          const logs = store.db.prepare("SELECT COUNT(*) AS n FROM run_logs WHERE run_id = ? AND text LIKE 'selftest:%'").get(c.id) as { n: number };
          expect(logs.n).toBe(1);
        }
      } finally {
        store.close();
      }
    } finally {
      await stop(serve);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an agent killed mid-run leaves a crashed run with its rows, and the sweep retries it as a new linked run', async () => {
    const wb: TempWorkbench = tempWorkbench({ redis: url });
    // Last in the file: it leaves one agent.
    let victim: Proc | undefined;
    try {
      const parent = await wb.service.startRun('sweep', { kind: 'selftest', base: { steps: 100, delayMs: 20 }, grid: { seed: [1, 2] }, retries: 1 }, 'kill');
      // Both children running, one on each agent, with rows stored.
      const onA = await until(() => {
        const running = wb.store.runs.list({ parentId: parent.id }).filter((c) => c.status === 'running' && agentLabel(c));
        const a = running.find((c) => agentLabel(c) === 'agent-a');
        return a && (wb.store.metrics.listSeries(a.id)[0]?.count ?? 0) > 5 ? a : null;
      }, 60_000, 'a child running on agent-a');
      victim = agents.find((p) => p.output().includes('der agent agent-a'));
      victim!.child.kill('SIGKILL');
      await victim!.exited;
      const crashed = await until(() => {
        const r = wb.store.runs.get(onA.id);
        return r && r.status !== 'running' ? r : null;
      }, 60_000, 'the crash to be noticed');
      expect(crashed.status).toBe('crashed');
      expect(crashed.error).toMatch(/agent agent-a lost the run/);
      const kept = wb.store.metrics.listSeries(crashed.id).find((s) => s.key === 'loss')!.count;
      expect(kept).toBeGreaterThan(5);
      expect(kept).toBeLessThan(100);
      const ended = await until(() => {
        const p = wb.store.runs.get(parent.id);
        return p && p.status !== 'running' ? p : null;
      }, 90_000, 'the sweep');
      expect(ended.status).toBe('done');
      const children = wb.store.runs.list({ parentId: parent.id });
      expect(children).toHaveLength(3);
      const retry = wb.store.db.prepare('SELECT id FROM runs WHERE retry_of = ?').get(crashed.id) as { id: string } | undefined;
      expect(retry).toBeTruthy();
      const r = wb.store.runs.get(retry!.id)!;
      expect(r.status).toBe('done');
      expect(agentLabel(r)).toBe('agent-b');
      expect(wb.store.metrics.listSeries(r.id).find((s) => s.key === 'loss')!.count).toBe(100);
      // The crashed run is untouched by the retry: same rows as when it crashed.
      expect(wb.store.metrics.listSeries(crashed.id).find((s) => s.key === 'loss')!.count).toBe(kept);
      const table = (ended.summary as { children: Array<{ runId: string; status: string }> }).children;
      expect(table.map((t) => t.runId)).toContain(r.id);
      expect(table.every((t) => t.status === 'done')).toBe(true);
    } finally {
      await wb.dispose();
      if (victim) agents.splice(agents.indexOf(victim), 1);
    }
  });
});
