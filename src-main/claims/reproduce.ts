/**
 * `der reproduce`: which presets measure which claims, how long each should take (from finished runs of the
 * same config on this database, else of the same kind), and running the plan through the job queue. A step
 * whose exact config already has a finished run is skipped, so an interrupted reproduction resumes.
 */
import type { JsonObject, Run } from '../api/contract';
import { experiments } from '../../src-worker/experiments/registry';
import { loadCatalog } from './catalog';
import { linksOf } from './measure';
import { LINKED } from './unmeasured';
import { estimateStep, stableJson } from './estimate';

export { stableJson };

export interface PlanStep {
  kind: string;
  preset: string;
  config: JsonObject;
  /** The claims this step measures (from an earlier run of it, else every claim its kind links). */
  claims: string[];
  estimateSeconds: number;
  estimateFrom: string;
  /** A finished run of the same config: the step is skipped. */
  doneBy: string | null;
  /**
   * The step times a trained EntropyNet and no finished run of that training exists yet ("entropynet-train /
   * Paper or Paper (CPU)"): it cannot start until that step has run; its config then names the model.
   */
  waitsFor: string | null;
  /** The trained EntropyNet the step times (its preset and run), once one exists. */
  model?: { preset: string; runId: string } | null;
}

export type PlanMode = 'quick' | 'full';

/**
 * `claims`: which claims the step measures, of those its kind links (for a sweep, of those its children's kind
 * links); without it, every claim its kind links.
 */
interface PlanEntry {
  kind: string;
  preset: string;
  guessSeconds: number;
  claims?: RegExp;
  /**
   * The step's preprocessors become raw and the moving EntropyNet of the newest finished run of the first of
   * these presets that has one: the paper's setting first, then the analogues.
   */
  modelFrom?: readonly string[];
  /** Settings over the preset's (a timing step needs only the rows its claims read). */
  overrides?: JsonObject;
}

/** Models for Table 23's EntropyNet rows: the Paper preset's, else Paper (CPU)'s (Table 21's settings on less data). */
const T23_MODELS = ['Paper', 'Paper (CPU)'] as const;

const PLANS: Record<PlanMode, PlanEntry[]> = {
  quick: [
    { kind: 'theory-checks', preset: 'Quick', guessSeconds: 20 },
    { kind: 'geometry-timing', preset: 'Quick', guessSeconds: 60 },
    { kind: 'entropynet-train', preset: 'Quick', guessSeconds: 120 },
    { kind: 'entropy-validation', preset: 'Quick', guessSeconds: 120 },
    { kind: 'entropy-validation', preset: 'E.3 R² across training', guessSeconds: 120 },
  ],
  full: [
    { kind: 'theory-checks', preset: 'Full', guessSeconds: 120 },
    { kind: 'geometry-timing', preset: 'Paper Table 2 (geometry only)', guessSeconds: 900, claims: /^T2\./ },
    { kind: 'geometry-timing', preset: 'Delaunay (Table 23 scale)', guessSeconds: 900, claims: /^T23\.delaunay\.scipy\./ },
    { kind: 'geometry-timing', preset: 'Hulls at 10^6 (Table 23 scale)', guessSeconds: 1200, claims: /^T23\.hull\.scipy\./ },
    { kind: 'entropynet-train', preset: 'Paper (CPU)', guessSeconds: 3600 },
    { kind: 'entropynet-train', preset: 'Paper', guessSeconds: 3600 },
    // Table 23's EntropyNet rows: a trained model in front of Chan's hull at 10⁶ and of Delaunay at 10⁵, on the
    // uniform points the rows are about; one warm-up call, since a forward pass at 10⁶ takes 25–60 s here.
    { kind: 'geometry-timing', preset: 'Hulls at 10^6 (Table 23 scale)', guessSeconds: 1800, claims: /^T23\.hull\.entropynet-/, modelFrom: T23_MODELS, overrides: { datasets: ['uniform-square'], algorithms: ['chan'], warmup: 1 } },
    { kind: 'geometry-timing', preset: 'Delaunay (Table 23 scale)', guessSeconds: 900, claims: /^T23\.delaunay\.entropynet-/, modelFrom: T23_MODELS, overrides: { datasets: ['uniform-square'] } },
    { kind: 'entropy-validation', preset: 'Fig. 2 margin vs error', guessSeconds: 1200 },
    { kind: 'entropy-validation', preset: 'E.3 R² across training', guessSeconds: 300 },
    { kind: 'attention-train', preset: 'Table 4/5 analogue', guessSeconds: 7200 },
    { kind: 'sweep', preset: 'Table 15 (estimator family)', guessSeconds: 600, claims: /^T15\./ },
    { kind: 'sweep', preset: 'Table 16 (anchors k)', guessSeconds: 1200, claims: /^T16\./ },
    { kind: 'sweep', preset: 'Table 17 (ablations)', guessSeconds: 1200, claims: /^T17\./ },
  ],
};

function presetConfig(kind: string, preset: string, overrides: JsonObject = {}): JsonObject {
  const def = experiments.find((e) => e.kind === kind);
  if (!def || !(preset in def.presets)) throw new Error(`reproduce plan: ${kind} has no preset "${preset}"`);
  return def.configSchema.parse({ ...def.presets[preset], ...overrides }) as JsonObject;
}

/** The newest finished `entropynet-train` run of the first of these presets (exact config) that has one, or null. */
function trainedModel(presets: readonly string[], runs: readonly Run[]): { preset: string; run: Run } | null {
  for (const preset of presets) {
    const key = stableJson(presetConfig('entropynet-train', preset));
    const done = runs.filter((r) => r.kind === 'entropynet-train' && r.status === 'done' && stableJson(r.config) === key);
    const newest = done.sort((a, b) => (b.endedAt ?? 0) - (a.endedAt ?? 0))[0];
    if (newest) return { preset, run: newest };
  }
  return null;
}

export function buildPlan(mode: PlanMode, runs: readonly Run[]): PlanStep[] {
  const catalog = loadCatalog();
  return PLANS[mode].map(({ kind, preset, guessSeconds, claims: only, modelFrom, overrides }) => {
    let config = presetConfig(kind, preset, overrides);
    let waitsFor: string | null = null;
    let model: PlanStep['model'] = null;
    if (modelFrom) {
      const trained = trainedModel(modelFrom, runs);
      if (trained) {
        config = { ...config, preprocessors: ['raw', `entropynet:${trained.run.id}`] };
        model = { preset: trained.preset, runId: trained.run.id };
      } else waitsFor = `entropynet-train / ${modelFrom.join(' or ')}`;
    }
    const key = stableJson(config);
    const isSweep = kind === 'sweep';
    // A run of an earlier build whose links declare no setting measured nothing that can be judged, and a sweep
    // with a child that did not finish did not measure its row: redo them.
    const complete = (r: Run): boolean => (isSweep ? r.summary?.done === r.summary?.total : [...linksOf(r).values()].some((m) => m.declared));
    const same = runs.filter((r) => r.kind === kind && r.status === 'done' && stableJson(r.config) === key && complete(r));
    // Runs of earlier builds of this config are not the same step, and do not estimate it either.
    const undeclared = new Set(runs.filter((r) => r.kind === kind && stableJson(r.config) === key && !same.includes(r)).map((r) => r.id));
    // A step waiting for its model is estimated as it will run: with a model in front of the algorithm.
    const estimated = waitsFor ? { ...config, preprocessors: ['raw', 'entropynet:(model to come)'] } : config;
    const estimate = estimateStep(kind, estimated, runs.filter((r) => !undeclared.has(r.id)), guessSeconds);
    const measured = same.length ? [...linksOf(same[0]).keys()].filter((id) => !only || only.test(id)) : [];
    const linked = (id: string): boolean => (only ? only.test(id) : true) && (isSweep ? Object.values(LINKED).some((re) => re.test(id)) : !!LINKED[kind]?.test(id));
    const claims = measured.length ? measured : catalog.claims.filter((c) => linked(c.id) && c.metric !== 'hyperparameter').map((c) => c.id);
    return { kind, preset, config, claims, estimateSeconds: estimate.seconds, estimateFrom: estimate.from, doneBy: waitsFor ? null : (same[0]?.id ?? null), waitsFor, model };
  });
}

/**
 * The steps a `--only` list selects: a term names a preset (case-insensitive substring), a kind, a table
 * ("T23", "Table 23", "23": the presets named after it, else the steps measuring its claims), or claims by id
 * prefix ("T23.hull.entropynet": the steps measuring them). An unknown term is an error naming the choices.
 */
export function selectSteps(plan: readonly PlanStep[], terms: readonly string[]): PlanStep[] {
  if (terms.length === 0) return [...plan];
  const picked = new Set<PlanStep>();
  for (const raw of terms) {
    const term = raw.trim().toLowerCase();
    const table = /^(?:table\s*|t)?(\d+)$/.exec(term);
    // A table picks the presets named after it, else every step that measures one of its claims.
    const named = table ? plan.filter((s) => new RegExp(`\\btable ${table[1]}\\b`).test(s.preset.toLowerCase())) : [];
    const claimPrefix = /^t\d+\./.test(term) ? term : null;
    const hits = named.length
      ? named
      : claimPrefix
        ? plan.filter((s) => s.claims.some((id) => id.toLowerCase().startsWith(claimPrefix)))
        : plan.filter((s) => s.kind === term || s.preset.toLowerCase().includes(term) || (table !== null && s.claims.some((id) => id.startsWith(`T${table[1]}.`))));
    if (hits.length === 0) throw new Error(`der reproduce: --only ${raw} matches no step; steps: ${plan.map((s) => `"${s.preset}" (${s.kind})`).join(', ')}, or a table such as T23`);
    for (const h of hits) picked.add(h);
  }
  return plan.filter((s) => picked.has(s));
}

export function planText(plan: readonly PlanStep[]): string {
  const todo = plan.filter((s) => !s.doneBy);
  const lines = plan.map(
    (s, i) =>
      `${String(i + 1).padStart(2)}. ${s.kind} / ${s.preset}${s.waitsFor ? ` with the model of ${s.waitsFor}` : s.model ? ` with the model of entropynet-train / ${s.model.preset} (run ${s.model.runId})` : ''}: ${s.doneBy ? `done (run ${s.doneBy}), skipped` : `~${Math.ceil(s.estimateSeconds / 60)} min (${s.estimateFrom})${s.waitsFor ? `, after ${s.waitsFor} has run` : ''}`}\n      measures ${s.claims.length} claim${s.claims.length === 1 ? '' : 's'}: ${s.claims.slice(0, 8).join(', ')}${s.claims.length > 8 ? ', …' : ''}`,
  );
  const total = todo.reduce((a, s) => a + s.estimateSeconds, 0);
  lines.push(`${todo.length} of ${plan.length} steps to run, about ${Math.ceil(total / 60)} min in all`);
  return lines.join('\n');
}

/**
 * A step as it stands after the runs so far: a step that waited for its trained model gets the model's run (or
 * still waits). Steps are matched by their place in the mode's plan.
 */
export function refreshStep(mode: PlanMode, step: PlanStep, runs: readonly Run[]): PlanStep {
  const before = buildPlan(mode, []);
  const at = before.findIndex((s) => s.kind === step.kind && s.preset === step.preset && s.waitsFor === step.waitsFor && stableJson(s.config) === stableJson(step.config));
  return at < 0 ? step : buildPlan(mode, runs)[at];
}
