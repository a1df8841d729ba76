import { describe, expect, it } from 'vitest';
import { applySet, buildConfig, UsageError } from '../../../../src-main/cli/config-args';
import type { ExperimentInfo } from '../../../../src-main/api/contract';

describe('--set parsing', () => {
  it('parses JSON values, falls back to strings, nests dotted keys', () => {
    const c: Record<string, unknown> = {};
    applySet(c, 'steps=50');
    applySet(c, 'seeds=[1,2]');
    applySet(c, 'name=hello world');
    applySet(c, 'flag=true');
    applySet(c, 'a.b=0.5');
    applySet(c, 'list=raw,heuristic-sort');
    expect(c).toEqual({ steps: 50, seeds: [1, 2], name: 'hello world', flag: true, a: { b: 0.5 }, list: ['raw', 'heuristic-sort'] });
    expect(() => applySet(c, 'noequals')).toThrow(UsageError);
  });

  it('presets are case-insensitive and later sources win', () => {
    const info = { kind: 'k', presets: { Quick: { steps: 2, delayMs: 1 } } } as unknown as ExperimentInfo;
    expect(buildConfig(info, { preset: 'quick', sets: ['steps=9'] })).toEqual({ steps: 9, delayMs: 1 });
    expect(() => buildConfig(info, { preset: 'slow', sets: [] })).toThrow(/no preset "slow"/);
  });
});
