/**
 * The names the geometry lab answers to. Kept free of code so that a light `config.ts` (imported by main) can
 * build its zod enums without pulling in generators or hull code.
 */

export const DATASET_NAMES = [
  'uniform-square',
  'uniform-disk',
  'gaussian-clusters',
  'parabolic',
  'circle',
  'annulus',
  'quickdraw-like',
] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export const HULL_ALGORITHMS = ['monotone', 'quickhull', 'chan', 'akl-toussaint', 'heuristic-sort', 'auto'] as const;
export type HullAlgorithm = (typeof HULL_ALGORITHMS)[number];

export const DELAUNAY_ALGORITHMS = ['delaunator'] as const;
export const MAXIMA_ALGORITHMS = ['sweep', 'output-sensitive'] as const;
export type MaximaAlgorithm = (typeof MAXIMA_ALGORITHMS)[number];

export const GEOMETRY_TASKS = ['hull', 'delaunay', 'maxima3d'] as const;
export type GeometryTask = (typeof GEOMETRY_TASKS)[number];

/** Algorithms valid for each task (config validation and the UI's pickers). */
export const ALGORITHMS_BY_TASK: Record<GeometryTask, readonly string[]> = {
  hull: HULL_ALGORITHMS,
  delaunay: DELAUNAY_ALGORITHMS,
  maxima3d: MAXIMA_ALGORITHMS,
};

/**
 * Preprocessors placed in front of an algorithm (Table 2's "Method" column). The implementations are in
 * `preprocess.ts`; a new one adds its name here and its entry there.
 */
export const PREPROCESSOR_NAMES = ['raw', 'heuristic-sort', 'kmeans-snap'] as const;
