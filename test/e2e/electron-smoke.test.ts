import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src-main/paths';
import { findElectron, hasDisplay } from '../../scripts/electron-binary.mjs';

const electron = findElectron();
const xvfb = spawnSync('sh', ['-c', 'command -v xvfb-run'], { encoding: 'utf8' }).stdout.trim();
const why = !electron.path ? electron.why : !hasDisplay() && !xvfb ? 'no display and no xvfb-run' : null;
if (why) console.warn(`Electron smoke test skipped: ${why}.`);

describe('Electron shell', () => {
  it.skipIf(why !== null)('opens the window, loads app://, and the preload bridge answers health', async () => {
    const { _electron } = await import('playwright-core');
    const app = await _electron.launch({ executablePath: electron.path!, args: [projectRoot(), '--no-sandbox'], env: { ...process.env, DER_DB: join(projectRoot(), 'test-results', 'electron-smoke.db') } });
    try {
      const win = await app.firstWindow();
      expect(win.url()).toMatch(/^app:\/\/der\//);
      const health = await win.evaluate(async () => (window as unknown as { der: { health(): Promise<{ ok: boolean }> } }).der.health());
      expect(health.ok).toBe(true);
      const nodeVisible = await win.evaluate(() => typeof (globalThis as { require?: unknown }).require);
      expect(nodeVisible).toBe('undefined');
      await win.screenshot({ path: join(projectRoot(), 'test-results', 'electron-smoke.png') });
    } finally {
      await app.close();
    }
  });
});
