import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultsDir, startE2E, type E2E } from './harness';

let e: E2E;
const ids: string[] = [];
beforeAll(async () => {
  e = await startE2E();
  const insert = e.wb.store.db.prepare(`INSERT INTO runs (id, kind, name, status, config, seed, summary, created_at) VALUES (?, 'selftest', ?, 'done', ?, ?, ?, ?)`);
  e.wb.store.transaction(() => {
    let k = 0;
    for (const lambda of [0.1, 0.5]) {
      for (const seed of [1, 2, 3]) {
        const id = `cmp-${lambda}-${seed}`;
        ids.push(id);
        insert.run(id, `λ ${lambda} seed ${seed} <b>bold</b>`, JSON.stringify({ lambda, seed }), seed, JSON.stringify({ finalLoss: lambda + seed / 100 }), 1_700_000_000_000 + k++);
        e.wb.store.metrics.append(id, Array.from({ length: 20 }, (_, step) => ({ key: 'loss', step, value: lambda + 1 / (step + 1) + seed / 100 })));
        e.wb.store.metrics.append(id, [{ key: `only-${seed}`, step: 0, value: seed }]);
      }
    }
  });
});
afterAll(async () => {
  await e?.close();
});

type ChartSeries = { name?: string; type?: string; data?: unknown[] };
const series = (testid: string): Promise<ChartSeries[]> =>
  e.page.getByTestId(testid).evaluate((el) => {
    const chart = (el as HTMLElement & { __echarts?: { getOption(): { series: ChartSeries[] } } }).__echarts;
    return chart ? chart.getOption().series.map((s) => ({ name: s.name, type: s.type, data: s.data })) : [];
  });

describe('Compare at scale in Chromium', () => {
  it('picks runs by searching the whole store', async () => {
    const { page, host } = e;
    await page.goto(`${host.url}#/compare`);
    await page.getByTestId('compare-pick-search').fill('seed 3');
    await expect.poll(async () => page.getByTestId('compare-pick').locator('tr').count(), { timeout: 10_000 }).toBe(2);
  });

  it('groups seeds into mean ± CI bands, overlays keys that differ between runs, and draws scatter and parallel coordinates', async () => {
    const { page, host } = e;
    await page.goto(`${host.url}#/compare?ids=${ids.join(',')}`);
    await page.getByTestId('compare-bands').waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await series('compare-bands')).filter((s) => s.type === 'line').length).toBe(6);
    const bands = await series('compare-bands');
    expect([...new Set(bands.map((s) => s.name))]).toEqual(['lambda=0.1 (n=3)', 'lambda=0.5 (n=3)']);
    const mean0 = (bands[0].data as Array<[number, number]>)[0][1];
    expect(mean0).toBeCloseTo(0.1 + 1 + 0.02, 9);

    await page.getByTestId('overlay-pick').getByText('only-1').first().check();
    await page.getByTestId('overlay-pick').getByText('only-3').first().check();
    await expect.poll(async () => (await series('compare-overlay')).length).toBe(2);

    await page.getByTestId('compare-scatter').waitFor();
    await expect.poll(async () => ((await series('compare-scatter'))[0]?.data ?? []).length).toBe(6);
    await page.getByTestId('compare-parallel').waitFor();
    expect(await page.locator('b', { hasText: 'bold' }).count()).toBe(0);
    await page.screenshot({ path: join(resultsDir, 'e2e-compare-scale.png'), fullPage: true });
  });
});
