/**
 * A multi-seed attention-train run made of one child run per seed (the children train side by side): rebuilds
 * the parent's table (mean ± 95% CI over seeds), pruning curves and claim links from the children's per-model
 * evaluations, exactly as one run training every seed would, and renames the children's artifacts and metric
 * keys to that run's `<model>/seed-<seed>` prefixes. Pure (no tfjs): main calls it when the last child ends.
 */
import type { AttentionTrainConfig } from './config';
import type { ModelEval } from './evaluate';
import type { MaskRule } from '../../shared/masks';
import { buildPruning, buildTable, claimLinks, lemma2Link } from './table';

type JsonObject = Record<string, unknown>;

export interface SeedChild {
  runId: string;
  seed: number;
  summary: JsonObject;
  /** The child's `eval/<model>.json` artifacts, parsed, in the child's order. */
  evals: JsonObject[];
}

export interface CombinedSeeds {
  summary: JsonObject;
  /** `table.json` of the parent. */
  table: JsonObject;
}

/** The parent's name for a child's artifact or metric key: `<model>/…` → `<model>/seed-<seed>/…`. */
export function seedKey(key: string, prefixes: readonly string[], seed: number): string {
  for (const root of ['gallery/', 'eval/']) {
    if (key.startsWith(root) && key.endsWith('.json')) return `${root}${key.slice(root.length, -'.json'.length)}/seed-${seed}.json`;
  }
  const prefix = [...prefixes].sort((a, b) => b.length - a.length).find((p) => key.startsWith(`${p}/`));
  return prefix ? `${prefix}/seed-${seed}${key.slice(prefix.length)}` : `seed-${seed}/${key}`;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function combineSeedChildren(config: AttentionTrainConfig, children: readonly SeedChild[], wallSeconds: number): CombinedSeeds {
  if (children.length === 0) throw new Error('combineSeedChildren: no finished child');
  const ordered = [...children].sort((a, b) => config.seeds.indexOf(a.seed) - config.seeds.indexOf(b.seed));
  const evals = ordered.flatMap((c) => c.evals.map((e) => ({ ...e, seed: c.seed }) as unknown as ModelEval));
  const learned = [...new Set(evals.filter((e) => e.anchorsSource === 'learned').map((e) => e.name))];
  const { rows, grid } = buildTable(evals, config.methods, learned);
  const paperEntropy = [...new Set(evals.filter((e) => e.method === 'entropy').map((e) => e.name))];
  const entropyRow = paperEntropy.includes('entropy-0.01') ? 'entropy-0.01' : (paperEntropy[0] ?? null);
  const fixed25 = (config.maskRules as MaskRule[]).findIndex((r) => r.kind === 'fraction' && Math.abs(r.keep - 0.25) < 1e-9);
  const pruning = buildPruning(evals);
  const claims = claimLinks(rows, entropyRow, fixed25 >= 0 ? fixed25 : null, pruning, config.pruneClaimTargets);
  const lemma2 = lemma2Link(evals.map((e) => e.theorem2));
  if (lemma2) claims.push(lemma2);
  const first = ordered[0].summary;
  const prefixesOf = (c: SeedChild): string[] => strings((c.summary.metricKeys as JsonObject | undefined)?.prefixes);
  const artifacts = [
    ...ordered.flatMap((c) => strings(c.summary.artifacts).filter((a) => a !== 'table.json').map((a) => seedKey(a, prefixesOf(c), c.seed))),
    'table.json',
  ];
  const table = { protocol: first.protocol ?? null, columns: first.columns ?? {}, rows, grid, pruning, claims } as unknown as JsonObject;
  const summary = {
    ...first,
    table: rows,
    pruning,
    claims,
    models: ordered.flatMap((c) => (Array.isArray(c.summary.models) ? c.summary.models : []).map((m) => ({ ...(m as JsonObject), seed: c.seed }))),
    metricKeys: { ...((first.metricKeys as JsonObject | undefined) ?? {}), prefixes: ordered.flatMap((c) => prefixesOf(c).map((p) => `${p}/seed-${c.seed}`)) },
    // Each child timed its own training steps (all its methods, interleaved, in the machine's exclusive slot).
    stepCosts: Object.fromEntries(ordered.map((c) => [`seed-${c.seed}`, (c.summary.stepCosts as JsonObject | undefined) ?? {}])),
    artifacts,
    wallSeconds,
    seedChildren: ordered.map((c) => ({ seed: c.seed, runId: c.runId })),
    missingSeeds: config.seeds.filter((s) => !ordered.some((c) => c.seed === s)),
  } as unknown as JsonObject;
  return { summary, table };
}
