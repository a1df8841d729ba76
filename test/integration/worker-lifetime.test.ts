import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processRunning, startDer, waitUntil, workersOf } from './cli-process';

const dir = mkdtempSync(join(tmpdir(), 'der-life-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Delaunay triangulations of millions of points: one synchronous step of many seconds in the worker. The budget
 * is lifted so all 3 calls run in that step: with the default 2 s budget the case ended after its first call
 * (about 3 s since the triangulation got faster), and a cancel sent then was heard at once, so the "second
 * Ctrl-C" test sometimes saw the run end cancelled (exit 1) before its second signal.
 */
const LONG_SYNC_STEP = ['run', 'geometry-timing', '--set', 'task=delaunay', '--set', 'algorithms=["delaunator"]', '--set', 'datasets=["uniform-square"]',
  '--set', 'sizes=[6000000]', '--set', 'seeds=[1]', '--set', 'preprocessors=["raw"]', '--set', 'repeats=3', '--set', 'warmup=0', '--set', 'budgetMs=600000'];

function statusOf(dbPath: string): string | undefined {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare('SELECT status FROM runs ORDER BY created_at DESC LIMIT 1').get() as { status: string } | undefined)?.status;
  } finally {
    db.close();
  }
}

async function busyWorker(db: string, args = LONG_SYNC_STEP) {
  const der = startDer(db, args);
  let worker = 0;
  await waitUntil(() => ((worker = workersOf(der.child.pid!)[0] ?? 0), worker > 0), 30_000, 100);
  expect(worker).toBeGreaterThan(0);
  // Inside the synchronous step by now (it starts right after the worker's first messages).
  await new Promise((r) => setTimeout(r, 2500));
  expect(processRunning(worker)).toBe(true);
  return { der, worker };
}

describe('a worker busy in a long synchronous step', () => {
  it('is gone within 3 s of its CLI being SIGKILLed', async () => {
    const db = join(dir, 'kill9.db');
    const { der, worker } = await busyWorker(db);
    der.child.kill('SIGKILL');
    const ms = await waitUntil(() => !processRunning(worker), 3000);
    expect(ms).toBeGreaterThanOrEqual(0);
  });

  it('is killed after the grace period when its CLI gets SIGTERM, and the run ends cancelled', async () => {
    const db = join(dir, 'term.db');
    const { der, worker } = await busyWorker(db);
    der.child.kill('SIGTERM');
    const ended = await der.exited;
    expect(ended.code).toBe(1);
    expect(processRunning(worker)).toBe(false);
    expect(statusOf(db)).toBe('cancelled');
  });

  it('is killed at once by a second Ctrl-C', async () => {
    const db = join(dir, 'int.db');
    const { der, worker } = await busyWorker(db);
    der.child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 300));
    der.child.kill('SIGINT');
    const ended = await der.exited;
    expect(ended.code).toBe(130);
    expect(await waitUntil(() => !processRunning(worker), 1000)).toBeGreaterThanOrEqual(0);
  });
});
