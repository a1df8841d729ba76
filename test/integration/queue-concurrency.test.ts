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
    wb = tempWorkbench({ concurrency: 3 });
    const values = (id: string, key: string): number[] => wb!.store.metrics.allRows(id, key).map(([, v]) => v!);
    const other = await wb.service.startRun('selftest', { steps: 5000, delayMs: 10, logClock: true });
    // Worker start-up under load takes seconds: the probe starts once the other run is stepping.
    await until(() => values(other.id, 'clock').length > 3, 60_000, 'the other run to step');
    const probe = await wb.service.startRun('selftest', { steps: 20, delayMs: 10, exclusiveAt: 5, exclusiveMs: 400, logClock: true });
    const late = await wb.service.startRun('selftest', { steps: 5, delayMs: 5, logClock: true });
    const pausedLines: string[] = [];
    wb.queue.onEvent((e) => {
      if (e.type === 'runProgress' && e.id === other.id && e.message.startsWith('paused')) pausedLines.push(e.message);
    });
    const probeEnded = await wb.queue.waitFor(probe.id);
    expect(probeEnded.status).toBe('done');
    const [begin] = values(probe.id, 'exclusive_begin');
    const [end] = values(probe.id, 'exclusive_end');
    expect(end - begin).toBeGreaterThanOrEqual(400);
    await until(() => values(other.id, 'clock').some((t) => t > end), 60_000, 'the other run to go on');
    wb.queue.cancel(other.id);
    const ended = await Promise.all([other, late].map((r) => wb!.queue.waitFor(r.id)));
    expect(ended.map((r) => r.status)).toEqual(['cancelled', 'done']);
    const otherClock = values(other.id, 'clock');
    expect(otherClock.some((t) => t < begin)).toBe(true);
    for (const t of [...otherClock, ...values(late.id, 'clock')]) expect(t < begin || t > end).toBe(true);
    // The parked run says why it stands still (the Runs view and `der run` show this line).
    expect(pausedLines).toEqual([`paused while run ${probe.id.slice(0, 8)} measures alone`]);
  });

  it('a run parked for another run\'s exclusive phase can be cancelled there', async () => {
    wb = tempWorkbench({ concurrency: 2 });
    const other = await wb.service.startRun('selftest', { steps: 400, delayMs: 10, logClock: true });
    const probe = await wb.service.startRun('selftest', { steps: 10, delayMs: 10, exclusiveAt: 3, exclusiveMs: 20_000 });
    await until(() => wb!.store.metrics.allRows(probe.id, 'exclusive_begin').length > 0 || wb!.store.runs.get(probe.id)?.status === 'done', 20_000, 'the exclusive phase');
    const t0 = Date.now();
    wb.queue.cancel(other.id);
    const cancelled = await wb.queue.waitFor(other.id);
    expect(cancelled.status).toBe('cancelled');
    // Well before the 20 s phase ends: the parked run heard the cancel.
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect((await wb.queue.waitFor(probe.id)).status).toBe('done');
  }, 60_000);

  it('two entropynet-train runs train side by side and take turns for their pipeline timings, which still feed their claims', async () => {
    wb = tempWorkbench({ concurrency: 2 });
    const tiny = { n: 64, trainSets: 8, valSets: 2, epochs: 3, batchSize: 4, regStartEpoch: 1, evalSizes: [500], evalSeeds: [1], evalAlgorithms: ['monotone'], evalRepeats: 2, evalBudgetMs: 100 };
    const started = [await wb.service.startRun('entropynet-train', { ...tiny, seed: 1 }), await wb.service.startRun('entropynet-train', { ...tiny, seed: 2 })];
    const ended = await Promise.all(started.map((r) => wb!.queue.waitFor(r.id)));
    expect(ended.map((r) => r.status), ended.map((r) => r.error).join('; ')).toEqual(['done', 'done']);
    expect(overlap(ended[0], ended[1])).toBe(true);
    const phase = (id: string): [number, number] => {
      const logs = wb!.store.logs.list(id);
      const begin = logs.find((l) => l.text.startsWith('pipeline timing: has the machine to itself'));
      const end = logs.find((l) => l.text.startsWith('pipeline timing: gave the machine back'));
      expect(begin && end).toBeTruthy();
      return [begin!.time, end!.time];
    };
    const phases = ended.map((r) => phase(r.id));
    expect(phases[0][1] <= phases[1][0] || phases[1][1] <= phases[0][0]).toBe(true);
    // No training epoch of the other run is stored inside a run's timing phase.
    for (const [i, [begin, end]] of phases.entries()) {
      for (const [, , wall] of wb.store.metrics.allRows(ended[1 - i].id, 'train/loss')) expect(wall <= begin || wall >= end).toBe(true);
    }
    for (const r of ended) {
      const claims = (r.summary as { claims: Record<string, { unit: string }> }).claims;
      expect(claims['abs.geometry.hull-delaunay.speedup']?.unit).toBe('x');
      expect((await wb.service.getTimings(r.id)).some((t) => t.preprocess === 'entropynet')).toBe(true);
    }
  }, 300_000);

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
