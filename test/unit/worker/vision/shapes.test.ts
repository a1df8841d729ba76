import { describe, expect, it } from 'vitest';
import { generateShapes, insideShape, luminance, objectAreas, subset } from '../../../../src-worker/vision/shapes';

describe('objects on texture', () => {
  it('is reproducible by seed, and image i does not depend on the set size', () => {
    const a = generateShapes({ count: 20, seed: 9 });
    const b = generateShapes({ count: 20, seed: 9 });
    const c = generateShapes({ count: 5, seed: 9 });
    expect(a.images).toEqual(b.images);
    expect(a.masks).toEqual(b.masks);
    expect(c.images).toEqual(a.images.subarray(0, 5 * 32 * 32 * 3));
    expect(c.labels).toEqual(a.labels.subarray(0, 5));
    expect(generateShapes({ count: 20, seed: 10 }).images).not.toEqual(a.images);
  });

  it('has one non-empty object per image, labels in range, and every class present', () => {
    const s = generateShapes({ count: 200, seed: 1, classes: 5 });
    const areas = objectAreas(s);
    for (const a of areas) {
      expect(a).toBeGreaterThan(0.02);
      expect(a).toBeLessThan(0.6);
    }
    expect(new Set(s.labels).size).toBe(5);
    expect(Math.max(...s.labels)).toBeLessThan(5);
    expect(s.classNames).toEqual(['circle', 'square', 'triangle', 'cross', 'ring']);
  });

  it('the mask is exactly the pixels the object paints (oracle: the same background rendered without it)', () => {
    const opts = { count: 40, seed: 4, classes: 6 };
    const withObject = generateShapes(opts);
    const background = generateShapes({ ...opts, drawObject: false });
    const otherBackground = generateShapes({ ...opts, distractors: 9 });
    expect(background.masks.every((v) => v === 0)).toBe(true);
    expect(otherBackground.masks).toEqual(withObject.masks);
    let masked = 0;
    let changedInside = 0;
    for (let p = 0; p < withObject.count * 1024; p++) {
      const inMask = withObject.masks[p] === 1;
      for (let c = 0; c < 3; c++) {
        const v = withObject.images[p * 3 + c];
        // Outside the mask: untouched background. Inside: the object's own colour, whatever lies beneath.
        if (!inMask) expect(v).toBe(background.images[p * 3 + c]);
        else expect(v).toBe(otherBackground.images[p * 3 + c]);
      }
      if (inMask) {
        masked++;
        if ([0, 1, 2].some((c) => withObject.images[p * 3 + c] !== background.images[p * 3 + c])) changedInside++;
      }
    }
    expect(masked).toBeGreaterThan(0);
    expect(changedInside / masked).toBeGreaterThan(0.95);
  });

  it('applies the texture shortcut: bias 1 → home texture; avoid-home → never', () => {
    const home = generateShapes({ count: 100, seed: 2, textureBias: 1 });
    for (let i = 0; i < home.count; i++) expect(home.textures[i]).toBe(home.labels[i]);
    const avoid = generateShapes({ count: 100, seed: 2, textureRule: 'avoid-home' });
    for (let i = 0; i < avoid.count; i++) expect(avoid.textures[i]).not.toBe(avoid.labels[i]);
    const free = generateShapes({ count: 300, seed: 2, textureBias: 0 });
    let same = 0;
    for (let i = 0; i < free.count; i++) if (free.textures[i] === free.labels[i]) same++;
    expect(same / free.count).toBeLessThan(0.35);
  });

  it('dark-on-light: the object is darker than the background texture in every image; pose, mask and label unchanged', () => {
    const opts = { count: 60, seed: 12, classes: 4, textureContrast: 0.3, distractors: 0 };
    const any = generateShapes(opts);
    const tone = generateShapes({ ...opts, objectTone: 'dark-on-light' });
    expect(Array.from(tone.masks)).toEqual(Array.from(any.masks));
    expect(Array.from(tone.labels)).toEqual(Array.from(any.labels));
    const value = (img: Uint8Array, p: number) => luminance([img[3 * p] / 255, img[3 * p + 1] / 255, img[3 * p + 2] / 255]);
    let lighterObjects = 0;
    for (let i = 0; i < opts.count; i++) {
      let objMax = 0;
      let bgMin = 1;
      let anyObj = 0;
      let anyBg = 0;
      let nObj = 0;
      for (let p = i * 1024; p < (i + 1) * 1024; p++) {
        if (tone.masks[p]) {
          objMax = Math.max(objMax, value(tone.images, p));
          anyObj += value(any.images, p);
          nObj++;
        } else {
          bgMin = Math.min(bgMin, value(tone.images, p));
          anyBg += value(any.images, p);
        }
      }
      // Luminance ≤ 0.3 (+ the object's ±0.04 noise, rounding) against ≥ 0.6 (− the background's ±0.015).
      expect(objMax).toBeLessThan(0.35);
      expect(bgMin).toBeGreaterThan(0.58);
      if (anyObj / nObj > anyBg / (1024 - nObj)) lighterObjects++;
    }
    // The default draws lighter and darker objects alike: the tone is what makes the direction fixed.
    expect(lighterObjects).toBeGreaterThan(5);
  });

  it('shapes are what their names say', () => {
    expect(insideShape('circle', 0, 0.99, 1)).toBe(true);
    expect(insideShape('circle', 0.8, 0.8, 1)).toBe(false);
    expect(insideShape('ring', 0, 0, 1)).toBe(false);
    expect(insideShape('ring', 0.8, 0, 1)).toBe(true);
    expect(insideShape('cross', 0.9, 0, 1)).toBe(true);
    expect(insideShape('cross', 0.6, 0.6, 1)).toBe(false);
    expect(insideShape('square', 0.7, 0.7, 1)).toBe(true);
    expect(insideShape('rhombus', 0, 0.6, 1)).toBe(false);
    // Triangle: centroid inside, a vertex direction far out is outside, the opposite edge at r/2.
    expect(insideShape('triangle', 0, 0, 1)).toBe(true);
    expect(insideShape('triangle', 0, 0.49, 1)).toBe(true);
    expect(insideShape('triangle', 0, 0.51, 1)).toBe(false);
  });

  it('subset copies the chosen images with their masks and labels', () => {
    const s = generateShapes({ count: 10, seed: 5 });
    const t = subset(s, [7, 2]);
    expect(t.count).toBe(2);
    expect(t.labels[0]).toBe(s.labels[7]);
    expect(t.masks.subarray(1024, 2048)).toEqual(s.masks.subarray(2 * 1024, 3 * 1024));
  });
});
