/**
 * The app's cluster setting (New run page): a workbench started without --redis is pointed at a real
 * redis-server with a password from the page, refuses it without the password, then queues runs for a real
 * `der agent`; the password is saved for its owner only and never shown; "Run here" waits for the next start.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src-main/api/contract';
import { clusterSettingPath } from '../../src-main/cluster/cluster-setting';
import { redisServerPath, startAgent, startRedis, stopProc, type Proc, type RedisServer } from '../integration/cluster-helpers';
import { resultsDir, startE2E, type E2E } from './harness';

describe.skipIf(!redisServerPath)('cluster setting in the app', () => {
  const password = 'pw-e2e-7Hx';
  let e: E2E | undefined;
  let redis: RedisServer | undefined;
  let agent: Proc | undefined;

  beforeAll(async () => {
    redis = await startRedis({ requirepass: password });
    agent = await startAgent(redis.url, 'lab-north');
    delete process.env.DER_REDIS;
    e = await startE2E();
  });
  afterAll(async () => {
    await e?.close();
    await stopProc(agent);
    await redis?.stop();
  });

  it('points a running workbench at Redis from the New run page; runs then go to the agent', async () => {
    const { page, host, wb } = e!;
    const address = `redis://127.0.0.1:${redis!.port}`;
    await page.goto(`${host.url}#/new`);
    const status = page.getByTestId('cluster-status');
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(/Runs go to this machine's workers/);

    // Without the password Redis refuses, and nothing is saved.
    await page.getByTestId('cluster-address').fill(address);
    await page.getByTestId('cluster-use').click();
    await expect.poll(() => page.getByTestId('cluster-error').textContent(), { timeout: 15_000 }).toMatch(/cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+: .*NOAUTH.*not changed/);
    expect((await wb.service.getCluster()).active).toBeNull();

    await page.getByTestId('cluster-password').fill(password);
    await page.getByTestId('cluster-use').click();
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(new RegExp(`queued for cluster agents on ${address}.*set by this setting`));
    await page.screenshot({ path: join(resultsDir, 'e2e-cluster-setting.png'), fullPage: true });
    expect(await page.getByTestId('cluster-password').inputValue()).toBe('');
    const shown = await wb.service.getCluster();
    expect(shown).toEqual({ active: address, source: 'setting', saved: address, pendingRestart: false });
    expect(JSON.stringify(shown)).not.toContain(password);
    const file = clusterSettingPath(wb.store.path);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ redis: `redis://:${password}@127.0.0.1:${redis!.port}` });
    expect(statSync(file).mode & 0o077).toBe(0);

    const run = await wb.service.startRun('selftest', { steps: 10, delayMs: 5 }, 'on the agent');
    await expect.poll(() => wb.store.runs.get(run.id)?.status, { timeout: 60_000 }).toBe('done');
    const ran = wb.store.runs.get(run.id)!;
    expect((ran.host?.agent as JsonObject | undefined)?.label).toBe('lab-north');
    expect(wb.store.metrics.listSeries(run.id).map((s) => s.count)).toEqual([10, 10, 10]);

    // Back to this machine: runs on agents may still be arriving, so it applies at the next start.
    await page.getByTestId('cluster-local').click();
    await expect.poll(() => page.getByTestId('cluster-pending').textContent(), { timeout: 15_000 }).toMatch(/saved setting \(this machine\) applies when the workbench starts again/);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ redis: null });
  });
});
