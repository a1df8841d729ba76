import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../src-worker/entropy/random';
import { rng, rngUint32 } from '../../../../src-worker/shared/random';

describe('entropy lab generator (createRng) draws from the shared stream', () => {
  it('its uint32 and next are sfc32 words and rng doubles for seeds below 2^32', () => {
    const r = createRng(456);
    const words = rngUint32(456);
    for (let i = 0; i < 20; i++) expect(r.uint32()).toBe(words());
    const r2 = createRng(456);
    const u = rng(456);
    for (let i = 0; i < 20; i++) expect(r2.next()).toBe(u());
  });
});
