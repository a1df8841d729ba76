import { afterEach, describe, expect, it } from 'vitest';
import { tempWorkbench, type TempWorkbench } from './helpers';

let wb: TempWorkbench | null = null;
afterEach(async () => {
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
