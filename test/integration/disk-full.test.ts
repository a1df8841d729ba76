import { afterEach, describe, expect, it, vi } from 'vitest';
import { tempWorkbench, type TempWorkbench } from './helpers';

let wb: TempWorkbench | null = null;
afterEach(async () => {
  vi.restoreAllMocks();
  await wb?.dispose();
  wb = null;
});

describe('a full disk', () => {
  it('ends the run failed with the reason, keeps what was stored, and leaves the database sound', async () => {
    wb = tempWorkbench();
    const run = await wb.service.startRun('selftest', { steps: 200_000, delayMs: 0 });
    // Cap the database a little above its current size: SQLite then answers SQLITE_FULL, as on a full disk.
    const pages = wb.store.db.pragma('page_count', { simple: true }) as number;
    wb.store.db.pragma(`max_page_count = ${pages + 40}`);
    const ended = await wb.queue.waitFor(run.id);
    expect(ended.status).toBe('failed');
    expect(ended.error).toMatch(/could not store worker output: .*full/i);
    const kept = wb.store.metrics.listSeries(run.id).find((s) => s.key === 'loss')?.count ?? 0;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(200_000);
    expect(wb.store.integrityCheck()).toBe('ok');
  });
});

describe('a store that refuses the run lifecycle writes', () => {
  const full = (): never => {
    throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  };

  it('a run whose start cannot be recorded ends failed with the reason, and its worker is stopped', async () => {
    wb = tempWorkbench();
    vi.spyOn(wb.store.runs, 'markRunning').mockImplementation(full);
    const run = await wb.service.startRun('selftest', { steps: 100_000, delayMs: 1 });
    const ended = await wb.queue.waitFor(run.id);
    expect(ended.status).toBe('failed');
    expect(ended.error).toMatch(/could not record the start of the run: database or disk is full/);
  });

  it('a run whose end cannot be recorded does not leave its waiters hanging: they get the end from the queue', async () => {
    wb = tempWorkbench();
    vi.spyOn(wb.store.runs, 'finish').mockImplementation(full);
    const events: string[] = [];
    wb.service.onEvent((e) => e.type === 'runChanged' && events.push(e.run.status));
    const run = await wb.service.startRun('selftest', { steps: 20, delayMs: 0 });
    const ended = await wb.queue.waitFor(run.id);
    expect(ended.status).toBe('done');
    expect(ended.error).toMatch(/could not record the end of the run \(done\): database or disk is full/);
    expect(events).toContain('done');
    expect(wb.store.runs.get(run.id)?.status).toBe('running');
    vi.restoreAllMocks();
  });
});
