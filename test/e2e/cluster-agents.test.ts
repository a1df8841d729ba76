/**
 * The Runs view shows which cluster agent ran each sweep child: a real redis-server, two `der agent` processes,
 * and the browser host's workbench started with --redis.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src-main/api/contract';
import { redisServerPath, startAgent, startRedis, stopProc, type Proc } from '../integration/cluster-helpers';
import { resultsDir, startE2E, type E2E } from './harness';

describe.skipIf(!redisServerPath)('Runs view with cluster agents', () => {
  let e: E2E | undefined;
  let redis: { url: string; stop(): void } | undefined;
  const agents: Proc[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    agents.push(...(await Promise.all([startAgent(redis.url, 'lab-east'), startAgent(redis.url, 'lab-west')])));
    e = await startE2E({ redis: redis.url });
  });
  afterAll(async () => {
    await e?.close();
    await Promise.all(agents.map((a) => stopProc(a)));
    redis?.stop();
  });

  it('lists each child of a sweep with the agent that ran it', async () => {
    const { page, host, wb } = e!;
    const parent = await wb.service.startRun('sweep', { kind: 'selftest', base: { steps: 20, delayMs: 20 }, grid: { seed: [1, 2, 3, 4] } }, 'sweep on two agents');
    await expect.poll(() => wb.store.runs.get(parent.id)?.status, { timeout: 90_000 }).toBe('done');
    const children = wb.store.runs.list({ parentId: parent.id });
    const labelOf = new Map(children.map((c) => [c.id, (c.host?.agent as JsonObject | undefined)?.label]));
    expect(new Set(labelOf.values())).toEqual(new Set(['lab-east', 'lab-west']));

    await page.goto(`${host.url}#/runs`);
    await page.getByTestId('expand-children').first().click();
    await expect.poll(() => page.getByTestId('agent-cell').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(children.length);
    await expect(page.getByTestId('agent-header').count()).resolves.toBe(1);
    for (const c of children) {
      const cell = page.locator(`[data-testid="run-row"][data-run-id="${c.id}"] [data-testid="agent-cell"]`);
      expect((await cell.textContent())?.trim()).toBe(labelOf.get(c.id));
      // Readable, not only present: the fixed-layout table gives the column room for the whole label.
      const fits = await cell.evaluate((el) => el.scrollWidth <= el.clientWidth && el.getBoundingClientRect().width >= 60);
      expect(fits).toBe(true);
    }
    await page.screenshot({ path: join(resultsDir, 'e2e-runs-agents.png'), fullPage: true });
  });
});
