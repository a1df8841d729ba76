import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Run } from '../../src-main/api/contract';
import { ApiError } from '../../src-main/api/contract';
import { openWorkbench } from '../../src-main/workbench';
import { startDer } from './cli-process';
import { tempWorkbench, until, type TempWorkbench } from './helpers';

let wb: TempWorkbench | null = null;
afterEach(async () => {
  await wb?.dispose();
  wb = null;
});

const overlap = (a: Run, b: Run): boolean => a.startedAt! < b.endedAt! && b.startedAt! < a.endedAt!;

describe('the job queue runs non-timing runs side by side', () => {
  it('with concurrency 2 two selftest runs overlap, and a timing run overlaps none', async () => {
    wb = tempWorkbench({ concurrency: 2 });
    expect(wb.queue.maxConcurrent).toBe(2);
    const a = await wb.service.startRun('selftest', { steps: 60, delayMs: 10 });
    const b = await wb.service.startRun('selftest', { steps: 60, delayMs: 10 });
    const timing = await wb.service.startRun('geometry-timing', { task: 'hull', datasets: ['uniform-square'], sizes: [200], algorithms: ['monotone'], preprocessors: ['raw'], seeds: [1], repeats: 5, warmup: 1 });
    const c = await wb.service.startRun('selftest', { steps: 60, delayMs: 10 });
    const d = await wb.service.startRun('selftest', { steps: 60, delayMs: 10 });
    const ended = await Promise.all([a, b, timing, c, d].map((r) => wb!.queue.waitFor(r.id)));
    expect(ended.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
    const [ra, rb, rt, rc, rd] = ended;
    expect(overlap(ra, rb)).toBe(true);
    expect(overlap(rc, rd)).toBe(true);
    for (const other of [ra, rb, rc, rd]) expect(overlap(rt, other)).toBe(false);
  });

  it('an exclusive phase of one run overlaps no step of the other runs, which go on around it', async () => {
    wb = tempWorkbench({ concurrency: 2 });
    const probe = await wb.service.startRun('selftest', { steps: 40, delayMs: 10, exclusiveAt: 15, exclusiveMs: 400, logClock: true });
    const other = await wb.service.startRun('selftest', { steps: 80, delayMs: 10, logClock: true });
    const pausedLines: string[] = [];
    wb.queue.onEvent((e) => {
      if (e.type === 'runProgress' && e.id === other.id && e.message.startsWith('paused')) pausedLines.push(e.message);
    });
    const late = await wb.service.startRun('selftest', { steps: 5, delayMs: 5, logClock: true });
    const ended = await Promise.all([probe, other, late].map((r) => wb!.queue.waitFor(r.id)));
    expect(ended.map((r) => r.status)).toEqual(['done', 'done', 'done']);
    const values = (id: string, key: string): number[] => wb!.store.metrics.allRows(id, key).map(([, v]) => v!);
    const [begin] = values(probe.id, 'exclusive_begin');
    const [end] = values(probe.id, 'exclusive_end');
    expect(end - begin).toBeGreaterThanOrEqual(400);
    const probeClock = values(probe.id, 'clock');
    const otherClock = values(other.id, 'clock');
    // The two training runs overlap before and after the phase, and no step of another run falls inside it.
    expect(otherClock.some((t) => t < begin && t > probeClock[0])).toBe(true);
    expect(otherClock.some((t) => t > end && t < probeClock.at(-1)!)).toBe(true);
    for (const t of [...otherClock, ...values(late.id, 'clock')]) expect(t < begin || t > end).toBe(true);
    // The parked run says why it stands still (the Runs view and `der run` show this line).
    expect(pausedLines).toEqual([`paused while run ${probe.id.slice(0, 8)} measures alone`]);
  });

  it('a run parked for another run\'s exclusive phase can be cancelled there', async () => {
    wb = tempWorkbench({ concurrency: 2 });
    const other = await wb.service.startRun('selftest', { steps: 400, delayMs: 10, logClock: true });
    const probe = await wb.service.startRun('selftest', { steps: 10, delayMs: 10, exclusiveAt: 3, exclusiveMs: 3000 });
    await until(() => wb!.store.metrics.allRows(probe.id, 'exclusive_begin').length > 0 || wb!.store.runs.get(probe.id)?.status === 'done', 20_000, 'the exclusive phase');
    const t0 = Date.now();
    wb.queue.cancel(other.id);
    const cancelled = await wb.queue.waitFor(other.id);
    expect(cancelled.status).toBe('cancelled');
    expect(Date.now() - t0).toBeLessThan(2500);
    expect((await wb.queue.waitFor(probe.id)).status).toBe('done');
  });

  it('with concurrency 1 they run one after the other', async () => {
    wb = tempWorkbench({ concurrency: 1 });
    const a = await wb.service.startRun('selftest', { steps: 20, delayMs: 5 });
    const b = await wb.service.startRun('selftest', { steps: 20, delayMs: 5 });
    const [ra, rb] = await Promise.all([a, b].map((r) => wb!.queue.waitFor(r.id)));
    expect(overlap(ra, rb)).toBe(false);
  });

  it('a bad concurrency setting is refused before the database is opened', () => {
    const dir = mkdtempSync(join(tmpdir(), 'der-conc-'));
    try {
      expect(() => openWorkbench({ dbPath: join(dir, 'runs.db'), concurrency: 'lots' })).toThrow(ApiError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('der run of a sweep with --concurrency 2 shows a progress line for each child as they run side by side', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'der-conc-cli-'));
    try {
      const cfg = join(dir, 'sweep.json');
      writeFileSync(cfg, JSON.stringify({ kind: 'selftest', base: { delayMs: 15 }, grid: { steps: [60, 61] } }));
      const p = startDer(join(dir, 'runs.db'), ['run', 'sweep', '--config', cfg, '--concurrency', '2', '--json']);
      const exit = await p.exited;
      expect(exit.code).toBe(0);
      const out = JSON.parse(p.stdout()) as { summary: { children: Array<{ runId: string; status: string }> } };
      const ids = out.summary.children.map((c) => c.runId);
      expect(ids).toHaveLength(2);
      for (const id of ids) {
        const lines = p.stderr().split('\n').filter((l) => l.includes(`child ${id.slice(0, 8)}`));
        expect(lines.length).toBeGreaterThan(1);
        expect(lines.at(-1)).toMatch(/100%/);
      }
      // Both children report progress before either ends: the first 100% line comes after a line of each child.
      const lines = p.stderr().split('\n').filter((l) => l.includes('child '));
      const firstDone = lines.findIndex((l) => / 100% /.test(l));
      for (const id of ids) expect(lines.slice(0, firstDone).some((l) => l.includes(id.slice(0, 8)))).toBe(true);
      const bad = startDer(join(dir, 'runs.db'), ['run', 'selftest', '--concurrency', '0']);
      expect((await bad.exited).code).toBe(2);
      expect(bad.stderr()).toMatch(/--concurrency must be a whole number/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
