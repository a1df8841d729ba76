import { describe, expect, it } from 'vitest';
import { binarize, iou, keepCount, topKMask } from '../../../../src-worker/shared/masks';
import { meanCI } from '../../../../src-worker/shared/stats';
import { patchTruth } from '../../../../src-worker/vision/masks';

describe('iou', () => {
  it('matches hand counts', () => {
    expect(iou([1, 1, 0, 0], [0, 1, 1, 0])).toBeCloseTo(1 / 3, 12);
    expect(iou([1, 0, 1, 0], [1, 0, 1, 0])).toBe(1);
    expect(iou([1, 0, 0, 0], [0, 0, 0, 1])).toBe(0);
    expect(iou([0, 0, 0], [0, 0, 0])).toBe(1);
    expect(iou([1, 1, 1, 1], [1, 0, 0, 0])).toBe(0.25);
  });

  it('rejects masks of different sizes', () => {
    expect(() => iou([1, 0], [1, 0, 0])).toThrow(RangeError);
  });
});

describe('patchTruth', () => {
  it('marks a patch when the object covers at least half of its pixels', () => {
    // 8×8 image, patch 4 → 2×2 patches. Patch 0: 8 object pixels (exactly half) → 1.
    // Patch 1: 7 pixels → 0. Patch 2: 16 → 1. Patch 3: 0 → 0.
    const size = 8;
    const mask = new Uint8Array(size * size);
    const set = (x: number, y: number) => (mask[y * size + x] = 1);
    for (let y = 0; y < 2; y++) for (let x = 0; x < 4; x++) set(x, y);
    for (let i = 0; i < 7; i++) set(4 + (i % 4), Math.floor(i / 4));
    for (let y = 4; y < 8; y++) for (let x = 0; x < 4; x++) set(x, y);
    expect(Array.from(patchTruth(mask, size, 4))).toEqual([1, 0, 1, 0]);
  });

  it('reads the image at an offset', () => {
    const mask = new Uint8Array(2 * 16).fill(0);
    mask.fill(1, 16, 32);
    expect(Array.from(patchTruth(mask, 4, 2, 16))).toEqual([1, 1, 1, 1]);
    expect(Array.from(patchTruth(mask, 4, 2, 0))).toEqual([0, 0, 0, 0]);
  });
});

describe('binarisation rules', () => {
  it('keeps the top k with ties broken by the lower index', () => {
    expect(Array.from(topKMask([0.1, 0.5, 0.5, 0.2], 2))).toEqual([0, 1, 1, 0]);
    expect(Array.from(topKMask([0.3, 0.3, 0.3], 1))).toEqual([1, 0, 0]);
  });

  it('keeps ⌈a·P⌉ patches for the object-area rule and ⌈keep·P⌉ for a fixed fraction', () => {
    expect(keepCount({ kind: 'object-area' }, 64, 0.1)).toBe(7);
    expect(keepCount({ kind: 'object-area' }, 64, 0)).toBe(1);
    expect(keepCount({ kind: 'fraction', keep: 0.25 }, 64, 0.9)).toBe(16);
    expect(binarize([0.9, 0.1, 0.8, 0.2], { kind: 'fraction', keep: 0.5 }, 0).reduce((s, v) => s + v, 0)).toBe(2);
  });
});

describe('meanCI', () => {
  it('is mean ± t(0.975, n−1)·sd/√n', () => {
    const r = meanCI([1, 2, 3, 4]);
    expect(r.mean).toBe(2.5);
    // sd = √(5/3), t(0.975, 3) = 3.182446305
    const half = (3.182446305 * Math.sqrt(5 / 3)) / 2;
    expect(r.ci95?.[0]).toBeCloseTo(r.mean - half, 6);
    expect(r.ci95?.[1]).toBeCloseTo(r.mean + half, 6);
    expect(meanCI([1]).ci95).toBeNull();
  });
});
