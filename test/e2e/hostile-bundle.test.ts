/**
 * A hostile import bundle: markup in every free-text string of a real run export (name, notes, tags, error,
 * progress message, logs, host and backend strings, every string of config and summary but the kind, a metric
 * key). Imported through the app, then every view that shows the run is opened: nothing may become an
 * element, no handler may run, and the text stays readable as text.
 */
import { readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from './harness';

const PAYLOAD = '<img src=x data-injected="img" onerror="window.__pwned=(window.__pwned||0)+1"><b data-injected="b">bold</b>';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every string below `value` with the payload appended, except under the keys in `keep`. */
function poison(value: Json, keep: ReadonlySet<string>): Json {
  if (typeof value === 'string') return value + PAYLOAD;
  if (Array.isArray(value)) return value.map((v) => poison(v, keep));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, keep.has(k) ? v : poison(v, keep)]));
  return value;
}

let e: E2E;
const dir = mkdtempSync(join(tmpdir(), 'der-e2e-hostile-'));
const RUN_ID = 'hostile-bundle-run';

beforeAll(async () => {
  e = await startE2E();
});
afterAll(async () => {
  await e?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function expectInert(where: string): Promise<void> {
  const { page } = e;
  const found = await page.evaluate(() => ({
    injected: document.querySelectorAll('[data-injected]').length,
    pwned: (window as unknown as { __pwned?: number }).__pwned ?? 0,
  }));
  expect(found, where).toEqual({ injected: 0, pwned: 0 });
}

describe('a hostile import bundle in Chromium', () => {
  it('imports, and every view shows its strings as text', async () => {
    const { page, host } = e;
    const bundle = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'e2e', 'attention-quick-run.json'), 'utf8')) as {
      run: Record<string, Json>;
      metrics: Array<{ key: string; points: Json }>;
      logs: Array<{ text: string }>;
    };
    const run = bundle.run;
    run.id = RUN_ID;
    for (const field of ['name', 'notes', 'progressMessage'] as const) run[field] = `${String(run[field] ?? '')}${PAYLOAD}`;
    run.tags = [`tag${PAYLOAD}`];
    run.error = `error${PAYLOAD}`;
    run.config = poison(run.config, new Set(['backend', 'methods']));
    run.summary = poison(run.summary, new Set(['kind', 'columns', 'metricKeys', 'artifacts', 'method', 'mode', 'variant']));
    run.host = poison(run.host, new Set());
    run.backend = poison(run.backend, new Set());
    bundle.metrics[0].key = `${bundle.metrics[0].key}${PAYLOAD}`;
    for (const log of bundle.logs) log.text += PAYLOAD;
    const file = join(dir, 'hostile.json');
    writeFileSync(file, JSON.stringify(bundle));

    await page.goto(`${host.url}#/runs`);
    await page.getByTestId('import-files').setInputFiles(file);
    await expect.poll(async () => ((await page.getByTestId('import-note').textContent().catch(() => '')) ?? '').trim(), { timeout: 20_000 }).toBe('Imported 1 run');
    await expect.poll(async () => page.locator('[data-testid="run-row"]', { hasText: '<b data-injected="b">' }).count(), { timeout: 15_000 }).toBe(1);
    await expectInert('Runs view');

    await page.goto(`${host.url}#/runs/${RUN_ID}`);
    await expect.poll(async () => (await page.locator('body').textContent()) ?? '', { timeout: 20_000 }).toContain('<b data-injected="b">bold</b>');
    await page.waitForTimeout(1500);
    await expectInert('Run page');

    await page.goto(`${host.url}#/compare?ids=${RUN_ID}`);
    await page.waitForTimeout(1500);
    await expectInert('Compare');

    await page.goto(`${host.url}#/claims`);
    await page.waitForTimeout(1500);
    await expectInert('Claims');
  });
});
