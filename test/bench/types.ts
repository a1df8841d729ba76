/** A benchmark file `test/bench/<name>.bench.ts` default-exports a function returning this. */
export interface BenchResult {
  name: string;
  /** One row per measured case; ratios against a peer measured in the same run, never timing assertions. */
  rows: Array<Record<string, string | number | boolean | null>>;
  notes?: string[];
}
export type Bench = () => Promise<BenchResult>;
