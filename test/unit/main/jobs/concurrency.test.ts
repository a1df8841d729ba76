import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConcurrencyError, resolveConcurrency } from '../../../../src-main/jobs/concurrency';

describe('resolveConcurrency', () => {
  it('defaults to the cores this process may use', () => {
    expect(resolveConcurrency(undefined, {})).toBe(availableParallelism());
    expect(resolveConcurrency(undefined, { DER_CONCURRENCY: ' ' })).toBe(availableParallelism());
  });

  it('takes DER_CONCURRENCY, and --concurrency over it', () => {
    expect(resolveConcurrency(undefined, { DER_CONCURRENCY: '3' })).toBe(3);
    expect(resolveConcurrency('1', { DER_CONCURRENCY: '3' })).toBe(1);
    expect(resolveConcurrency(5, {})).toBe(5);
  });

  it('refuses what is not a whole number of runs from 1, naming where it came from', () => {
    expect(() => resolveConcurrency('0', {})).toThrow(/--concurrency must be a whole number.*"0"/);
    expect(() => resolveConcurrency('2.5', {})).toThrow(ConcurrencyError);
    expect(() => resolveConcurrency(undefined, { DER_CONCURRENCY: 'many' })).toThrow(/DER_CONCURRENCY.*"many"/);
    expect(() => resolveConcurrency('-1', {})).toThrow(ConcurrencyError);
  });
});
