import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startHttpHost, type HttpHost } from '../../src-main/api/http';
import { projectRoot } from '../../src-main/paths';
import { openWorkbench, type Workbench } from '../../src-main/workbench';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/find-chromium.mjs';

export interface E2E {
  wb: Workbench;
  host: HttpHost;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export const resultsDir = join(projectRoot(), 'test-results');

/** The real renderer served by the real browser host over the real services, driven in Chromium. */
export async function startE2E(options: { redis?: string } = {}): Promise<E2E> {
  const rendererDir = join(projectRoot(), 'out', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('e2e: the renderer is not built; run `npm run build` (npm test does it)');
  const executablePath = await findChromium({ install: false });
  if (!executablePath) throw new Error('e2e: no Chromium; install one with `sudo apt-get install -y chromium` or set CHROMIUM_PATH');
  const dir = mkdtempSync(join(tmpdir(), 'der-e2e-'));
  const wb = openWorkbench({ dbPath: join(dir, 'runs.db'), redis: options.redis });
  const host = await startHttpHost(wb.service, { port: 0, rendererDir });
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const consoleErrors: string[] = [];
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  mkdirSync(resultsDir, { recursive: true });
  return {
    wb,
    host,
    browser,
    page,
    async close() {
      await browser.close();
      await host.close();
      await wb.close();
      rmSync(dir, { recursive: true, force: true });
      if (consoleErrors.length) throw new Error(`page errors: ${consoleErrors.join('; ')}`);
    },
  };
}
