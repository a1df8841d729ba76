/**
 * Orientation of three points, exact in sign.
 *
 * `orient(a, b, c) > 0` iff c lies strictly left of the directed line a→b (a, b, c counter-clockwise), `< 0` iff
 * strictly right, `0` iff collinear. The value is twice the signed area of triangle abc when the fast path
 * answers; otherwise only its sign is meaningful.
 *
 * Fast path: Shewchuk's stage-A filter. With c as origin, det = detleft − detright where
 * detleft = (ax−cx)(by−cy) and detright = (ay−cy)(bx−cx). The rounding error of the floating-point det is at
 * most ccwErrBoundA · (|detleft| + |detright|) with ccwErrBoundA = (3 + 16ε)ε, ε = 2⁻⁵³ (Shewchuk 1997, §4.2),
 * so a det larger than that bound has the right sign. Only the rare nearly-collinear triple pays for the
 * adaptive exact `orient2d` of robust-predicates, whose sign convention is the opposite of ours (it returns a
 * positive value for clockwise triples), hence the minus.
 */
import { orient2d } from 'robust-predicates';

const EPSILON = 1.1102230246251565e-16;
export const CCW_ERR_BOUND_A = (3 + 16 * EPSILON) * EPSILON;

export function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const detLeft = (ax - cx) * (by - cy);
  const detRight = (ay - cy) * (bx - cx);
  const det = detLeft - detRight;
  const bound = CCW_ERR_BOUND_A * (Math.abs(detLeft) + Math.abs(detRight));
  if (det > bound || -det > bound) return det;
  return -orient2d(ax, ay, bx, by, cx, cy);
}

/** `orient` on points i, j, k of a flat [x0, y0, x1, y1, …] array. */
export function orientIdx(p: Float64Array, i: number, j: number, k: number): number {
  return orient(p[2 * i], p[2 * i + 1], p[2 * j], p[2 * j + 1], p[2 * k], p[2 * k + 1]);
}

/**
 * True only when c is certainly strictly left of a→b, judged by the floating-point filter alone (no exact
 * fallback). Used by throw-away filters, where answering "not sure" merely keeps a point.
 */
export function surelyLeft(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): boolean {
  const detLeft = (ax - cx) * (by - cy);
  const detRight = (ay - cy) * (bx - cx);
  return detLeft - detRight > CCW_ERR_BOUND_A * (Math.abs(detLeft) + Math.abs(detRight));
}

export { compareLex } from '../../shared/compare';
