/**
 * The setting of a claim link written by an earlier build (a value, a unit and a note; no declared setting),
 * inferred from the run's stored config where the config determines it. Those builds' rules are fixed and known:
 * geometry-timing and entropynet-train measured Table 2 with Chan's algorithm when the run had it (else its first
 * algorithm) at the run's largest n, with CIs over the config's seeds; entropy-validation's R² was cross-sectional
 * (H_diff against a structural bound over point sets), not E.3's across training; attention-train was always the
 * tiny ViT on procedural shapes. What the config cannot settle is named in `missing`, and such a link is never
 * judged.
 */
import type { ClaimMeasurement, JsonObject, Run } from '../api/contract';
import { expectedN } from './setting';
import type { Claim } from './catalog';

export interface InferredSetting {
  dataset: ClaimMeasurement['dataset'];
  n: number | null;
  method: string;
  seeds: number;
  scale: ClaimMeasurement['scale'];
  inferred: NonNullable<ClaimMeasurement['inferred']>;
}

const TABLE2_ROWS: Record<string, string> = { 'synthetic-high': 'uniform-square', 'synthetic-parabolic': 'parabolic', 'quickdraw-low': 'quickdraw-like' };
const STAND_IN = new Set(['quickdraw-like']);
/** Table 21's training scale: a model trained on less is a small-scale stand-in for the paper's. */
const PAPER_TRAINING = { n: 1024, trainSets: 1024, epochs: 200 };

const nums = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)) : []);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const count = (v: unknown): number | null => (Array.isArray(v) && v.length > 0 ? v.length : null);

/** The Table 2 / Table 22 row a claim id names ("T2.synthetic-high.…" → uniform-square), if any. */
function rowDataset(id: string): string | null {
  const m = /^T(?:2|22)\.(synthetic-high|synthetic-parabolic|quickdraw-low)\./.exec(id);
  return m ? TABLE2_ROWS[m[1]] : null;
}

function hullAlgorithm(algorithms: string[]): string | null {
  return algorithms.includes('chan') ? 'chan' : (algorithms[0] ?? null);
}

export function inferLegacySetting(run: Run, claim: Claim | undefined, id: string): InferredSetting {
  const c: JsonObject = run.config ?? {};
  const missing: string[] = [];
  const differences: string[] = [];
  let dataset: string | null = null;
  let n: number | null = null;
  let seeds: number | null = null;
  let method = 'unstated';
  let scale: ClaimMeasurement['scale'] | null = null;
  let from: string;
  switch (run.kind) {
    case 'geometry-timing': {
      from = 'geometry-timing config (sizes, seeds, algorithms); an earlier build took Chan\'s algorithm at the run\'s largest n';
      dataset = rowDataset(id);
      n = nums(c.sizes).length ? Math.max(...nums(c.sizes)) : null;
      seeds = count(c.seeds);
      const alg = hullAlgorithm(strs(c.algorithms));
      if (alg) method = alg;
      scale = 'paper';
      break;
    }
    case 'entropynet-train': {
      from = 'entropynet-train config (evalSizes, evalSeeds, evalDatasets, training size); an earlier build took Chan\'s algorithm at the largest evaluated n';
      const evalSets = strs(c.evalDatasets);
      dataset = rowDataset(id) ?? (/^(abs\.geometry\.hull-delaunay\.speedup|S4\.geometry\.)/.test(id) ? 'uniform-square' : null);
      // The largest error over every evaluated set, stand-in included: which set it was is not in the config.
      if (id === 'abs.geometry.hull-error-bound' && !evalSets.some((d) => STAND_IN.has(d))) dataset = evalSets.join(', ') || null;
      n = nums(c.evalSizes).length ? Math.max(...nums(c.evalSizes)) : null;
      seeds = count(c.evalSeeds);
      const epochs = typeof c.epochs === 'number' ? c.epochs : null;
      const sets = typeof c.trainSets === 'number' ? c.trainSets : null;
      const points = typeof c.n === 'number' ? c.n : null;
      if (epochs !== null && sets !== null && points !== null) {
        scale = epochs >= PAPER_TRAINING.epochs && sets >= PAPER_TRAINING.trainSets && points >= PAPER_TRAINING.n ? 'paper' : 'small-scale';
        method = `EntropyNet trained ${epochs} epochs on ${sets} sets of ${points} points + ${hullAlgorithm(strs(c.evalAlgorithms)) ?? 'hull'}`;
      }
      break;
    }
    case 'entropy-validation': {
      from = 'entropy-validation config; an earlier build\'s R² was cross-sectional';
      if (id === 'S1.geometry.surrogate-r2') {
        differences.push('R² of H_diff against a structural-entropy bound across point sets (an earlier build), where the paper\'s is R² across training (App. E.3)');
        dataset = strs(c.families).join(', ') || null;
        seeds = 1;
        method = 'least squares over point sets';
        scale = 'paper';
      }
      break;
    }
    case 'attention-train': {
      from = 'attention-train config; this kind trains a tiny ViT on procedural shapes';
      dataset = 'procedural shapes';
      seeds = count(c.seeds);
      method = 'tiny ViT';
      scale = 'small-scale';
      break;
    }
    default:
      from = `${run.kind} config`;
  }
  if (dataset === null) missing.push('dataset');
  if (seeds === null) missing.push('seeds');
  if (scale === null) missing.push('model scale');
  if (n === null && claim && expectedN(claim)) missing.push('n');
  return {
    dataset: { name: dataset ?? 'unstated', kind: dataset !== null && STAND_IN.has(dataset) ? 'stand-in' : dataset === 'procedural shapes' ? 'stand-in' : 'real' },
    n,
    method,
    seeds: seeds ?? 0,
    scale: scale ?? 'paper',
    inferred: { from, missing, differences },
  };
}
