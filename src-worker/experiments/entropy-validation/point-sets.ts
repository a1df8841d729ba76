/**
 * Seeded point-set families for the entropy validation, from strongly structured to convex position. Every
 * set is normalised to the box [−1, 1]² (centred on its bounding box, scaled by half its larger side) so that
 * α and τ mean the same thing across sets.
 *
 *   clusters     c ∈ {2, 4, 8, 16, 32, 64} tight clusters (σ = 0.01) at uniform centres, uniform labels
 *   mixture      3 Gaussians (weights 0.5/0.3/0.2) with σ ∈ {0.03, 0.08, 0.15, 0.3, 0.5, 0.8}
 *   contraction  uniform disk whose interior is contracted towards the centre by λ ∈ {0.05, 0.2, 0.4, 0.6, 0.8,
 *                0.95}, with a fixed frame of 12 points on the unit circle keeping the hull
 *   uniform      uniform square, uniform disk, standard Gaussian (cycled)
 *   convex       annulus 1 − w ≤ r ≤ 1 with w ∈ {0, 0.02, 0.1, 0.3, 0.6, 1}; w = 0 is convex position
 */
import type { Rng } from '../../entropy/random';
import type { PointSetFamily } from './config';

const CLUSTER_COUNTS = [2, 4, 8, 16, 32, 64];
const MIXTURE_SIGMAS = [0.03, 0.08, 0.15, 0.3, 0.5, 0.8];
const CONTRACTIONS = [0.05, 0.2, 0.4, 0.6, 0.8, 0.95];
const UNIFORM_KINDS = ['square', 'disk', 'gaussian'] as const;
const ANNULUS_WIDTHS = [0, 0.02, 0.1, 0.3, 0.6, 1];

/** Human-readable parameter of a family's variant (for logs and the summary). */
export function variantLabel(family: PointSetFamily, variant: number): string {
  switch (family) {
    case 'clusters':
      return `${CLUSTER_COUNTS[variant]} clusters`;
    case 'mixture':
      return `σ = ${MIXTURE_SIGMAS[variant]}`;
    case 'contraction':
      return `λ = ${CONTRACTIONS[variant]}`;
    case 'uniform':
      return UNIFORM_KINDS[variant % 3];
    case 'convex':
      return `annulus width ${ANNULUS_WIDTHS[variant]}`;
  }
}

function normalise(points: Float64Array): Float64Array {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < points.length; i += 2) {
    minX = Math.min(minX, points[i]);
    maxX = Math.max(maxX, points[i]);
    minY = Math.min(minY, points[i + 1]);
    maxY = Math.max(maxY, points[i + 1]);
  }
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const half = Math.max(maxX - minX, maxY - minY) / 2 || 1;
  const out = new Float64Array(points.length);
  for (let i = 0; i < points.length; i += 2) {
    out[i] = (points[i] - cx) / half;
    out[i + 1] = (points[i + 1] - cy) / half;
  }
  return out;
}

function diskPoint(rng: Rng, out: Float64Array, i: number, radius = 1): void {
  const r = radius * Math.sqrt(rng.next());
  const t = 2 * Math.PI * rng.next();
  out[2 * i] = r * Math.cos(t);
  out[2 * i + 1] = r * Math.sin(t);
}

/** n points of a family's variant (0 … 5), normalised to [−1, 1]². */
export function generatePointSet(family: PointSetFamily, variant: number, n: number, rng: Rng): Float64Array {
  const v = Math.max(0, Math.min(5, variant));
  const pts = new Float64Array(2 * n);
  switch (family) {
    case 'clusters': {
      const c = CLUSTER_COUNTS[v];
      const centres = Float64Array.from({ length: 2 * c }, () => 2 * rng.next() - 1);
      for (let i = 0; i < n; i++) {
        const j = rng.int(c);
        pts[2 * i] = centres[2 * j] + 0.01 * rng.normal();
        pts[2 * i + 1] = centres[2 * j + 1] + 0.01 * rng.normal();
      }
      break;
    }
    case 'mixture': {
      const sigma = MIXTURE_SIGMAS[v];
      const centres = [
        [-0.6, -0.4],
        [0.6, -0.3],
        [0, 0.6],
      ];
      for (let i = 0; i < n; i++) {
        const u = rng.next();
        const [cx, cy] = centres[u < 0.5 ? 0 : u < 0.8 ? 1 : 2];
        pts[2 * i] = cx + sigma * rng.normal();
        pts[2 * i + 1] = cy + sigma * rng.normal();
      }
      break;
    }
    case 'contraction': {
      const lambda = CONTRACTIONS[v];
      const frame = Math.min(12, n);
      for (let i = 0; i < frame; i++) {
        pts[2 * i] = Math.cos((2 * Math.PI * i) / frame);
        pts[2 * i + 1] = Math.sin((2 * Math.PI * i) / frame);
      }
      for (let i = frame; i < n; i++) diskPoint(rng, pts, i, lambda);
      break;
    }
    case 'uniform': {
      const kind = UNIFORM_KINDS[v % 3];
      for (let i = 0; i < n; i++) {
        if (kind === 'square') {
          pts[2 * i] = 2 * rng.next() - 1;
          pts[2 * i + 1] = 2 * rng.next() - 1;
        } else if (kind === 'disk') diskPoint(rng, pts, i);
        else {
          pts[2 * i] = rng.normal();
          pts[2 * i + 1] = rng.normal();
        }
      }
      break;
    }
    case 'convex': {
      const w = ANNULUS_WIDTHS[v];
      for (let i = 0; i < n; i++) {
        // Area-uniform radius in [1 − w, 1]; w = 0 puts every point on the circle.
        const r = Math.sqrt((1 - w) ** 2 + (1 - (1 - w) ** 2) * rng.next());
        const t = 2 * Math.PI * rng.next();
        pts[2 * i] = r * Math.cos(t);
        pts[2 * i + 1] = r * Math.sin(t);
      }
      break;
    }
  }
  return normalise(pts);
}
