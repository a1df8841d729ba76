import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultsDir, startE2E, type E2E } from './harness';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
  const insert = e.wb.store.db.prepare(
    `INSERT INTO runs (id, kind, name, status, config, seed, summary, created_at, parent_id)
     VALUES (?, ?, ?, 'done', ?, 42, ?, ?, ?)`,
  );
  e.wb.store.transaction(() => {
    for (let i = 0; i < 10_000; i++) {
      const kind = i % 4 === 0 ? 'entropynet-train' : 'selftest';
      const config = kind === 'entropynet-train' ? { lambda: (i % 40) / 400 } : { steps: i % 50 };
      const summary = kind === 'entropynet-train' ? { hullErrorPct: (i % 7) / 3 } : { finalLoss: 1 / (1 + i) };
      insert.run(`r${String(i).padStart(5, '0')}`, kind, `scale run ${i}`, JSON.stringify(config), JSON.stringify(summary), 1_700_000_000_000 + i * 1000, null);
    }
    insert.run('sweep-parent', 'sweep', 'the sweep', JSON.stringify({ kind: 'selftest' }), null, 1_800_000_000_000, null);
    for (let k = 0; k < 3; k++) insert.run(`sweep-child-${k}`, 'selftest', `sweep child ${k}`, '{}', null, 1_800_000_000_001 + k, 'sweep-parent');
  });
}, 120_000);
afterAll(async () => {
  await e?.close();
});

const count = async (): Promise<string> => ((await e.page.getByTestId('runs-count').textContent()) ?? '').trim();

describe('Runs view over 10,004 runs (Chromium against the browser host)', () => {
  it('counts every root run and renders only the visible rows', async () => {
    const { page, host } = e;
    await page.goto(`${host.url}#/runs`);
    await expect.poll(count, { timeout: 15_000 }).toMatch(/^10,001 runs/);
    const rows = await page.getByTestId('run-row').count();
    expect(rows).toBeGreaterThan(5);
    expect(rows).toBeLessThan(200);
    await expect.poll(async () => page.getByTestId('run-row').first().getAttribute('data-run-id')).toBe('sweep-parent');
  });

  it('scrolls from the first run to the last with a bounded set of row elements, each row at its place in the order', async () => {
    const { page } = e;
    const viewport = page.getByTestId('runs-viewport');
    // Newest first: the sweep (created last), then r09999 … r00000.
    const expectedId = (index: number): string => (index === 0 ? 'sweep-parent' : `r${String(10_000 - index).padStart(5, '0')}`);
    const look = async (): Promise<{ elements: number; onScreen: Array<{ id: string | null; index: number; offset: number; bottom: number }>; viewportBottom: number }> =>
      viewport.evaluate((vp) => {
        const v = vp.getBoundingClientRect();
        const body = vp.querySelector('[role="rowgroup"]')!.getBoundingClientRect();
        const headBottom = vp.querySelector('[role="row"]')!.getBoundingClientRect().bottom;
        const rows = [...vp.querySelectorAll<HTMLElement>('[data-testid="run-row"], [data-testid="run-pending"]')];
        return {
          elements: rows.length,
          onScreen: rows
            .map((r) => ({ r, b: r.getBoundingClientRect() }))
            .filter(({ b }) => b.bottom > headBottom && b.top < v.bottom)
            .sort((x, y) => x.b.top - y.b.top)
            .map(({ r, b }) => ({ id: r.dataset.runId ?? null, index: Number(r.getAttribute('aria-rowindex')) - 2, offset: b.top - body.top, bottom: b.bottom })),
          viewportBottom: v.bottom,
        };
      });
    // A focused checkbox is not passed on to another run when its element is reused further down.
    await page.locator('[data-run-id="r09995"] [data-testid="run-select"]').focus();
    let rowHeight = 0;
    for (const frac of [0, 0.013, 0.1, 0.25, 0.333, 0.5, 0.71, 0.9, 0.999, 1]) {
      await viewport.evaluate((el, f) => (el.scrollTop = (el.scrollHeight - el.clientHeight) * f), frac);
      // Until the grid hears the scroll, the rows on screen may be none at all (every() of none is true): wait for
      // a screenful of rows, every one of them loaded.
      let seen = await look();
      await expect
        .poll(async () => ((seen = await look()), seen.onScreen.length > 5 && seen.onScreen.every((r) => r.id !== null)), { timeout: 10_000 })
        .toBe(true);
      const focusedRun = await page.evaluate(() => (document.activeElement?.closest('[data-run-id]') as HTMLElement | null)?.dataset.runId ?? null);
      expect(focusedRun === null || focusedRun === 'r09995').toBe(true);
      expect(seen.elements).toBeLessThanOrEqual(60);
      expect(seen.onScreen.length).toBeGreaterThan(5);
      rowHeight ||= seen.onScreen[1].offset - seen.onScreen[0].offset;
      // On screen top to bottom: consecutive rows of the sort order, each at its index.
      seen.onScreen.forEach((r, k) => {
        expect(r.index).toBe(seen.onScreen[0].index + k);
        expect(r.id).toBe(expectedId(r.index));
        expect(r.offset).toBeCloseTo(r.index * rowHeight, 0);
      });
      if (frac === 1) {
        // The oldest run is the last row and fully in view.
        const lastRow = seen.onScreen.at(-1)!;
        expect(lastRow.id).toBe('r00000');
        expect(lastRow.bottom).toBeLessThanOrEqual(seen.viewportBottom + 0.5);
        // Once the list has settled the rows' elements are in row order in the DOM, the order of Tab and screen readers.
        const inOrder = async (): Promise<boolean> =>
          page.evaluate(() => [...document.querySelectorAll('[data-testid="run-row"]')].map((r) => Number(r.getAttribute('aria-rowindex'))).every((v, k, all) => k === 0 || v === all[k - 1] + 1));
        await expect.poll(inOrder).toBe(true);
      }
    }
    await viewport.evaluate((el) => (el.scrollTop = 0));
    await expect.poll(async () => page.getByTestId('run-row').first().getAttribute('data-run-id')).toBe('sweep-parent');
  });

  it('opens a sweep in place to show its children', async () => {
    const { page } = e;
    await page.getByTestId('expand-children').first().click();
    await expect.poll(async () => page.locator('[data-run-id^="sweep-child-"]').count()).toBe(3);
  });

  it('finds the oldest run by its exact name with the filter expression, and counts the match', async () => {
    const { page } = e;
    await page.getByTestId('runs-filter').fill('name = "scale run 0"');
    await page.getByTestId('runs-filter').press('Enter');
    await expect.poll(count).toMatch(/^1 run matches/);
    expect(await page.getByTestId('run-row').getAttribute('data-run-id')).toBe('r00000');
  });

  it('filters on kind, config and summary values over every run', async () => {
    const { page } = e;
    const expr = 'kind = entropynet-train and config.lambda >= 0.05 and summary.hullErrorPct < 1';
    const expected = Array.from({ length: 10_000 }, (_, i) => i).filter((i) => i % 4 === 0 && (i % 40) / 400 >= 0.05 && (i % 7) / 3 < 1).length;
    await page.getByTestId('runs-filter').fill(expr);
    await page.getByTestId('runs-filter').press('Enter');
    await expect.poll(count).toBe(`${expected.toLocaleString('en')} runs match`);
    await page.getByTestId('add-column').fill('summary.hullErrorPct');
    await page.getByTestId('add-column').press('Enter');
    await page.getByTestId('column-header').click();
    await expect.poll(async () => page.getByTestId('column-cell').first().textContent()).toBe('0');
    await page.getByTestId('column-header').click();
    await expect.poll(async () => Number(await page.getByTestId('column-cell').first().textContent())).toBe(0.6667);
    await page.screenshot({ path: join(resultsDir, 'e2e-runs-filter.png') });
  });

  it('saves the filter, sort and columns as a view and brings them back', async () => {
    const { page } = e;
    await page.getByLabel('View name').fill('small hull error');
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.getByTestId('runs-filter').fill('');
    await page.getByTestId('runs-filter').press('Enter');
    await expect.poll(count).toMatch(/^10,001 runs/);
    await page.getByTestId('saved-views').selectOption('small hull error');
    await expect.poll(count).toMatch(/^536 runs match/);
    expect(await page.getByTestId('runs-filter').inputValue()).toContain('summary.hullErrorPct < 1');
    await expect.poll(async () => page.getByTestId('column-header').textContent()).toMatch(/summary\.hullErrorPct/);
  });

  it('says what is wrong with a bad expression', async () => {
    const { page } = e;
    await page.getByTestId('runs-filter').fill('kind = entropynet-train and lambda >');
    await page.getByTestId('runs-filter').press('Enter');
    await expect.poll(async () => page.getByTestId('filter-error').textContent()).toMatch(/expected a value/);
  });

  it('scrolls far down and loads the rows there (virtualised and paged)', async () => {
    const { page } = e;
    await page.getByTestId('runs-filter').fill('kind = selftest and parent = null');
    await page.getByTestId('runs-filter').press('Enter');
    await expect.poll(count).toBe('7,500 runs match');
    await page.getByTestId('runs-viewport').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(async () => page.locator('[data-run-id="r00001"]').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId('run-row').count()).toBeLessThan(200);
  });

  it('tags selected runs in bulk', async () => {
    const { page, wb } = e;
    await page.getByTestId('runs-filter').fill('name ~ "scale run 999"');
    await page.getByTestId('runs-filter').press('Enter');
    await expect.poll(count).toBe('11 runs match');
    // The previous test left the list scrolled to its end: the shorter list must show from its top at once.
    await expect.poll(async () => page.getByTestId('run-row').count(), { timeout: 1000 }).toBe(11);
    const boxes = page.getByTestId('run-select');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByTestId('bulk-tag-input').fill('chosen');
    await page.getByTestId('bulk-tag').click();
    await expect.poll(() => wb.store.runs.page({ filter: 'tag = chosen' }).total).toBe(2);
  });
});
