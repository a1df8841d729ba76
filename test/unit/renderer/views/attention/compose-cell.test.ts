import { describe, expect, it } from 'vitest';
import { colorAt, composeCell, normalise } from '../../../../../src-renderer/src/views/attention/compose-cell';

describe('composeCell', () => {
  it('scales the image, blends the heatmap and outlines the truth', () => {
    const S = 4;
    const rgb = new Uint8Array(S * S * 3).fill(100);
    const plain = composeCell({ imageSize: S, patch: 2, scale: 3, rgb, heat: null, alpha: 0.5, colorMap: 'viridis', outline: 'none' });
    expect(plain.width).toBe(12);
    expect(plain.data.length).toBe(12 * 12 * 4);
    expect([...plain.data.slice(0, 4)]).toEqual([100, 100, 100, 255]);
    const heat = [0, 0, 0, 1];
    const blended = composeCell({ imageSize: S, patch: 2, scale: 3, rgb, heat, alpha: 1, colorMap: 'viridis', outline: 'none' });
    expect([...blended.data.slice(0, 3)]).toEqual(colorAt('viridis', 0));
    const last = (12 * 12 - 1) * 4;
    expect([...blended.data.slice(last, last + 3)]).toEqual(colorAt('viridis', 1));
    const outlined = composeCell({ imageSize: S, patch: 2, scale: 3, rgb, heat: null, alpha: 0, colorMap: 'inferno', outline: 'patch', patchTruth: [1, 0, 0, 0], outlineColor: [255, 0, 0] });
    // Top-left patch (pixels 0..5 at 3×) gets a red edge; the middle of it and the other patches stay grey.
    expect([...outlined.data.slice(0, 3)]).toEqual([255, 0, 0]);
    const px = (x: number, y: number) => [...outlined.data.slice((y * 12 + x) * 4, (y * 12 + x) * 4 + 3)];
    expect(px(5, 2)).toEqual([255, 0, 0]);
    expect(px(2, 2)).toEqual([100, 100, 100]);
    expect(px(8, 8)).toEqual([100, 100, 100]);
  });
});

describe('normalise', () => {
  it('maps the finite min to 0 and the max to 1, and non-finite or flat scores to 0', () => {
    expect(normalise([2, 4, 3])).toEqual([0, 1, 0.5]);
    expect(normalise([NaN, 1, 3, Infinity])).toEqual([0, 0, 1, 0]);
    expect(normalise([5, 5, 5])).toEqual([0, 0, 0]);
  });
});
