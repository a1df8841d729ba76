import { describe, expect, it } from 'vitest';
import { alphaCosine, initAnchorsKMeansPP, initAnchorsRandom, kDefault, kElbow, kForAttention, kMeans } from '../../../../src-worker/entropy/anchors';
import { createRng, sampleIndices } from '../../../../src-worker/entropy/random';

function blobs(centers: number[][], perBlob: number, spread: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const out: number[] = [];
  for (const [cx, cy] of centers) for (let i = 0; i < perBlob; i++) out.push(cx + spread * rng.normal(), cy + spread * rng.normal());
  return Float64Array.from(out);
}

describe('random', () => {
  it('is reproducible from the seed and roughly uniform', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 10_000 }, () => a.next());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b.next()));
    const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(xs.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(createRng(1).next()).not.toBe(createRng(2).next());
    const counts = new Array<number>(7).fill(0);
    const r = createRng(3);
    for (let i = 0; i < 70_000; i++) counts[r.int(7)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });

  it('samples distinct indices', () => {
    const idx = sampleIndices(100, 100, createRng(1));
    expect(new Set(idx).size).toBe(100);
    expect(() => sampleIndices(3, 4, createRng(1))).toThrow();
  });
});

describe('anchor initialisation and k heuristics', () => {
  const centers = [
    [0, 0],
    [5, 0],
    [0, 5],
    [5, 5],
  ];
  const pts = blobs(centers, 50, 0.2, 7);

  it('random subset picks k distinct data points; k-means++ is seeded', () => {
    const a = initAnchorsRandom(pts, 6, createRng(1));
    const keys = new Set<string>();
    for (let j = 0; j < 6; j++) keys.add(`${a[2 * j]},${a[2 * j + 1]}`);
    expect(keys.size).toBe(6);
    expect(Array.from(initAnchorsKMeansPP(pts, 4, createRng(9)))).toEqual(Array.from(initAnchorsKMeansPP(pts, 4, createRng(9))));
  });

  it('k-means++ seeds land in distinct well-separated blobs', () => {
    let hits = 0;
    for (let seed = 0; seed < 20; seed++) {
      const a = initAnchorsKMeansPP(pts, 4, createRng(seed));
      const blobsHit = new Set<number>();
      for (let j = 0; j < 4; j++) blobsHit.add(Math.round(a[2 * j] / 5) * 2 + Math.round(a[2 * j + 1] / 5));
      if (blobsHit.size === 4) hits++;
    }
    expect(hits).toBeGreaterThanOrEqual(17);
  });

  it('k-means recovers the blob centres and the elbow finds 4', () => {
    const km = kMeans(pts, 4, createRng(2));
    const found = Array.from({ length: 4 }, (_, j) => [km.centers[2 * j], km.centers[2 * j + 1]]);
    for (const [cx, cy] of centers) expect(Math.min(...found.map(([x, y]) => Math.hypot(x - cx, y - cy)))).toBeLessThan(0.15);
    expect(kElbow(pts, 10, createRng(3)).k).toBe(4);
  });

  it('k defaults: min(16, ⌊n/4⌋) and ⌊√N⌋', () => {
    expect(kDefault(1000)).toBe(16);
    expect(kDefault(40)).toBe(10);
    expect(kDefault(3)).toBe(1);
    expect(kForAttention(197)).toBe(14);
  });

  it('α schedule: cosine from 10 to 5 over the first half, then flat', () => {
    expect(alphaCosine(0, 100)).toBe(10);
    expect(alphaCosine(25, 100)).toBeCloseTo(7.5, 12);
    expect(alphaCosine(50, 100)).toBeCloseTo(5, 12);
    expect(alphaCosine(90, 100)).toBe(5);
    for (let t = 1; t <= 50; t++) expect(alphaCosine(t, 100)).toBeLessThanOrEqual(alphaCosine(t - 1, 100));
  });
});
