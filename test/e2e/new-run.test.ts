import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultsDir, startE2E, type E2E } from './harness';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(async () => {
  await e?.close();
});

describe('the app in Chromium against the browser host', () => {
  it('starts a selftest from New run, watches it finish, and the chart shows its points', async () => {
    const { page, host } = e;
    await page.goto(`${host.url}#/new`);
    await page.getByTestId('kind-selftest').click();
    await page.locator('[name="steps"]').fill('40');
    await page.locator('[name="delayMs"]').fill('25');
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/#\/runs\/[\w-]+$/);
    const status = page.getByTestId('run-status');
    await expect.poll(async () => (await status.textContent())?.trim(), { timeout: 60_000 }).toBe('done');
    const chart = page.getByTestId('chart-loss');
    await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 20_000 }).toBe(40);
    await page.screenshot({ path: join(resultsDir, 'e2e-selftest-run.png'), fullPage: true });

    const runId = /#\/runs\/([\w-]+)$/.exec(page.url())![1];
    const stored = e.wb.store.metrics.listSeries(runId).find((s) => s.key === 'loss');
    expect(stored?.count).toBe(40);
  });

  it('lists the run in the Runs table with its status', async () => {
    const { page, host } = e;
    await page.goto(`${host.url}#/runs`);
    await expect.poll(async () => page.getByText('done').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.screenshot({ path: join(resultsDir, 'e2e-runs.png'), fullPage: true });
  });

  it('shows the validation message of a bad field and starts nothing', async () => {
    const { page, host, wb } = e;
    const before = wb.store.runs.list().length;
    await page.goto(`${host.url}#/new/selftest`);
    await page.locator('[name="steps"]').fill('0');
    await page.getByRole('button', { name: 'Start run' }).click();
    await expect.poll(async () => page.locator('body').textContent(), { timeout: 5_000 }).toMatch(/steps|≥|greater|at least|minimum/i);
    expect(wb.store.runs.list().length).toBe(before);
  });
});
