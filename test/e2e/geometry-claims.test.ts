import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../src-main/api/contract';
import { resultsDir, startE2E, type E2E } from './harness';

const VERDICTS = ['reproduced', 'exceeds', 'not reproduced', 'inconclusive', 'machine-bound', 'analogue', 'different setting', 'same as', 'not run', 'no experiment', 'not checkable', 'not runnable here', 'setting'];

let e: E2E;
let run: Run;

beforeAll(async () => {
  e = await startE2E();
  // A short Table 2 measurement: uniform-square is Table 2's "Synthetic (High)" row, and chan is the algorithm
  // the run reports its claims with.
  const started = await e.wb.service.startRun(
    'geometry-timing',
    {
      task: 'hull',
      datasets: ['uniform-square'],
      sizes: [1000],
      algorithms: ['monotone', 'chan'],
      preprocessors: ['raw', 'heuristic-sort'],
      seeds: [1, 2],
      repeats: 5,
      warmup: 1,
      budgetMs: 100,
    },
    'e2e geometry',
  );
  run = await e.wb.queue.waitFor(started.id);
  // A theory check as a finished theory-checks run leaves it: its number is a cosine over 40 cases, not seeds.
  const tc = e.wb.store.runs.create({ id: 'tc-e2e', kind: 'theory-checks', name: 'theory e2e', config: {}, seed: 1 });
  e.wb.store.runs.markRunning(tc.id, { cpu: 'test cpu', cores: 2 });
  const check = { value: 0.0578, ci95: null, unit: '', quantity: 'median cosine to finite differences', portability: 'portable', dataset: { name: 'random configurations', kind: 'real' }, n: null, method: 'E.2 formula', seeds: 40, scale: 'paper', check: 'fails' };
  e.wb.store.runs.finish(tc.id, 'done', { summary: { claims: { 'E2.anchor-gradient': check } } });
});

afterAll(async () => {
  await e?.close();
});

describe('geometry view and claims in Chromium', () => {
  it('the geometry-timing run finished with its method cases and claims', () => {
    expect(run.status).toBe('done');
    const cases = run.summary?.cases as unknown[];
    expect(cases).toHaveLength(4);
    expect(Object.keys(run.summary?.claims as object)).toContain('T2.synthetic-high.raw.runtime');
  });

  it('shows the geometry table, the bar chart and the point-set preview on the Run page', async () => {
    const { page, host } = e;
    await page.goto(`${host.url}#/runs/${run.id}`);
    await expect.poll(async () => page.getByTestId('geometry-row').count(), { timeout: 15_000 }).toBe(4);
    const methods = await page.getByTestId('geometry-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-method')));
    expect(methods.sort()).toEqual(['heuristic-sort+chan', 'heuristic-sort+monotone', 'raw+chan', 'raw+monotone']);

    // Bars: one drawn item per method with a mean.
    const bars = page.getByTestId('geometry-bars-uniform-square');
    await expect.poll(async () => Number(await bars.getAttribute('data-points')), { timeout: 10_000 }).toBe(4);

    // Preview: every point of the (≤ 20k, here 1000) set, plus the closed hull polygon.
    const preview = page.getByTestId('geometry-preview');
    await expect.poll(async () => Number(await preview.getAttribute('data-points')), { timeout: 15_000 }).toBeGreaterThan(1000);
    const hasCanvas = await preview.evaluate((el) => el.querySelector('canvas') !== null);
    expect(hasCanvas).toBe(true);

    // Every timing row: 2 seeds × 4 methods × 5 repeats, all plotted as boxes.
    await expect.poll(async () => page.getByTestId('geometry-samples-uniform-square').count(), { timeout: 15_000 }).toBe(1);
    // 2 algorithms × 2 preprocessors × 2 seeds, each with 3 (the floor under the time budget) to 5 samples.
    const timings = e.wb.store.timings.list(run.id);
    const perCase = new Map<string, number>();
    for (const t of timings) perCase.set(`${t.algorithm}/${t.preprocess}/${t.seed}`, (perCase.get(`${t.algorithm}/${t.preprocess}/${t.seed}`) ?? 0) + 1);
    expect(perCase.size).toBe(8);
    for (const count of perCase.values()) expect(count).toBeGreaterThanOrEqual(3), expect(count).toBeLessThanOrEqual(5);

    // Sorting by mean puts the rows in ascending order of the stored means.
    await page.getByRole('button', { name: /Mean ± 95% CI/ }).click();
    const sorted = await page.getByTestId('geometry-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-method')));
    const byMean = (run.summary!.cases as Array<{ method: string; meanMs: number }>).slice().sort((a, b) => a.meanMs - b.meanMs).map((c) => c.method);
    expect(sorted).toEqual(byMean);
    await page.screenshot({ path: join(resultsDir, 'e2e-geometry-run.png'), fullPage: true });
  });

  it('lists the claims with verdicts, and the Table 2 row links to the run', async () => {
    const { page, host } = e;
    await page.goto(`${host.url}#/claims`);
    const table = page.getByTestId('claims-table');
    await table.waitFor({ timeout: 15_000 });
    const rows = page.getByTestId('claim-row');
    await expect.poll(async () => rows.count(), { timeout: 15_000 }).toBeGreaterThan(100);
    const verdicts = new Set(await rows.evaluateAll((els) => els.map((r) => r.getAttribute('data-verdict'))));
    for (const v of verdicts) expect(VERDICTS).toContain(v);
    expect(verdicts.has('not runnable here')).toBe(true);

    const t2 = page.locator('[data-testid="claim-row"][data-claim-id="T2.synthetic-high.raw.runtime"]');
    await expect.poll(async () => t2.count()).toBe(1);
    // An absolute time measured on this machine is shown, never judged.
    expect(await t2.getAttribute('data-verdict')).toBe('machine-bound');
    const speedup = page.locator('[data-testid="claim-row"][data-claim-id="T2.synthetic-high.heuristic-sort.speedup"]');
    // n = 1000 where Table 2's n is 10^4 (inferred): another setting, named.
    expect(await speedup.getAttribute('data-verdict')).toBe('different setting');
    await expect.poll(async () => page.getByTestId('verdict-rules').locator('li').count()).toBeGreaterThan(10);
    // A theory check reads as its outcome and its own quantity, counted in cases.
    const e2 = page.locator('[data-testid="claim-row"][data-claim-id="E2.anchor-gradient"]');
    await expect.poll(async () => e2.count()).toBe(1);
    const e2Text = (await e2.locator('td.ours').textContent()) ?? '';
    expect(e2Text).toMatch(/check fails: median cosine to finite differences = 0\.0578/);
    expect(e2Text).toMatch(/40 cases/);
    expect(e2Text).not.toMatch(/seeds/);
    const link = t2.getByTestId('claim-run-link');
    expect(await link.getAttribute('href')).toBe(`#/runs/${run.id}`);

    // "measured only" keeps exactly the rows our run measured (and the restatements that share them).
    await page.getByLabel('measured only').check();
    const measured = await rows.evaluateAll((els) => els.map((r) => r.getAttribute('data-claim-id')));
    expect(measured).toContain('T2.synthetic-high.raw.runtime');
    expect(measured.length).toBeLessThan(20);
    await page.screenshot({ path: join(resultsDir, 'e2e-claims.png'), fullPage: false });

    // The verdict's reason opens under the row.
    await t2.getByTestId('claim-verdict').click();
    await expect.poll(async () => page.getByTestId('claim-detail').count()).toBe(1);
    // The paper's own arithmetic touching the row (Table 2 speedups C01, Table 22 net benefit C10, I08 break-even) opens with it.
    expect(await t2.getByTestId('arithmetic-badge').count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('arithmetic-detail').filter({ hasText: '8.7 / 5.2' }).count()).toBe(1);

    // The Reproduce panel shows the plan (presets and the claims each measures) and hands out the report.
    await page.getByTestId('reproduce-toggle').click();
    const plan = page.getByTestId('reproduce-plan');
    await expect.poll(async () => plan.locator('tbody tr').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(5);
    expect(await plan.textContent()).toMatch(/theory-checks/);
    const download = page.waitForEvent('download');
    await page.getByTestId('reproduce-report').click();
    expect((await download).suggestedFilename()).toBe('reproduction-report.html');
    await page.getByTestId('reproduce-toggle').click();

    await link.click();
    await page.waitForURL(new RegExp(`#/runs/${run.id}$`));
    await expect.poll(async () => page.getByTestId('geometry-table').count(), { timeout: 10_000 }).toBe(1);
  });

  it('lists the inconsistencies of the paper on their tab', async () => {
    const { page, host } = e;
    await page.goto(`${host.url}#/claims?tab=inconsistencies`);
    await expect.poll(async () => page.getByTestId('inconsistency-row').count(), { timeout: 15_000 }).toBeGreaterThan(10);
    expect(await page.locator('[data-inconsistency-id="I07"] [data-testid="inconsistency-arithmetic"]').textContent()).toMatch(/172800 s \/ \(\(1 − 1\/1\.6\) × 850 ms\)/);
    expect(await page.getByTestId('consistency-row').count()).toBe(22);
  });
});
