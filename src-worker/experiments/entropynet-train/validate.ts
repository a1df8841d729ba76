/**
 * Per-epoch validation of EntropyNet: the network in inference mode on held-out sets, then
 * surrogate and hard entropy (nats), their gap, the empirical margin γ̂ (App. H.3), the structural-entropy
 * upper bound of S′ (bits, entropy/structural.ts), hull error and Hausdorff distances against S.
 */
import * as tf from '../../models/tf';
import { regularizerEntropies } from '../../models/losses';
import { anchorMargins, empiricalMargin, nearestAnchorLabels, partitionEntropyNats, planeMargins, rectLabels, rectMargins, robustMargin, signPatternLabels } from '../../entropy/margin';
import type { RectParams64 } from '../../shared/surrogates-direct';
import { structuralTriangulationBound } from '../../entropy/structural';
import { convexHull } from '../../geometry/hull/index';
import { hausdorffBoundary, hausdorffPoints, hullErrorPercent, hullPolygon } from '../../geometry/metrics';
import type { EntropyNetTrainer, HullBatch, StepSchedule } from './trainer';

export interface ValidationResult {
  taskLoss: number;
  /** Surrogate H of S′ (H_diff, H_soft or the rectangle surrogate), nats, mean over sets. */
  hSoft: number;
  /** Entropy of the hard partition (nearest anchor / sign pattern / grid rectangle) of S′, nats. */
  hHard: number;
  /** Mean over sets of |H_hard − H_soft|. */
  errHardSoft: number;
  /** γ̂(S′): smallest per-point margin (App. H.3), mean over sets. */
  margin: number;
  /** 5th percentile of the per-point margins, mean over sets (the early-stopping signal). */
  marginP05: number;
  /** Structural-entropy upper bound (optimal hull triangulation) of S′, bits per point. */
  structuralBits: number;
  hullErrorPct: number;
  /** Hausdorff distance between the hull boundaries of S and S′. */
  hausdorff: number;
  /** Hausdorff distance between the point sets S and S′ (G.13). */
  hausdorffPoints: number;
  /** task + λ·H_soft: the model-selection value (lower is better). */
  objective: number;
  /** S′ of each validation set. */
  moved: Float64Array[];
}

const hullAuto = (p: Float64Array): Uint32Array => convexHull(p, 'auto');

function meanOf(xs: number[]): number {
  return xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

/** Structural-entropy bound of one set in bits (hulls beyond the DP's size limit give NaN). */
export function structuralBits(points: Float64Array): number {
  try {
    return structuralTriangulationBound(points, { hull: hullAuto }).bits;
  } catch {
    return NaN;
  }
}

export async function validate(
  trainer: EntropyNetTrainer,
  sets: Float64Array[],
  schedule: StepSchedule,
  lambda: number,
  hull?: HullBatch,
): Promise<ValidationResult> {
  const n = sets[0].length / 2;
  const data = new Float32Array(sets.length * n * 2);
  sets.forEach((s, b) => data.set(Float32Array.from(s), b * n * 2));
  const reg = trainer.regularizer(schedule);
  const [movedT, taskT, hT] = tf.tidy(() => {
    const points = tf.tensor3d(data, [sets.length, n, 2]);
    const moved = trainer.model.forward(points, { training: false });
    const task = trainer.taskLoss(points, moved, hull);
    const h = regularizerEntropies(moved, reg);
    return [moved, task, h];
  });
  const [movedData, taskData, hData] = await Promise.all([movedT.data(), taskT.data(), hT.data()]);
  tf.dispose([movedT, taskT, hT]);
  const params = await trainer.surrogateSnapshot();
  let labelsOf: (p: Float64Array) => Uint32Array;
  let marginsOf: (p: Float64Array) => Float64Array;
  if (reg.kind === 'hDiff') {
    const anchors = Float64Array.from((params.get('anchors') as { data: Float32Array }).data);
    labelsOf = (p) => nearestAnchorLabels(p, anchors);
    marginsOf = (p) => anchorMargins(p, anchors);
  } else if (reg.kind === 'hRect') {
    const start = Float64Array.from((params.get('rect_start') as { data: Float32Array }).data);
    const gaps = Float64Array.from(params.get('rect_gaps')?.data ?? []);
    const rect: RectParams64 = { d: 2, r: gaps.length / 2 + 1, start, gaps };
    labelsOf = (p) => rectLabels(p, rect);
    marginsOf = (p) => rectMargins(p, rect);
  } else {
    const w = (params.get('planes_w') as { data: Float32Array }).data;
    const b = (params.get('planes_b') as { data: Float32Array }).data;
    const rows = new Float64Array(3 * b.length);
    for (let t = 0; t < b.length; t++) {
      rows[3 * t] = w[2 * t];
      rows[3 * t + 1] = w[2 * t + 1];
      rows[3 * t + 2] = b[t];
    }
    labelsOf = (p) => signPatternLabels(p, rows);
    marginsOf = (p) => planeMargins(p, rows);
  }
  const moved: Float64Array[] = [];
  const hard: number[] = [];
  const gap: number[] = [];
  const margin: number[] = [];
  const p05: number[] = [];
  const bits: number[] = [];
  const hullErr: number[] = [];
  const haus: number[] = [];
  const hausPts: number[] = [];
  sets.forEach((s, b) => {
    const m = Float64Array.from(movedData.subarray(b * n * 2, (b + 1) * n * 2));
    moved.push(m);
    const hh = partitionEntropyNats(labelsOf(m));
    hard.push(hh);
    gap.push(Math.abs(hh - hData[b]));
    const margins = marginsOf(m);
    margin.push(empiricalMargin(margins));
    p05.push(robustMargin(margins, 0.05));
    bits.push(structuralBits(m));
    const ref = hullPolygon(s, hullAuto(s));
    const cand = hullPolygon(m, hullAuto(m));
    hullErr.push(hullErrorPercent(ref, cand));
    haus.push(hausdorffBoundary(ref, cand));
    hausPts.push(hausdorffPoints(s, m));
  });
  const hSoft = meanOf(Array.from(hData));
  return {
    taskLoss: taskData[0],
    hSoft,
    hHard: meanOf(hard),
    errHardSoft: meanOf(gap),
    margin: meanOf(margin),
    marginP05: meanOf(p05),
    structuralBits: meanOf(bits),
    hullErrorPct: meanOf(hullErr),
    hausdorff: meanOf(haus),
    hausdorffPoints: meanOf(hausPts),
    objective: taskData[0] + lambda * hSoft,
    moved,
  };
}
