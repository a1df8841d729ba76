/**
 * Two seeds of the same preset through the job queue: wall time one after the other (concurrency 1) vs side
 * by side (one run per core). Non-timing kinds only: timing kinds always run alone. entropynet-train trains
 * side by side and takes the machine alone for its pipeline timings (an exclusive phase), so its ratio
 * includes those phases run one at a time. A multi-seed attention-train run is one run whose seeds become child
 * runs (side by side) and a combine step; its sequential row is the same run at concurrency 1. The machine's
 * other load shares the cores, so the ratio is of this run on this machine, nothing more.
 * QUEUE_BENCH_ONLY=<kind> runs that kind's case alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonObject } from '../../src-main/api/contract';
import { openWorkbench } from '../../src-main/workbench';
import type { BenchResult } from './types';

const CASES: Array<{ kind: string; preset: string; overrides?: JsonObject; seedsInOneRun?: boolean }> = [
  { kind: 'entropynet-train', preset: 'Quick' },
  { kind: 'entropy-validation', preset: 'Quick' },
  { kind: 'selftest', preset: 'Default' },
  // A small attention run (a few hundred images, 2 epochs, none and entropy models) keeps the bench to minutes.
  {
    kind: 'attention-train',
    preset: 'Quick',
    overrides: { patch: 8, trainSize: 256, valSize: 32, testSize: 64, epochs: 2, sparseEvalSize: 32, latencyRepeats: 2, pruneTargets: [], corruptionSize: 0, pgdSize: 0, gallerySize: 1 },
    seedsInOneRun: true,
  },
];

async function twoSeeds(kind: string, config: JsonObject, concurrency: number, seedsInOneRun = false): Promise<{ wall: number; each: number[]; statuses: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'der-bench-par-'));
  const wb = openWorkbench({ dbPath: join(dir, 'runs.db'), concurrency });
  try {
    const t0 = performance.now();
    if (seedsInOneRun) {
      // The parent is main's, not the queue's: it ends when its combine step has run.
      const parent = await wb.service.startRun(kind, { ...config, seeds: [1, 2] });
      let ended = wb.store.runs.get(parent.id)!;
      while (ended.status === 'running' || ended.status === 'queued') {
        await new Promise((r) => setTimeout(r, 200));
        ended = wb.store.runs.get(parent.id)!;
      }
      const children = wb.store.runs.list({ parentId: parent.id, limit: 10 });
      return { wall: (performance.now() - t0) / 1000, each: children.map((r) => (r.endedAt! - r.startedAt!) / 1000), statuses: [ended.status, ...children.map((r) => r.status)] };
    }
    const runs = [await wb.service.startRun(kind, { ...config, seed: 1 }), await wb.service.startRun(kind, { ...config, seed: 2 })];
    const ended = await Promise.all(runs.map((r) => wb.queue.waitFor(r.id)));
    return { wall: (performance.now() - t0) / 1000, each: ended.map((r) => (r.endedAt! - r.startedAt!) / 1000), statuses: ended.map((r) => r.status) };
  } finally {
    await wb.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function queueParallelBench(): Promise<BenchResult> {
  const cores = availableParallelism();
  const rows: BenchResult['rows'] = [];
  for (const c of CASES.filter((x) => !process.env.QUEUE_BENCH_ONLY || x.kind === process.env.QUEUE_BENCH_ONLY)) {
    const infoDir = mkdtempSync(join(tmpdir(), 'der-bench-info-'));
    const wb = openWorkbench({ dbPath: join(infoDir, 'runs.db'), concurrency: 1 });
    const info = (await wb.service.listExperiments()).find((e) => e.kind === c.kind);
    await wb.close();
    rmSync(infoDir, { recursive: true, force: true });
    const config = { ...((info?.presets[c.preset] ?? {}) as JsonObject), ...(c.overrides ?? {}) };
    // Parallel first, then sequential, then parallel again: a drift in the machine's load shows as two unequal parallel rows.
    const par1 = await twoSeeds(c.kind, config, cores, c.seedsInOneRun);
    const seq = await twoSeeds(c.kind, config, 1, c.seedsInOneRun);
    const par2 = await twoSeeds(c.kind, config, cores, c.seedsInOneRun);
    const parallel = (par1.wall + par2.wall) / 2;
    rows.push({
      case: `${c.kind} ${c.preset}${c.overrides ? ' (smaller)' : ''} × 2 seeds${c.seedsInOneRun ? ' in one run' : ''}`,
      sequentialS: seq.wall,
      parallelS: parallel,
      parallelRunsS: `${par1.wall.toFixed(1)}, ${par2.wall.toFixed(1)}`,
      ratio: parallel / seq.wall,
      concurrency: cores,
      allDone: [...par1.statuses, ...seq.statuses, ...par2.statuses].every((s) => s === 'done'),
    });
  }
  return { name: 'queue-parallel', rows, notes: ['ratio = parallel wall / sequential wall (< 1: the cores were used); load from other processes on the machine is not controlled'] };
}
