/**
 * The saved cluster setting at start-up, on a real redis-server: the app and serve (clusterSetting) use it when
 * neither --redis nor DER_REDIS is given, which win over it; other front ends ignore it; a damaged file is
 * ignored with a message; a Redis that does not answer is refused and nothing is saved.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterSettingPath, readClusterSetting } from '../../src-main/cluster/cluster-setting';
import { openWorkbench } from '../../src-main/workbench';
import { freePort, redisServerPath, startRedis, type RedisServer } from './cluster-helpers';

describe.skipIf(!redisServerPath)('cluster setting at start-up', () => {
  let redis: RedisServer | undefined;
  let dir = '';
  const saved = process.env.DER_REDIS;

  beforeAll(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'der-setting-'));
    delete process.env.DER_REDIS;
  });
  afterAll(async () => {
    if (saved !== undefined) process.env.DER_REDIS = saved;
    rmSync(dir, { recursive: true, force: true });
    await redis?.stop();
  });

  it('is used by the app and serve without --redis or DER_REDIS, which win over it', async () => {
    const dbPath = join(dir, 'runs.db');
    writeFileSync(clusterSettingPath(dbPath), JSON.stringify({ redis: redis!.url }));
    const app = openWorkbench({ dbPath, clusterSetting: true });
    try {
      expect(await app.service.getCluster()).toEqual({ active: redis!.url, source: 'setting', saved: redis!.url, pendingRestart: false });
    } finally {
      await app.close();
    }
    const cli = openWorkbench({ dbPath });
    try {
      expect(await cli.service.getCluster()).toMatchObject({ active: null, source: null, saved: redis!.url, pendingRestart: true });
    } finally {
      await cli.close();
    }
    const other = `redis://127.0.0.1:${await freePort()}`;
    const flagged = openWorkbench({ dbPath, clusterSetting: true, redis: other });
    try {
      // --redis chose it: the setting waits for a start without it, and is not "pending" on this one.
      expect(await flagged.service.getCluster()).toEqual({ active: other, source: 'flag', saved: redis!.url, pendingRestart: false });
      // A Redis that does not answer is refused, and the saved setting stays.
      await expect(flagged.service.setCluster(other)).rejects.toThrow(/cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED.*not changed/);
      await expect(flagged.service.setCluster('http://example.org')).rejects.toThrow(/not a Redis URL/);
      expect(readClusterSetting(clusterSettingPath(dbPath))).toBe(redis!.url);
    } finally {
      await flagged.close();
    }
  });

  it('ignores a damaged setting file', async () => {
    const dbPath = join(dir, 'damaged', 'runs.db');
    const app0 = openWorkbench({ dbPath });
    await app0.close();
    writeFileSync(clusterSettingPath(dbPath), '{"redis": 12');
    const app = openWorkbench({ dbPath, clusterSetting: true });
    try {
      expect(await app.service.getCluster()).toEqual({ active: null, source: null, saved: null, pendingRestart: false });
    } finally {
      await app.close();
    }
  });
});
