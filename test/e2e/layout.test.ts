/**
 * Layout rough edges: the attention gallery uses the page's width and scroll (no inner scroll box), and the
 * side bar's column reaches the bottom of a long page.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src-main/paths';
import { resultsDir, startE2E, type E2E } from './harness';

let e: E2E;
let runId: string;
beforeAll(async () => {
  e = await startE2E();
  runId = (await e.wb.service.importRuns(readFileSync(join(projectRoot(), 'test', 'fixtures', 'e2e', 'attention-quick-run.json'), 'utf8'))).imported[0];
});
afterAll(async () => {
  await e?.close();
});

describe('layout', () => {
  it('the attention gallery has no inner vertical scroll box and spans the card', async () => {
    const { page, host } = e;
    await page.goto(`${host.url}#/runs/${runId}`);
    const gallery = page.getByTestId('attention-gallery');
    await gallery.waitFor({ timeout: 30_000 });
    const box = await gallery.evaluate((el) => {
      const scroller = el.parentElement!;
      const card = scroller.closest('section') ?? scroller.parentElement!;
      return { scrollH: scroller.scrollHeight, clientH: scroller.clientHeight, width: el.getBoundingClientRect().width, cardWidth: card.getBoundingClientRect().width };
    });
    expect(box.scrollH).toBeLessThanOrEqual(box.clientH + 1);
    expect(box.width).toBeGreaterThan(0.8 * box.cardWidth);
  });

  it('the side bar column reaches the bottom of a long page', async () => {
    const { page } = e;
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(height).toBeGreaterThan(900 * 1.5);
    const pixel = async (y: number) => (await page.screenshot({ clip: { x: 100, y, width: 1, height: 1 } })).toString('base64');
    // At the bottom of the window, after scrolling, the nav column has the nav's colour, not the page's.
    const top = await page.evaluate(() => getComputedStyle(document.querySelector('.sidebar')!).backgroundColor);
    const bottomColor = await page.evaluate(() => {
      const shell = document.querySelector('.shell')!;
      const r = shell.getBoundingClientRect();
      return { bottom: r.bottom, viewport: window.innerHeight, background: getComputedStyle(shell).backgroundImage };
    });
    expect(bottomColor.bottom).toBeGreaterThanOrEqual(bottomColor.viewport - 1);
    expect(bottomColor.background).toContain('linear-gradient');
    expect(await pixel(880)).toBe(await pixel(20));
    expect(top).not.toBe('rgba(0, 0, 0, 0)');
    await page.screenshot({ path: join(resultsDir, 'e2e-layout-bottom.png') });
  });
});
