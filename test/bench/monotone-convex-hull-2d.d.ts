declare module 'monotone-convex-hull-2d' {
  /** Indices of the hull vertices of [x, y] points. */
  export default function monotoneConvexHull2d(points: ReadonlyArray<readonly [number, number]>): number[];
}
