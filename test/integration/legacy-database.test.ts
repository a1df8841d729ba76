import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LEGACY_VIEWS, legacyViews } from '../fixtures/legacy/views';

describe('a run database written before typed results', () => {
  it('opens, and every run, figure reader and measured claim shows what it showed when it was written', async () => {
    const before = JSON.parse(readFileSync(LEGACY_VIEWS, 'utf8')) as { runs: Array<{ kind: string }> };
    const kinds = new Set(before.runs.map((r) => r.kind));
    for (const k of ['selftest', 'geometry-timing', 'entropy-validation', 'entropynet-train', 'attention-train', 'sweep']) expect(kinds).toContain(k);
    // Later code may add fields (a schema's defaults); every value the older code showed must still be there.
    expect(await legacyViews()).toMatchObject(before);
  });
});
