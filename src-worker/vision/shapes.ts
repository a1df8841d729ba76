/**
 * "Objects on texture": a seeded procedural image set with exact masks.
 *
 * Each image is size×size RGB (HWC bytes) with one object whose class is its shape, drawn over a textured
 * background with a few small distractor fragments. The object is rasterised by a point-in-shape test at
 * each pixel centre with no anti-aliasing, so the stored mask is exactly the set of object pixels: every
 * pixel the object colours, and no other.
 *
 * Shortcut option (for OOD tests, App. H.7): each class has its own "home" texture (class c ↔ texture c).
 * With `textureBias` p, an image takes its class's home texture with probability p and a uniformly random
 * texture otherwise; `textureRule: 'avoid-home'` instead never uses the home texture (the shortcut then
 * always points at a wrong class). Train with p > 0, test with p = 0 or 'avoid-home' to measure how much a
 * model relied on texture rather than shape.
 *
 * Image i depends only on (seed, i): generating 100 or 10,000 images gives the same first 100.
 */
import { createRng, type Rng } from '../entropy/random';

export const SHAPE_CLASSES = ['circle', 'square', 'triangle', 'cross', 'ring', 'rhombus'] as const;
export type ShapeClass = (typeof SHAPE_CLASSES)[number];

export const TEXTURES = ['stripes', 'checker', 'dots', 'noise', 'rings', 'plaid'] as const;
export type TextureName = (typeof TEXTURES)[number];

export interface ShapesOptions {
  count: number;
  seed: number;
  /** Image side in pixels (default 32). */
  size?: number;
  /** Number of shape classes, the first `classes` of SHAPE_CLASSES (2–6, default 4). */
  classes?: number;
  /** Probability that an image takes its class's home texture (0 = texture independent of label). */
  textureBias?: number;
  /** 'bias' (default): home texture with probability textureBias; 'avoid-home': never the home texture. */
  textureRule?: 'bias' | 'avoid-home';
  /** Object circumradius range in pixels (default [6, 11] at size 32, scaled with size). */
  radius?: [number, number];
  /** Small distractor strokes and blobs per image, under the object (default 3). */
  distractors?: number;
  /** Contrast of the background texture in [0, 1]: the two texture colours are pulled towards their mean
   * (default 1 = full contrast; lower values make the object stand out more). */
  textureContrast?: number;
  /** 'any' (default): object and background colours drawn from the whole HSV range (the object differs from
   * both texture colours by a colour distance, lighter or darker). 'dark-on-light': background colours of
   * luminance 0.6–0.95, object colours of luminance 0.05–0.3, any hue, so the object is darker than its
   * surroundings in every image (distractors keep any colour). */
  objectTone?: 'any' | 'dark-on-light';
  /** false renders the background alone (same background, empty masks): the tests' oracle. */
  drawObject?: boolean;
  /** Texture-swap check: image i keeps its label and object but takes the background (texture, colours,
   * distractors) of image i of the set with this seed. Unset: its own background. */
  backgroundSeed?: number | null;
}

export interface ImageSet {
  count: number;
  size: number;
  channels: 3;
  /** [count, size, size, 3] RGB bytes, row-major. */
  images: Uint8Array;
  /** [count, size, size], 1 = object pixel. */
  masks: Uint8Array;
  /** Class index per image (into classNames). */
  labels: Uint8Array;
  /** Background texture index per image (into textureNames). */
  textures: Uint8Array;
  classNames: string[];
  textureNames: string[];
}

/** A 32-bit mix of two integers (for per-image seeds). */
export function hash2(a: number, b: number): number {
  let h = Math.imul((a | 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul((b | 0) + 0x7f4a7c15, 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  h ^= h >>> 15;
  return h >>> 0;
}

type Rgb = [number, number, number];

function hsv(h: number, s: number, v: number): Rgb {
  const i = Math.floor(h * 6);
  const f = h * 6 - i;
  const p = v * (1 - s);
  const q = v * (1 - f * s);
  const t = v * (1 - (1 - f) * s);
  switch (i % 6) {
    case 0:
      return [v, t, p];
    case 1:
      return [q, v, p];
    case 2:
      return [p, v, t];
    case 3:
      return [p, q, v];
    case 4:
      return [t, p, v];
    default:
      return [v, p, q];
  }
}

function randomColour(rng: Rng): Rgb {
  return hsv(rng.next(), 0.25 + 0.75 * rng.next(), 0.2 + 0.8 * rng.next());
}

/** Relative luminance (Rec. 601 weights); linear in RGB, so every mix of two colours lies between theirs. */
export function luminance(c: Rgb): number {
  return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
}

/**
 * A random hue and saturation at a luminance drawn from [lo, hi]: the colour is scaled down to it, or mixed
 * towards white up to it. Both keep luminance linear, so the bound holds for any blend of such colours.
 */
function toneColour(rng: Rng, lo: number, hi: number): Rgb {
  const c = hsv(rng.next(), 0.25 + 0.75 * rng.next(), 0.3 + 0.7 * rng.next());
  const target = lo + (hi - lo) * rng.next();
  const y = luminance(c);
  if (y >= target) return [c[0] * (target / y), c[1] * (target / y), c[2] * (target / y)];
  const u = (target - y) / (1 - y);
  return [c[0] + (1 - c[0]) * u, c[1] + (1 - c[1]) * u, c[2] + (1 - c[2]) * u];
}

function dist(a: Rgb, b: Rgb): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/**
 * Point-in-shape at local coordinates (u, v) (already translated and rotated), circumradius r.
 *   square: |u|, |v| ≤ 0.75r      cross: two 0.3r-wide bars of half-length r     ring: 0.55r ≤ ‖(u,v)‖ ≤ r
 *   triangle: equilateral, vertices at distance r (three half-planes u·n_k ≤ r/2)
 *   rhombus: |u|/r + |v|/(0.55r) ≤ 1 (elongated, so no rotation of it is a square)
 */
export function insideShape(shape: ShapeClass, u: number, v: number, r: number): boolean {
  switch (shape) {
    case 'circle':
      return u * u + v * v <= r * r;
    case 'square':
      return Math.abs(u) <= 0.75 * r && Math.abs(v) <= 0.75 * r;
    case 'triangle': {
      // Inward half-planes of an equilateral triangle with circumradius r: n_k·(u, v) ≤ r/2 for the three
      // edge normals n_k at angles 90°, 210°, 330°.
      for (let k = 0; k < 3; k++) {
        const a = Math.PI / 2 + (2 * Math.PI * k) / 3;
        if (u * Math.cos(a) + v * Math.sin(a) > r / 2) return false;
      }
      return true;
    }
    case 'cross': {
      const w = 0.3 * r;
      return (Math.abs(u) <= w && Math.abs(v) <= r) || (Math.abs(v) <= w && Math.abs(u) <= r);
    }
    case 'ring': {
      const d2 = u * u + v * v;
      return d2 <= r * r && d2 >= 0.55 * 0.55 * r * r;
    }
    case 'rhombus':
      return Math.abs(u) / r + Math.abs(v) / (0.55 * r) <= 1;
  }
}

/** Background pattern value t(x, y) ∈ [0, 1] of one texture instance. */
function texturePattern(kind: TextureName, rng: Rng, size: number): (x: number, y: number) => number {
  switch (kind) {
    case 'stripes': {
      const phi = rng.next() * Math.PI;
      const period = 3 + rng.next() * 4;
      const phase = rng.next() * period;
      const c = Math.cos(phi);
      const s = Math.sin(phi);
      return (x, y) => (((x * c + y * s + phase) % period) + period) % period < period / 2 ? 1 : 0;
    }
    case 'checker': {
      const cell = 2 + rng.int(4);
      const ox = rng.int(cell);
      const oy = rng.int(cell);
      return (x, y) => ((Math.floor((x + ox) / cell) + Math.floor((y + oy) / cell)) & 1 ? 1 : 0);
    }
    case 'dots': {
      const spacing = 4 + rng.int(4);
      const rad = 0.8 + rng.next() * 1.2;
      const ox = rng.next() * spacing;
      const oy = rng.next() * spacing;
      return (x, y) => {
        const dx = ((((x + ox) % spacing) + spacing) % spacing) - spacing / 2;
        const dy = ((((y + oy) % spacing) + spacing) % spacing) - spacing / 2;
        return dx * dx + dy * dy <= rad * rad ? 1 : 0;
      };
    }
    case 'noise': {
      // Value noise: a random lattice, bilinearly interpolated.
      const g = 3 + rng.int(4);
      const lattice = new Float64Array((g + 1) * (g + 1));
      for (let i = 0; i < lattice.length; i++) lattice[i] = rng.next();
      const step = size / g;
      return (x, y) => {
        const fx = x / step;
        const fy = y / step;
        const ix = Math.min(g - 1, Math.floor(fx));
        const iy = Math.min(g - 1, Math.floor(fy));
        const tx = fx - ix;
        const ty = fy - iy;
        const a = lattice[iy * (g + 1) + ix];
        const b = lattice[iy * (g + 1) + ix + 1];
        const c = lattice[(iy + 1) * (g + 1) + ix];
        const d = lattice[(iy + 1) * (g + 1) + ix + 1];
        return (a * (1 - tx) + b * tx) * (1 - ty) + (c * (1 - tx) + d * tx) * ty;
      };
    }
    case 'rings': {
      const cx = rng.next() * size;
      const cy = rng.next() * size;
      const period = 3 + rng.next() * 4;
      return (x, y) => 0.5 + 0.5 * Math.sin((2 * Math.PI * Math.hypot(x - cx, y - cy)) / period);
    }
    case 'plaid': {
      const p1 = 3 + rng.next() * 5;
      const p2 = 3 + rng.next() * 5;
      const a = rng.next() * Math.PI;
      return (x, y) => {
        const u = x * Math.cos(a) + y * Math.sin(a);
        const v = -x * Math.sin(a) + y * Math.cos(a);
        return 0.25 * (2 + Math.sin((2 * Math.PI * u) / p1) + Math.sin((2 * Math.PI * v) / p2));
      };
    }
  }
}

function putPixel(img: Uint8Array, base: number, c: Rgb, jitter: number): void {
  img[base] = Math.round(255 * Math.min(1, Math.max(0, c[0] + jitter)));
  img[base + 1] = Math.round(255 * Math.min(1, Math.max(0, c[1] + jitter)));
  img[base + 2] = Math.round(255 * Math.min(1, Math.max(0, c[2] + jitter)));
}

/** An image's label and its background texture index, drawn in this order from its label stream. */
function labelAndTexture(rng: Rng, nClasses: number, nTextures: number, opts: Required<ShapesOptions>): { label: number; texture: number } {
  const label = rng.int(nClasses);
  let texture: number;
  if (opts.textureRule === 'avoid-home') {
    texture = rng.int(nTextures - 1);
    if (texture >= label) texture++;
  } else {
    texture = rng.next() < opts.textureBias ? label : rng.int(nTextures);
  }
  return { label, texture };
}

/**
 * Draws image `index` of the set. Four independent streams from the image's seed: label and texture,
 * background (colours, pattern, noise, distractors), object (size, pose, noise) and object colour, so
 * changing the distractors or leaving the object out changes nothing else, and a different background
 * (texture swap, flat background) keeps the object's pose and mask: only its colour is redrawn where it
 * would clash with the new background.
 */
function drawOne(set: ImageSet, index: number, opts: Required<ShapesOptions>, imageSeed: number): void {
  const { size } = set;
  const ob = createRng(hash2(imageSeed, 1));
  const oc = createRng(hash2(imageSeed, 3));
  const nClasses = set.classNames.length;
  const nTextures = set.textureNames.length;
  const { label } = labelAndTexture(createRng(hash2(imageSeed, 0)), nClasses, nTextures, opts);
  // The background's seed: this image's, or (texture swap) image `index` of another set's, texture included.
  const bgSeed = opts.backgroundSeed === null ? imageSeed : hash2(opts.backgroundSeed, index);
  const { texture } = labelAndTexture(createRng(hash2(bgSeed, 0)), nClasses, nTextures, opts);
  const bg = createRng(hash2(bgSeed, 2));
  set.labels[index] = label;
  set.textures[index] = texture;

  const darkOnLight = opts.objectTone === 'dark-on-light';
  const backgroundColour = (): Rgb => (darkOnLight ? toneColour(bg, 0.6, 0.95) : randomColour(bg));
  const objectColour = (): Rgb => (darkOnLight ? toneColour(oc, 0.05, 0.3) : randomColour(oc));
  const c1raw = backgroundColour();
  let c2raw = backgroundColour();
  for (let tries = 0; tries < 20 && dist(c1raw, c2raw) < 0.25; tries++) c2raw = backgroundColour();
  const half = opts.textureContrast / 2;
  const mid: Rgb = [(c1raw[0] + c2raw[0]) / 2, (c1raw[1] + c2raw[1]) / 2, (c1raw[2] + c2raw[2]) / 2];
  const c1: Rgb = [mid[0] + (c1raw[0] - mid[0]) * 2 * half, mid[1] + (c1raw[1] - mid[1]) * 2 * half, mid[2] + (c1raw[2] - mid[2]) * 2 * half];
  const c2: Rgb = [mid[0] + (c2raw[0] - mid[0]) * 2 * half, mid[1] + (c2raw[1] - mid[1]) * 2 * half, mid[2] + (c2raw[2] - mid[2]) * 2 * half];
  let obj = objectColour();
  for (let tries = 0; tries < 50 && (dist(obj, c1) < 0.35 || dist(obj, c2) < 0.35); tries++) obj = objectColour();
  const pattern = texturePattern(set.textureNames[texture] as TextureName, bg, size);

  const img = set.images;
  const px0 = index * size * size;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const t = pattern(x + 0.5, y + 0.5);
      const c: Rgb = [c1[0] + (c2[0] - c1[0]) * t, c1[1] + (c2[1] - c1[1]) * t, c1[2] + (c2[2] - c1[2]) * t];
      putPixel(img, (px0 + y * size + x) * 3, c, 0.03 * (bg.next() - 0.5));
    }
  }

  // Distractors: short strokes and small blobs; none of them is a shape of any class.
  for (let d = 0; d < opts.distractors; d++) {
    const col = randomColour(bg);
    const x0 = bg.next() * size;
    const y0 = bg.next() * size;
    if (bg.next() < 0.5) {
      const a = bg.next() * Math.PI;
      const len = 3 + bg.next() * 4;
      for (let s = 0; s <= len; s += 0.5) {
        const x = Math.floor(x0 + s * Math.cos(a));
        const y = Math.floor(y0 + s * Math.sin(a));
        if (x >= 0 && y >= 0 && x < size && y < size) putPixel(img, (px0 + y * size + x) * 3, col, 0);
      }
    } else {
      const rad = 1 + bg.next();
      for (let y = Math.max(0, Math.floor(y0 - rad)); y < Math.min(size, Math.ceil(y0 + rad)); y++) {
        for (let x = Math.max(0, Math.floor(x0 - rad)); x < Math.min(size, Math.ceil(x0 + rad)); x++) {
          if ((x + 0.5 - x0) ** 2 + (y + 0.5 - y0) ** 2 <= rad * rad) putPixel(img, (px0 + y * size + x) * 3, col, 0);
        }
      }
    }
  }

  if (!opts.drawObject) return;
  const shape = set.classNames[label] as ShapeClass;
  const [rMin, rMax] = opts.radius;
  const r = rMin + (rMax - rMin) * ob.next();
  const cx = r + ob.next() * (size - 2 * r);
  const cy = r + ob.next() * (size - 2 * r);
  const theta = ob.next() * 2 * Math.PI;
  const ct = Math.cos(theta);
  const st = Math.sin(theta);
  const mask = set.masks;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = x + 0.5 - cx;
      const dy = y + 0.5 - cy;
      const u = dx * ct + dy * st;
      const v = -dx * st + dy * ct;
      if (insideShape(shape, u, v, r)) {
        mask[px0 + y * size + x] = 1;
        putPixel(img, (px0 + y * size + x) * 3, obj, 0.08 * (ob.next() - 0.5));
      }
    }
  }
}

/** Generates a set (see the module comment). */
export function generateShapes(options: ShapesOptions): ImageSet {
  const size = options.size ?? 32;
  const classes = options.classes ?? 4;
  if (!(classes >= 2 && classes <= SHAPE_CLASSES.length)) throw new RangeError(`classes must be in 2..${SHAPE_CLASSES.length}`);
  const scale = size / 32;
  const opts: Required<ShapesOptions> = {
    count: options.count,
    seed: options.seed,
    size,
    classes,
    textureBias: options.textureBias ?? 0,
    textureRule: options.textureRule ?? 'bias',
    radius: options.radius ?? [6 * scale, 11 * scale],
    distractors: options.distractors ?? 3,
    textureContrast: options.textureContrast ?? 1,
    objectTone: options.objectTone ?? 'any',
    drawObject: options.drawObject ?? true,
    backgroundSeed: options.backgroundSeed ?? null,
  };
  const n = opts.count;
  const set: ImageSet = {
    count: n,
    size,
    channels: 3,
    images: new Uint8Array(n * size * size * 3),
    masks: new Uint8Array(n * size * size),
    labels: new Uint8Array(n),
    textures: new Uint8Array(n),
    classNames: SHAPE_CLASSES.slice(0, classes),
    textureNames: [...TEXTURES],
  };
  for (let i = 0; i < n; i++) drawOne(set, i, opts, hash2(opts.seed, i));
  return set;
}

/** Pixel area of each image's object as a fraction of the image. */
export function objectAreas(set: Pick<ImageSet, 'count' | 'size' | 'masks'>): Float64Array {
  const px = set.size * set.size;
  const out = new Float64Array(set.count);
  for (let i = 0; i < set.count; i++) {
    let s = 0;
    for (let j = 0; j < px; j++) s += set.masks[i * px + j];
    out[i] = s / px;
  }
  return out;
}

/** A sub-set view copied out (images, masks, labels, textures of the given indices). */
export function subset(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const px = set.size * set.size;
  const n = indices.length;
  const out: ImageSet = {
    ...set,
    count: n,
    images: new Uint8Array(n * px * 3),
    masks: new Uint8Array(n * px),
    labels: new Uint8Array(n),
    textures: new Uint8Array(n),
  };
  for (let j = 0; j < n; j++) {
    const i = indices[j];
    out.images.set(set.images.subarray(i * px * 3, (i + 1) * px * 3), j * px * 3);
    out.masks.set(set.masks.subarray(i * px, (i + 1) * px), j * px);
    out.labels[j] = set.labels[i];
    out.textures[j] = set.textures[i];
  }
  return out;
}
