import { describe, expect, it } from 'vitest';
import { Slots } from '../../../../src-main/cluster/agent-slots';
import { ChunkAssembly, sha256, splitChunks } from '../../../../src-main/cluster/artifact-chunks';
import { checkRedisUrl, decodeEntry, encodeEntry, redactRedisUrl, redisAddress, sameRedis, withCredentials } from '../../../../src-main/cluster/protocol';

describe('cluster stream entries', () => {
  it('round-trips an event and refuses malformed ones', () => {
    const fields = encodeEntry(7, { type: 'metrics', seq: 3, rows: [{ step: 1, key: 'loss', value: 0.5 }] });
    const d = decodeEntry(fields);
    expect(d).toEqual({ ok: true, entry: { n: 7, e: { type: 'metrics', seq: 3, rows: [{ step: 1, key: 'loss', value: 0.5 }] } } });
    expect(decodeEntry(['n', '1', 'e', '{not json']).ok).toBe(false);
    expect(decodeEntry(['n', '1', 'e', JSON.stringify({ type: 'metrics', seq: 1, rows: [{ step: 'x' }] })]).ok).toBe(false);
    // A whole artifact never travels in one entry (it comes in checked chunks), nor does the worker's ready.
    expect(decodeEntry(['n', '1', 'e', JSON.stringify({ type: 'artifact', seq: 1, name: 'a', mime: 'x', base64: '', meta: {} })]).ok).toBe(false);
    expect(decodeEntry(['n', '-1', 'e', JSON.stringify({ type: 'log', seq: 1, level: 'info', text: 'x' })]).ok).toBe(false);
  });

  it('hides the password of a Redis URL and refuses other schemes', () => {
    expect(redactRedisUrl('redis://:s3cret@10.0.0.5:6379')).not.toContain('s3cret');
    expect(redactRedisUrl('rediss://user:s3cret@host:6380/0')).toMatch(/^rediss:\/\/user:\*\*\*@host:6380/);
    expect(() => checkRedisUrl('http://host:6379')).toThrow(/redis:\/\//);
    expect(() => checkRedisUrl('rediss://host:6380')).not.toThrow();
  });

  it('records a Redis without its password and reaches it later with the credentials given then', () => {
    expect(redisAddress('redis://:s3cret@10.0.0.5:6379')).toBe('redis://10.0.0.5:6379');
    expect(redisAddress('rediss://user:s3cret@host:6380/2')).toBe('rediss://user@host:6380/2');
    // Rows written with the redacted form read the same.
    expect(redisAddress('redis://:***@10.0.0.5:6379')).toBe('redis://10.0.0.5:6379');
    expect(withCredentials('redis://10.0.0.5:6379', undefined)).toBe('redis://10.0.0.5:6379');
    expect(withCredentials('redis://10.0.0.5:6379', 'redis://:s3cret@10.0.0.5:6379')).toBe('redis://:s3cret@10.0.0.5:6379');
    // Another address given: its password, the recorded address (the run's agent is there).
    expect(withCredentials('rediss://10.0.0.5:6380/1', 'redis://:pw@127.0.0.1:7000')).toBe('rediss://:pw@10.0.0.5:6380/1');
    expect(sameRedis('redis://:a@h:6379', 'redis://h:6379')).toBe(true);
    expect(sameRedis('redis://user:a@h:6379', 'redis://h:6379')).toBe(true);
    expect(sameRedis('redis://h:6379', 'redis://h:6380')).toBe(false);
    expect(sameRedis('redis://h:6379/1', 'redis://h:6379/2')).toBe(false);
  });
});

describe('artifact chunks', () => {
  const bytes = new Uint8Array(10_000).map((_, i) => (i * 31) % 251);

  it('reassembles chunks in any order and checks size and sha256', () => {
    const parts = splitChunks(bytes, 4096);
    expect(parts.map((p) => p.byteLength)).toEqual([4096, 4096, 1808]);
    const asm = new ChunkAssembly();
    for (const i of [2, 0, 1]) asm.add(i, Buffer.from(parts[i]).toString('base64'));
    expect(asm.finish({ chunks: 3, bytes: bytes.byteLength, sha256: sha256(bytes) })).toEqual(Buffer.from(bytes));
  });

  it('stores nothing on a corrupted or missing chunk', () => {
    const parts = splitChunks(bytes, 4096);
    const asm = new ChunkAssembly();
    asm.add(0, Buffer.from(parts[0]).toString('base64'));
    asm.add(1, Buffer.from(parts[2]).toString('base64'));
    expect(() => asm.finish({ chunks: 2, bytes: bytes.byteLength, sha256: sha256(bytes) })).toThrow(/size|sha256/);
    expect(() => asm.finish({ chunks: 3, bytes: bytes.byteLength, sha256: sha256(bytes) })).toThrow(/chunk 2 of 3 is missing/);
    const bad = new ChunkAssembly();
    parts.forEach((p, i) => bad.add(i, Buffer.from(i === 1 ? new Uint8Array(p.byteLength) : p).toString('base64')));
    expect(() => bad.finish({ chunks: 3, bytes: bytes.byteLength, sha256: sha256(bytes) })).toThrow(/sha256/);
  });
});

describe('agent slots', () => {
  const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 5));

  it('runs a timing job alone: it waits for running jobs, and nothing starts beside it', async () => {
    const slots = new Slots(2);
    const log: string[] = [];
    await slots.acquire(false);
    log.push('a');
    const timing = slots.acquire(true).then(() => log.push('timing'));
    const later = slots.acquire(false).then(() => log.push('b'));
    await tick();
    expect(log).toEqual(['a']);
    slots.release(false);
    await tick();
    expect(log).toEqual(['a', 'timing']);
    slots.release(true);
    await Promise.all([timing, later]);
    expect(log).toEqual(['a', 'timing', 'b']);
  });

  it('holds at most capacity ordinary jobs', async () => {
    const slots = new Slots(2);
    await slots.acquire(false);
    await slots.acquire(false);
    let third = false;
    const p = slots.acquire(false).then(() => (third = true));
    await tick();
    expect(third).toBe(false);
    slots.release(false);
    await p;
    expect(third).toBe(true);
  });
});
