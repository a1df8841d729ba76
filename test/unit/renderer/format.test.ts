import { describe, expect, it } from 'vitest';
import { flatten, formatValue } from '../../../src-renderer/src/format';

describe('summary and config cards', () => {
  it('show numbers to 4 significant digits, integers whole, never 16-digit floats', () => {
    expect(formatValue(0.12345678901234567)).toBe('0.1235');
    expect(formatValue(21.700000000000003)).toBe('21.7');
    expect(formatValue(20000)).toBe('20000');
    expect(formatValue(1.23456e-7)).toBe('1.235e-7');
    expect(formatValue(NaN)).toBe('NaN');
  });
  it('show lists of numbers as [a, b] and lists of records by their length, never as JSON', () => {
    expect(formatValue([0.0123456789, 0.98765432])).toBe('[0.01235, 0.9877]');
    expect(formatValue([1, null])).toBe('[1, –]');
    expect(formatValue(Array.from({ length: 12 }, (_, i) => i))).toBe('[0, 1, 2, 3, 4, 5, 6, 7, … 12 values]');
    expect(formatValue([{ a: 1 }, { a: 2 }])).toBe('2 entries');
    expect(formatValue(['a', 'b'])).toBe('a, b');
    for (const v of [[{ a: 1 }], { x: { y: 1 } }, [[1, 2]]]) expect(formatValue(v)).not.toMatch(/[{"]/);
  });
  it('nested objects still become dotted rows', () => {
    expect(flatten({ fit: { r2: 0.5, ci: [0.1, 0.2] } })).toEqual([['fit.r2', 0.5], ['fit.ci', [0.1, 0.2]]]);
  });
});
