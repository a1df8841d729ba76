/**
 * A corruption suite in the manner of CIFAR-10-C (Hendrycks & Dietterich 2019), re-implemented for
 * [n, size, size, 3] RGB bytes: Gaussian noise, shot noise, Gaussian blur, contrast, brightness, pixelate and
 * JPEG-like quantisation, each at severities 1–5. Severity parameters follow the CIFAR-10-C generation
 * script (`make_cifar_c.py`); the code is ours, so the images are analogues, not the released files.
 *
 * Deterministic: a noisy corruption of image i draws from a generator seeded by (seed, corruption,
 * severity, i), so a subset or a re-run corrupts each image identically.
 */
import { createRng, type Rng } from '../entropy/random';
import { hash2 } from './shapes';

export const CORRUPTIONS = ['gaussian_noise', 'shot_noise', 'gaussian_blur', 'contrast', 'brightness', 'pixelate', 'jpeg'] as const;
export type CorruptionName = (typeof CORRUPTIONS)[number];
export const SEVERITIES = [1, 2, 3, 4, 5] as const;

/** Per-corruption parameter at severities 1..5 (CIFAR-10-C values). */
export const SEVERITY_PARAMS: Record<CorruptionName, readonly number[]> = {
  gaussian_noise: [0.04, 0.06, 0.08, 0.09, 0.1], // σ on the [0, 1] scale
  shot_noise: [500, 250, 100, 75, 50], // photons per unit intensity: x ← Poisson(x·c)/c
  gaussian_blur: [0.4, 0.6, 0.7, 0.8, 1], // σ in pixels
  contrast: [0.75, 0.5, 0.4, 0.3, 0.15], // x ← (x − mean)·c + mean
  brightness: [0.05, 0.1, 0.15, 0.2, 0.3], // V ← min(1, V + c) in HSV
  pixelate: [0.95, 0.9, 0.85, 0.75, 0.65], // box-downsample to ⌊c·size⌋, upsample nearest
  jpeg: [80, 65, 58, 50, 40], // IJG quality of the quantisation tables
};

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);
const toByte = (x: number): number => Math.round(255 * clamp01(x));

/** Poisson deviate: Knuth's product method for small means, a rounded normal (mean, √mean) above 30. */
function poisson(mean: number, rng: Rng): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}

function gaussianKernel(sigma: number): Float64Array {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float64Array(2 * radius + 1);
  let s = 0;
  for (let i = -radius; i <= radius; i++) s += k[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i] /= s;
  return k;
}

/** Separable blur of one HWC float image, edges clamped ('nearest'). */
function blur(img: Float64Array, size: number, sigma: number): Float64Array {
  const k = gaussianKernel(sigma);
  const r = (k.length - 1) / 2;
  const tmp = new Float64Array(img.length);
  const out = new Float64Array(img.length);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let t = -r; t <= r; t++) {
          const xx = Math.min(size - 1, Math.max(0, x + t));
          s += k[t + r] * img[(y * size + xx) * 3 + c];
        }
        tmp[(y * size + x) * 3 + c] = s;
      }
    }
  }
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let t = -r; t <= r; t++) {
          const yy = Math.min(size - 1, Math.max(0, y + t));
          s += k[t + r] * tmp[(yy * size + x) * 3 + c];
        }
        out[(y * size + x) * 3 + c] = s;
      }
    }
  }
  return out;
}

/** Area-average downsampling of an HWC image from `size` to `small` (exact fractional box overlaps). */
function boxDownsample(img: Float64Array, size: number, small: number): Float64Array {
  const out = new Float64Array(small * small * 3);
  const scale = size / small;
  for (let sy = 0; sy < small; sy++) {
    const y0 = sy * scale;
    const y1 = y0 + scale;
    for (let sx = 0; sx < small; sx++) {
      const x0 = sx * scale;
      const x1 = x0 + scale;
      const acc = [0, 0, 0];
      for (let y = Math.floor(y0); y < Math.ceil(y1); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < Math.ceil(x1); x++) {
          const w = wy * (Math.min(x + 1, x1) - Math.max(x, x0));
          for (let c = 0; c < 3; c++) acc[c] += w * img[(y * size + x) * 3 + c];
        }
      }
      for (let c = 0; c < 3; c++) out[(sy * small + sx) * 3 + c] = acc[c] / (scale * scale);
    }
  }
  return out;
}

const JPEG_LUMA = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22,
  37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const JPEG_CHROMA = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
];

/** IJG quality scaling of a base quantisation table. */
export function jpegTable(base: readonly number[], quality: number): Float64Array {
  const q = Math.min(100, Math.max(1, quality));
  const s = q < 50 ? 5000 / q : 200 - 2 * q;
  return Float64Array.from(base, (b) => Math.min(255, Math.max(1, Math.floor((b * s + 50) / 100))));
}

const DCT = (() => {
  const m = new Float64Array(64);
  for (let u = 0; u < 8; u++) {
    const a = u === 0 ? Math.sqrt(1 / 8) : Math.sqrt(2 / 8);
    for (let x = 0; x < 8; x++) m[u * 8 + x] = a * Math.cos(((2 * x + 1) * u * Math.PI) / 16);
  }
  return m;
})();

/**
 * JPEG-like quantisation: RGB → YCbCr (JFIF), level shift, 8×8 orthonormal DCT per channel, divide by the
 * quality-scaled table, round, multiply back, inverse DCT, → RGB. No chroma subsampling and no entropy
 * coding (neither changes what the quantiser removes beyond the 4:2:0 chroma blur). Edge blocks are padded
 * by clamping coordinates.
 */
function jpegLike(img: Float64Array, size: number, quality: number): Float64Array {
  const tables = [jpegTable(JPEG_LUMA, quality), jpegTable(JPEG_CHROMA, quality), jpegTable(JPEG_CHROMA, quality)];
  const ycc = new Float64Array(img.length);
  for (let i = 0; i < size * size; i++) {
    const r = img[i * 3] * 255;
    const g = img[i * 3 + 1] * 255;
    const b = img[i * 3 + 2] * 255;
    ycc[i * 3] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
    ycc[i * 3 + 1] = -0.168736 * r - 0.331264 * g + 0.5 * b;
    ycc[i * 3 + 2] = 0.5 * r - 0.418688 * g - 0.081312 * b;
  }
  const block = new Float64Array(64);
  const tmp = new Float64Array(64);
  const coef = new Float64Array(64);
  const blocks = Math.ceil(size / 8);
  for (let c = 0; c < 3; c++) {
    const table = tables[c];
    for (let by = 0; by < blocks; by++) {
      for (let bx = 0; bx < blocks; bx++) {
        for (let y = 0; y < 8; y++) {
          for (let x = 0; x < 8; x++) {
            const yy = Math.min(size - 1, by * 8 + y);
            const xx = Math.min(size - 1, bx * 8 + x);
            block[y * 8 + x] = ycc[(yy * size + xx) * 3 + c];
          }
        }
        // coef = D·block·Dᵀ, quantise, block = Dᵀ·coef·D.
        for (let u = 0; u < 8; u++) for (let x = 0; x < 8; x++) {
          let s = 0;
          for (let y = 0; y < 8; y++) s += DCT[u * 8 + y] * block[y * 8 + x];
          tmp[u * 8 + x] = s;
        }
        for (let u = 0; u < 8; u++) for (let v = 0; v < 8; v++) {
          let s = 0;
          for (let x = 0; x < 8; x++) s += tmp[u * 8 + x] * DCT[v * 8 + x];
          coef[u * 8 + v] = Math.round(s / table[u * 8 + v]) * table[u * 8 + v];
        }
        for (let y = 0; y < 8; y++) for (let v = 0; v < 8; v++) {
          let s = 0;
          for (let u = 0; u < 8; u++) s += DCT[u * 8 + y] * coef[u * 8 + v];
          tmp[y * 8 + v] = s;
        }
        for (let y = 0; y < 8; y++) {
          const yy = by * 8 + y;
          if (yy >= size) continue;
          for (let x = 0; x < 8; x++) {
            const xx = bx * 8 + x;
            if (xx >= size) continue;
            let s = 0;
            for (let v = 0; v < 8; v++) s += tmp[y * 8 + v] * DCT[v * 8 + x];
            ycc[(yy * size + xx) * 3 + c] = s;
          }
        }
      }
    }
  }
  const out = new Float64Array(img.length);
  for (let i = 0; i < size * size; i++) {
    const Y = ycc[i * 3] + 128;
    const cb = ycc[i * 3 + 1];
    const cr = ycc[i * 3 + 2];
    out[i * 3] = (Y + 1.402 * cr) / 255;
    out[i * 3 + 1] = (Y - 0.344136 * cb - 0.714136 * cr) / 255;
    out[i * 3 + 2] = (Y + 1.772 * cb) / 255;
  }
  return out;
}

/** One image (HWC floats in [0, 1]) through one corruption; `rng` is used by the noise corruptions only. */
export function corruptImage(img: Float64Array, size: number, name: CorruptionName, severity: number, rng: Rng): Float64Array {
  if (!(severity >= 1 && severity <= 5 && Number.isInteger(severity))) throw new RangeError(`severity must be 1..5 (got ${severity})`);
  const c = SEVERITY_PARAMS[name][severity - 1];
  switch (name) {
    case 'gaussian_noise':
      return img.map((x) => clamp01(x + c * rng.normal()));
    case 'shot_noise':
      return img.map((x) => clamp01(poisson(x * c, rng) / c));
    case 'gaussian_blur':
      return blur(img, size, c);
    case 'contrast': {
      let m = 0;
      for (let i = 0; i < img.length; i++) m += img[i];
      m /= img.length;
      return img.map((x) => clamp01((x - m) * c + m));
    }
    case 'brightness': {
      // V = max(r, g, b). Scaling (r, g, b) by V'/V keeps hue and saturation (both ratios of channel
      // differences to V), so this is exactly "V += c" in HSV.
      const out = new Float64Array(img.length);
      for (let i = 0; i < img.length; i += 3) {
        const v = Math.max(img[i], img[i + 1], img[i + 2]);
        const nv = Math.min(1, v + c);
        if (v <= 0) out[i] = out[i + 1] = out[i + 2] = nv;
        else for (let k = 0; k < 3; k++) out[i + k] = clamp01((img[i + k] * nv) / v);
      }
      return out;
    }
    case 'pixelate': {
      const small = Math.max(1, Math.floor(size * c));
      const down = boxDownsample(img, size, small);
      const out = new Float64Array(img.length);
      for (let y = 0; y < size; y++) {
        const sy = Math.min(small - 1, Math.floor((y * small) / size));
        for (let x = 0; x < size; x++) {
          const sx = Math.min(small - 1, Math.floor((x * small) / size));
          for (let k = 0; k < 3; k++) out[(y * size + x) * 3 + k] = down[(sy * small + sx) * 3 + k];
        }
      }
      return out;
    }
    case 'jpeg':
      return jpegLike(img, size, c).map(clamp01);
  }
}

/**
 * Corrupt `count` images of an [n, size, size, 3] byte set (starting at `first`) → new bytes.
 * Image i (absolute index first + j) always gets the same noise for the same (seed, name, severity).
 */
export function corruptImages(images: Uint8Array, size: number, name: CorruptionName, severity: number, seed: number, first = 0, count?: number): Uint8Array {
  const px = size * size * 3;
  const n = count ?? images.length / px - first;
  const out = new Uint8Array(n * px);
  const stream = hash2(hash2(seed, CORRUPTIONS.indexOf(name)), severity);
  const img = new Float64Array(px);
  for (let j = 0; j < n; j++) {
    const base = (first + j) * px;
    for (let k = 0; k < px; k++) img[k] = images[base + k] / 255;
    const res = corruptImage(img, size, name, severity, createRng(hash2(stream, first + j)));
    for (let k = 0; k < px; k++) out[j * px + k] = toByte(res[k]);
  }
  return out;
}
