import { describe, expect, it } from 'vitest';
import { CORRUPTIONS, SEVERITIES, corruptImages, jpegTable } from '../../../../src-worker/vision/corruptions';
import { generateShapes } from '../../../../src-worker/vision/shapes';

const set = generateShapes({ count: 6, seed: 3 });
const px = 32 * 32 * 3;

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

describe('corruptions', () => {
  it('are deterministic by seed, and each image is corrupted the same way inside any subset', () => {
    for (const name of CORRUPTIONS) {
      const a = corruptImages(set.images, 32, name, 3, 11);
      const b = corruptImages(set.images, 32, name, 3, 11);
      expect(a).toEqual(b);
      expect(a.length).toBe(set.images.length);
      const part = corruptImages(set.images, 32, name, 3, 11, 2, 3);
      expect(part).toEqual(a.subarray(2 * px, 5 * px));
    }
  });

  it('noise depends on the seed; deterministic corruptions do not', () => {
    expect(corruptImages(set.images, 32, 'gaussian_noise', 2, 1)).not.toEqual(corruptImages(set.images, 32, 'gaussian_noise', 2, 2));
    expect(corruptImages(set.images, 32, 'shot_noise', 5, 1)).not.toEqual(corruptImages(set.images, 32, 'shot_noise', 5, 2));
    expect(corruptImages(set.images, 32, 'gaussian_blur', 2, 1)).toEqual(corruptImages(set.images, 32, 'gaussian_blur', 2, 2));
  });

  it('change the image more at higher severity', () => {
    for (const name of ['gaussian_noise', 'contrast', 'gaussian_blur', 'jpeg'] as const) {
      const d = SEVERITIES.map((s) => meanAbsDiff(corruptImages(set.images, 32, name, s, 5), set.images));
      expect(d[0]).toBeGreaterThan(0);
      expect(d[4]).toBeGreaterThan(d[0]);
    }
  });

  it('brightness never darkens and contrast keeps the image mean', () => {
    const bright = corruptImages(set.images, 32, 'brightness', 4, 0);
    for (let i = 0; i < bright.length; i++) expect(bright[i]).toBeGreaterThanOrEqual(set.images[i] - 1);
    const one = set.images.subarray(0, px);
    const low = corruptImages(one, 32, 'contrast', 5, 0);
    const mean = (a: Uint8Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(Math.abs(mean(low) - mean(one))).toBeLessThan(1);
  });

  it('uses the IJG quality scaling (quality 50 = the base table)', () => {
    expect(Array.from(jpegTable([16, 11, 10], 50))).toEqual([16, 11, 10]);
    expect(Array.from(jpegTable([16, 11, 10], 100))).toEqual([1, 1, 1]);
  });

  it('rejects severities outside 1..5', () => {
    expect(() => corruptImages(set.images, 32, 'contrast', 6, 0)).toThrow(RangeError);
  });
});
