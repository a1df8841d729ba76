import { describe, expect, it } from 'vitest';
import { RunStore } from '../../../../src-main/store/run-store';

describe('run search', () => {
  it('treats % and _ as the characters they are, not as wildcards', () => {
    const store = RunStore.open(':memory:');
    const names = ['lr 50% decay', 'lr 500 decay', 'a_b', 'axb'];
    names.forEach((name, i) => store.runs.create({ id: `r${i}`, kind: 'selftest', name, config: {}, seed: 0, status: 'done' }));
    const found = (search: string): string[] => store.runs.list({ search }).map((r) => r.name).sort();
    expect(found('50%')).toEqual(['lr 50% decay']);
    expect(found('%')).toEqual(['lr 50% decay']);
    expect(found('a_b')).toEqual(['a_b']);
    expect(found('_')).toEqual(['a_b']);
    const paged = (search: string): string[] => store.runs.page({ search, limit: 10, offset: 0 }).runs.map((r) => r.name).sort();
    expect(paged('50%')).toEqual(['lr 50% decay']);
    expect(paged('a_b')).toEqual(['a_b']);
    store.close();
  });
});
