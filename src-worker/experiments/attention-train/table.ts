/**
 * The final table of an attention-train run (Tables 4, 5, 18, 19, 24, 27 analogues) from per-model
 * evaluations: one row per method, each number a mean ± 95% CI over model seeds, plus the claim ids of
 * shared/paper/claims.json that each of our numbers is the small-scale analogue of.
 *
 * Row ↔ (trained model, inference mode), Table 4 protocol (same key budget b for every row):
 *   none → none model, dense · top-b → none model, top-b by magnitude · l1 → L1 model, top-b (Table 24's
 *   "L1-top-b") · entropy[-λ] → entropy model, block-sparse from its frozen learned clusters ·
 *   entropy-floor[-λ], entropy-per-image[-λ] (ours) → the variants' models, block-sparse the same way at the
 *   same b.
 * Every row's accuracy is measured on the same `sparseEvalSize` test images with the same JS kernel family.
 */
import { mCE, rawMeanError } from '../../vision/robustness';
import { FRACTION, NON_NEGATIVE, PERCENT, boundedMeanCI, type Domain, type MeanCI } from '../../shared/stats';
import type { InferenceMode, ModelEval, PruningPoint } from './evaluate';

export type TableRow = {
  row: string;
  model: string;
  mode: InferenceMode;
  seeds: number;
  cells: Record<string, MeanCI>;
};

/** One point of a magnitude-pruning curve over seeds (Table 19 analogue); percentages. */
export type PruningRow = {
  model: string;
  base: PruningPoint['base'];
  target: number;
  seeds: number;
  accuracy: MeanCI;
  sparsity: MeanCI;
  activeKeys: MeanCI;
};

/**
 * One claim row's analogue. Besides the cell it reads, it declares the setting (shared/claim-link.ts): stand-in
 * data (procedural images), a small-scale model, seeds = the cell's n, and whether the quantity is portable.
 */
export interface ClaimLink {
  claim: string;
  row: string;
  column: string;
  unit: string;
  ours: MeanCI | null;
  note: string;
  quantity: string;
  portability: 'portable' | 'machine-bound';
  dataset: { name: string; kind: 'stand-in' | 'real' };
  n: null;
  method: string;
  seeds: number;
  scale: 'small-scale' | 'paper';
  check?: 'holds' | 'fails';
}

/**
 * Lemma 2 (App. E.4) as a check: ‖y − ỹ‖ ≤ 4Bδ for every sampled attention row with tail mass δ ≤ ½. The
 * lemma is a statement about any attention row, so the rows of our small models test it as well as any.
 */
export function lemma2Link(probes: ReadonlyArray<{ rows: number; violations: number }>): ClaimLink | null {
  const rows = probes.reduce((a, p) => a + p.rows, 0);
  if (rows === 0) return null;
  const violations = probes.reduce((a, p) => a + p.violations, 0);
  return {
    claim: 'E4.lemma2.truncation',
    row: '',
    column: 'theorem2',
    unit: 'B*delta_t',
    ours: { mean: violations, ci95: null, n: probes.length },
    quantity: 'sampled attention rows with δ ≤ ½ whose truncation error exceeds 4Bδ',
    portability: 'portable',
    dataset: { name: 'attention rows of the trained models (block-sparse kernel)', kind: 'real' },
    n: null,
    method: 'block-sparse attention, renormalised over the kept keys',
    seeds: probes.length,
    scale: 'paper',
    check: violations === 0 ? 'holds' : 'fails',
    note: `${violations} violations in ${rows} sampled rows of ${probes.length} models`,
  };
}

/**
 * A column's value in the unit the paper's claims use: latency per image in ms, memory in GB, the raw mean
 * corruption error as an unnormalised mCE (the paper names no reference model to normalise by).
 */
const CLAIM_UNIT: Record<string, { unit: string; scale?: number; quantity?: string }> = {
  attentionMs: { unit: 'ms', quantity: 'attention latency per image (JS kernel)' },
  modelMs: { unit: 'ms', quantity: 'model latency per image (tfjs + JS attention)' },
  tfjsDenseMs: { unit: 'ms', quantity: 'model latency per image, dense tfjs' },
  peakMB: { unit: 'GB', scale: 1 / 1024, quantity: 'peak tfjs tensor + kernel memory per batch' },
  meanCorruptionError: { unit: 'mCE', quantity: 'unnormalised mean corruption error over the corruption suite (%)' },
  speedup: { unit: 'x' },
  attentionSpeedup: { unit: 'x' },
  trainCost: { unit: 'x' },
};
const MACHINE_BOUND_COLUMNS: ReadonlySet<string> = new Set(['attentionMs', 'modelMs', 'tfjsDenseMs', 'throughput', 'peakMB', 'trainSeconds', 'trainStepMs']);

function declared(column: string, ours: MeanCI | null, row: string): Omit<ClaimLink, 'claim' | 'row' | 'column' | 'note'> {
  const u = CLAIM_UNIT[column];
  const k = u?.scale ?? 1;
  const scaled = ours && k !== 1 ? { ...ours, mean: ours.mean * k, ci95: ours.ci95 ? ([ours.ci95[0] * k, ours.ci95[1] * k] as [number, number]) : null } : ours;
  return {
    unit: u?.unit ?? COLUMNS[column]?.unit ?? '',
    ours: scaled,
    quantity: u?.quantity ?? COLUMNS[column]?.label ?? column,
    portability: MACHINE_BOUND_COLUMNS.has(column) ? 'machine-bound' : 'portable',
    dataset: { name: 'procedural objects on textures (32×32)', kind: 'stand-in' },
    n: null,
    method: `tiny ViT, ${row || 'no row'}`,
    seeds: ours?.n ?? 0,
    scale: 'small-scale',
  };
}

/** Column id → label and unit (the view's header). */
export const COLUMNS: Record<string, { label: string; unit: string }> = {
  accuracy: { label: 'Top-1 (same images, JS kernels)', unit: '%' },
  denseAccuracyFullTest: { label: 'Top-1 of the model, dense tfjs, full test set', unit: '%' },
  sparsity: { label: 'Sparsity (weights < 0.01, G.13)', unit: '%' },
  activeKeys: { label: 'Active keys per query', unit: 'keys' },
  blockLength: { label: 'Mean block length', unit: 'keys' },
  attentionFlopsReduction: { label: 'Attention FLOPs reduction vs dense', unit: '%' },
  modelFlopsReduction: { label: 'Whole-model FLOPs reduction vs dense', unit: '%' },
  attentionMs: { label: 'Attention latency (JS kernel)', unit: 'ms/img' },
  modelMs: { label: 'Model latency (tfjs + JS attention)', unit: 'ms/img' },
  tfjsDenseMs: { label: 'Model latency, dense tfjs', unit: 'ms/img' },
  speedup: { label: 'Model speedup vs dense JS kernel, same loop', unit: '×' },
  attentionSpeedup: { label: 'Attention speedup vs dense JS kernel', unit: '×' },
  throughput: { label: 'Throughput (JS attention)', unit: 'img/s' },
  peakMB: { label: 'Peak tensor + kernel memory per batch', unit: 'MB' },
  clusterEntropy: { label: 'Cluster-mass entropy H(p) per head', unit: 'nats' },
  iouLast: { label: 'IoU, last-layer CLS (head mean), rule 1', unit: 'IoU' },
  iouRollout: { label: 'IoU, attention rollout, rule 1', unit: 'IoU' },
  iouLast2: { label: 'IoU, last-layer CLS (head mean), rule 2', unit: 'IoU' },
  iouRollout2: { label: 'IoU, attention rollout, rule 2', unit: 'IoU' },
  mceHD: { label: 'mCE (Hendrycks & Dietterich, normalised by the none model)', unit: 'mCE' },
  meanCorruptionError: { label: 'Raw mean corruption error', unit: '%' },
  cleanError: { label: 'Clean error on the corruption subset', unit: '%' },
  oodRandom: { label: 'OOD accuracy, random textures', unit: '%' },
  oodAvoid: { label: 'OOD accuracy, never the home texture', unit: '%' },
  backgroundOnly: { label: 'Shortcut check: top-1 on the test backgrounds without objects (chance = 100/classes)', unit: '%' },
  flatBackground: { label: 'Shortcut check: top-1 on the test objects over a flat background', unit: '%' },
  textureSwapped: { label: 'Shortcut check: top-1 on the test objects over other images\' backgrounds', unit: '%' },
  pgdAccuracy: { label: 'PGD accuracy (L∞, dense tfjs)', unit: '%' },
  trainSeconds: { label: 'Training time', unit: 's' },
  trainStepMs: { label: 'Training step, timed interleaved with the other methods', unit: 'ms' },
  trainCost: { label: 'Training cost vs none (interleaved step timing; wall-clock ratio if not measured)', unit: '×' },
  theorem2Delta: { label: 'Mean tail mass δ (block-sparse)', unit: '' },
  theorem2Error: { label: 'Mean ‖y − ỹ‖ (block-sparse)', unit: '' },
};

/** The method of an entropy model's name ('entropy', 'entropy-0.03', 'entropy-floor-0.01', …). */
function entropyMethodOf(name: string): 'entropy' | 'entropy-floor' | 'entropy-per-image' {
  if (name.startsWith('entropy-floor')) return 'entropy-floor';
  if (name.startsWith('entropy-per-image')) return 'entropy-per-image';
  return 'entropy';
}

function rowsOf(evals: ModelEval[], methods: string[], entropyNames: string[]): Array<{ row: string; model: string; mode: InferenceMode }> {
  const out: Array<{ row: string; model: string; mode: InferenceMode }> = [];
  if (methods.includes('none')) out.push({ row: 'none', model: 'none', mode: 'dense' });
  if (methods.includes('top-b')) out.push({ row: 'top-b', model: 'none', mode: 'top-b' });
  if (methods.includes('l1')) out.push({ row: 'l1', model: 'l1', mode: 'top-b' });
  for (const name of entropyNames) if (methods.includes(entropyMethodOf(name))) out.push({ row: name, model: name, mode: 'block-sparse' });
  if (methods.includes('label-smoothing')) out.push({ row: 'label-smoothing', model: 'label-smoothing', mode: 'dense' });
  if (methods.includes('fgsm-at')) out.push({ row: 'fgsm-at', model: 'fgsm-at', mode: 'dense' });
  return out.filter((r) => evals.some((e) => e.name === r.model));
}

/** The range each cell's quantity cannot leave, so no interval over seeds does (a reduction may be negative). */
const CELL_DOMAIN: Record<string, Domain> = {
  accuracy: PERCENT, denseAccuracyFullTest: PERCENT, sparsity: PERCENT, meanCorruptionError: PERCENT, cleanError: PERCENT,
  oodRandom: PERCENT, oodAvoid: PERCENT, backgroundOnly: PERCENT, flatBackground: PERCENT, textureSwapped: PERCENT, pgdAccuracy: PERCENT,
  attentionFlopsReduction: [-Infinity, 100], modelFlopsReduction: [-Infinity, 100],
  theorem2Delta: FRACTION, iouLast: FRACTION, iouRollout: FRACTION, iouLast2: FRACTION, iouRollout2: FRACTION,
};
const domainOf = (key: string): Domain => CELL_DOMAIN[key] ?? NON_NEGATIVE;

/** Cells of one (model eval, mode), for one seed. */
function cellsOf(e: ModelEval, mode: InferenceMode, baseline: ModelEval | undefined): Record<string, number> {
  const m = e.modes[mode];
  const dense = e.modes.dense;
  const c: Record<string, number> = {
    accuracy: 100 * m.accuracy,
    denseAccuracyFullTest: 100 * e.denseAccuracy,
    sparsity: 100 * m.sparsity,
    activeKeys: m.activeKeysPerQuery,
    blockLength: m.meanBlockLength,
    attentionFlopsReduction: 100 * (1 - m.attentionFlopsPerImage / dense.attentionFlopsPerImage),
    modelFlopsReduction: 100 * (1 - m.modelFlopsPerImage / dense.modelFlopsPerImage),
    attentionMs: m.attentionMsPerImage,
    modelMs: m.modelMsPerImage,
    tfjsDenseMs: e.tfjsDense.modelMsPerImage,
    speedup: dense.modelMsPerImage / m.modelMsPerImage,
    attentionSpeedup: dense.attentionMsPerImage / m.attentionMsPerImage,
    throughput: 1000 / m.modelMsPerImage,
    peakMB: m.peakBytes / 2 ** 20,
    trainSeconds: e.trainMs / 1000,
  };
  if (m.clusterEntropy !== null) c.clusterEntropy = m.clusterEntropy;
  if (mode === 'block-sparse' && e.theorem2.rows > 0) {
    c.theorem2Delta = e.theorem2.meanDelta;
    c.theorem2Error = e.theorem2.meanError;
  }
  const [r1, r2] = e.iou;
  if (r1) {
    c.iouLast = r1.lastLayerMean.mean;
    c.iouRollout = r1.rollout.mean;
  }
  if (r2) {
    c.iouLast2 = r2.lastLayerMean.mean;
    c.iouRollout2 = r2.rollout.mean;
  }
  if (e.corruption) {
    c.meanCorruptionError = rawMeanError(e.corruption.errors);
    c.cleanError = 100 * e.corruption.cleanError;
    if (baseline?.corruption) c.mceHD = mCE(e.corruption.errors, baseline.corruption.errors).mce;
  }
  if (e.ood['ood-random'] !== undefined) c.oodRandom = 100 * e.ood['ood-random'];
  if (e.ood['ood-avoid'] !== undefined) c.oodAvoid = 100 * e.ood['ood-avoid'];
  const sc = e.shortcut ?? {};
  if (sc['background-only'] !== undefined) c.backgroundOnly = 100 * sc['background-only'];
  if (sc['flat-background'] !== undefined) c.flatBackground = 100 * sc['flat-background'];
  if (sc['texture-swapped'] !== undefined) c.textureSwapped = 100 * sc['texture-swapped'];
  if (e.pgd) c.pgdAccuracy = 100 * e.pgd.accuracy;
  if (e.stepMs !== null && e.stepMs !== undefined) c.trainStepMs = e.stepMs;
  if (baseline) c.trainCost = e.stepMs && baseline.stepMs ? e.stepMs / baseline.stepMs : e.trainMs / baseline.trainMs;
  return c;
}

/** Pruning points of every model grouped by (model, base, target), mean ± CI over seeds. */
export function buildPruning(evals: ModelEval[]): PruningRow[] {
  const groups = new Map<string, { model: string; base: PruningPoint['base']; target: number; points: PruningPoint[] }>();
  for (const e of evals) {
    for (const p of e.pruning) {
      const key = `${e.name}|${p.base}|${p.target}`;
      const g = groups.get(key) ?? { model: e.name, base: p.base, target: p.target, points: [] };
      g.points.push(p);
      groups.set(key, g);
    }
  }
  return [...groups.values()].map((g) => ({
    model: g.model,
    base: g.base,
    target: g.target,
    seeds: g.points.length,
    accuracy: boundedMeanCI(g.points.map((p) => 100 * p.accuracy), PERCENT),
    sparsity: boundedMeanCI(g.points.map((p) => 100 * p.sparsity), PERCENT),
    activeKeys: boundedMeanCI(g.points.map((p) => p.activeKeysPerQuery), NON_NEGATIVE),
  }));
}

export function buildTable(evals: ModelEval[], methods: string[], entropyNames: string[]): { rows: TableRow[]; grid: Array<{ model: string; seed: number; mode: InferenceMode; cells: Record<string, number> }> } {
  const seeds = [...new Set(evals.map((e) => e.seed))];
  const baselineOf = (seed: number) => evals.find((e) => e.name === 'none' && e.seed === seed);
  const rows: TableRow[] = rowsOf(evals, methods, entropyNames).map(({ row, model, mode }) => {
    const perSeed = seeds.map((s) => evals.find((e) => e.name === model && e.seed === s)).filter((e): e is ModelEval => !!e);
    const cellsBySeed = perSeed.map((e) => cellsOf(e, mode, baselineOf(e.seed)));
    const keys = [...new Set(cellsBySeed.flatMap((c) => Object.keys(c)))];
    const cells: Record<string, MeanCI> = {};
    for (const key of keys) {
      const values = cellsBySeed.map((c) => c[key]).filter((v) => Number.isFinite(v));
      if (values.length > 0) cells[key] = boundedMeanCI(values, domainOf(key));
    }
    return { row, model, mode, seeds: perSeed.length, cells };
  });
  const grid = evals.flatMap((e) =>
    (['dense', 'top-b', 'block-sparse'] as InferenceMode[]).map((mode) => ({ model: e.name, seed: e.seed, mode, cells: cellsOf(e, mode, baselineOf(e.seed)) })),
  );
  return { rows, grid };
}

/**
 * Our analogue of each attention/robustness table claim. The paper's settings (ImageNet/CIFAR, ViT-S/B,
 * FlashAttention kernels, A100) are not ours: these are small-scale analogues, labelled so in `note`.
 */
export function claimLinks(
  rows: TableRow[],
  entropyRow: string | null,
  ruleFixed25: number | null,
  pruning: PruningRow[],
  pruneTargets: { magnitude: number; combined: number },
): ClaimLink[] {
  const get = (row: string | null, column: string): MeanCI | null => (row ? (rows.find((r) => r.row === row)?.cells[column] ?? null) : null);
  const links: ClaimLink[] = [];
  const prefix = 'small-scale analogue (tiny ViT, procedural shapes, JS kernels on CPU)';
  const add = (claim: string, row: string | null, column: string, note = ''): void => {
    links.push({ claim, row: row ?? '', column, ...declared(column, get(row, column), row ?? ''), note: `${prefix}${note ? '; ' + note : ''}` });
  };
  const addPruned = (claim: string, model: string | null, base: PruningPoint['base'], target: number, column: 'accuracy' | 'sparsity'): void => {
    const p = model ? pruning.find((r) => r.model === model && r.base === base && Math.abs(r.target - target) < 1e-9) : undefined;
    links.push({
      claim,
      row: p ? `${model} + magnitude pruning (${base}, target ${Math.round(100 * target)}%)` : '',
      column,
      ...declared(column, p ? p[column] : null, model ?? ''),
      note: `${prefix}; attention weights of the ${base} kernel pruned by a per-layer threshold calibrated on training images to the row's operating sparsity ${Math.round(100 * target)}%, then renormalised${column === 'sparsity' ? '; measured test sparsity (weights < 0.01)' : ''}${p ? '' : '; not run (no pruning curve at this target)'}`,
    });
  };
  const iouCol = ruleFixed25 === 0 ? 'iouLast' : ruleFixed25 === 1 ? 'iouLast2' : null;
  for (const [prefix, row] of [['T4.topb-magnitude', 'top-b'], ['T4.l1', 'l1'], ['T4.der', entropyRow]] as const) {
    add(`${prefix}.top1`, row, 'accuracy');
    add(`${prefix}.latency`, row, 'modelMs', 'ms per image, not per batch');
    add(`${prefix}.block-length`, row, 'blockLength');
  }
  for (const [prefix, row] of [['T5.dense', 'none'], ['T5.l1', 'l1'], ['T5.der', entropyRow]] as const) {
    add(`${prefix}.top1`, row, 'accuracy');
    add(`${prefix}.latency`, row, 'modelMs', 'ms per image');
    add(`${prefix}.memory`, row, 'peakMB', 'tfjs tensors + kernel buffers per batch (converted from MB), not GPU memory');
    add(`${prefix}.throughput`, row, 'throughput');
    if (prefix !== 'T5.dense') {
      add(`${prefix}.flops-reduction`, row, 'attentionFlopsReduction', 'attention FLOPs only; modelFlopsReduction has the whole model');
      add(`${prefix}.speedup`, row, 'speedup');
    }
  }
  if (iouCol) {
    const masks = 'exact procedural masks at patch level, top 25% patches (75% sparsity)';
    add('T18.l1.iou-gt', 'l1', iouCol, masks);
    add('T18.der.iou-gt', entropyRow, iouCol, masks);
    // The in-text 0.73 / 0.41 are against DINOv2 proxy masks; ours are against the exact masks, as in Table 18.
    add('abs.iou.der', entropyRow, iouCol, `${masks}; the paper's 0.73 is against DINOv2 proxy masks`);
    add('S4.iou-proxy.l1', 'l1', iouCol, `${masks}; the paper's 0.41 is against DINOv2 proxy masks`);
    add('abs.iou.magnitude', 'none', iouCol, `${masks}; magnitude pruning keeps the order of the weights, so its top-25% mask is the unpruned (none) model's`);
    const der = get(entropyRow, iouCol);
    const l1 = get('l1', iouCol);
    links.push({
      claim: 'S4.iou-proxy.relative-gain',
      row: entropyRow && l1 ? `${entropyRow} vs l1` : '',
      column: iouCol,
      ...declared(iouCol, der && l1 && l1.mean > 0 ? { mean: (100 * (der.mean - l1.mean)) / l1.mean, ci95: null, n: Math.min(der.n, l1.n) } : null, entropyRow ?? ''),
      unit: '%',
      quantity: 'relative IoU gain of the entropy model over L1',
      note: `${prefix}; (IoU_entropy − IoU_l1) / IoU_l1 of the seed means, no interval; ${masks}`,
    });
  }
  add('T19.der.accuracy', entropyRow, 'accuracy', 'block-sparse at the shared key budget b');
  add('T19.der.sparsity', entropyRow, 'sparsity');
  addPruned('T19.magnitude.accuracy', rows.some((r) => r.model === 'none') ? 'none' : null, 'dense', pruneTargets.magnitude, 'accuracy');
  addPruned('T19.magnitude.sparsity', rows.some((r) => r.model === 'none') ? 'none' : null, 'dense', pruneTargets.magnitude, 'sparsity');
  addPruned('T19.der-plus-magnitude.accuracy', entropyRow, 'block-sparse', pruneTargets.combined, 'accuracy');
  addPruned('T19.der-plus-magnitude.sparsity', entropyRow, 'block-sparse', pruneTargets.combined, 'sparsity');
  addPruned('S4.vit.der-plus-magnitude.sparsity', entropyRow, 'block-sparse', pruneTargets.combined, 'sparsity');
  for (const [prefix, row] of [['T24.dense-fa2', 'none'], ['T24.l1-topb-fa2', 'l1'], ['T24.der-fa2', entropyRow]] as const) {
    add(`${prefix}.top1`, row, 'accuracy', 'no FlashAttention: one JS kernel family for all rows');
    add(`${prefix}.latency`, row, 'modelMs', 'ms per image');
    add(`${prefix}.memory`, row, 'peakMB');
  }
  const has = (row: string): string | null => (rows.some((r) => r.row === row) ? row : null);
  // The paper's mCE baseline is unstated; Hendrycks & Dietterich normalise by a reference model, and ours is the
  // none model, so its mCE is 100 by construction. The claim rows therefore read the raw mean corruption error,
  // which compares across rows as the paper's numbers do; the normalised value is in the note and the table.
  const mceNote = (row: string | null): string => {
    const hd = get(row, 'mceHD');
    return `raw mean corruption error over the corruption suite (%), not normalised${hd?.mean != null ? `; normalised by our none model (Hendrycks & Dietterich): ${hd.mean.toFixed(1)}` : ''}`;
  };
  const oodNote = 'OOD = same shapes on label-independent textures, not SVHN';
  const pgdNote = 'PGD with random start on the first pgdSize test images, ε and steps as in the run\'s config';
  for (const [prefix, row] of [['T27.standard', 'none'], ['T27.label-smoothing', has('label-smoothing')], ['T27.der', entropyRow]] as const) {
    add(`${prefix}.clean-acc`, row, 'denseAccuracyFullTest', 'in-distribution test set (with the training texture bias)');
    add(`${prefix}.mce`, row, 'meanCorruptionError', mceNote(row));
    add(`${prefix}.svhn`, row, 'oodRandom', oodNote);
    add(`${prefix}.train-cost`, row, 'trainCost');
    add(`${prefix}.pgd10-acc`, row, 'pgdAccuracy', pgdNote);
  }
  const fgsm = has('fgsm-at');
  add('T27.fast-fgsm.train-cost', fgsm, 'trainCost', 'measured here (the paper quotes literature values)');
  add('T27.fast-fgsm.clean-acc', fgsm, 'denseAccuracyFullTest', 'measured here (the paper quotes literature values)');
  add('T27.fast-fgsm.pgd10-acc', fgsm, 'pgdAccuracy', `measured here (the paper quotes literature values); ${pgdNote}`);
  add('S4.robust.adv-training.mce', fgsm, 'meanCorruptionError', `our adversarial training is fast FGSM-AT (the paper does not say which); ${mceNote(fgsm)}`);
  add('S4.robust.label-smoothing.mce', has('label-smoothing'), 'meanCorruptionError', mceNote(has('label-smoothing')));
  add('abs.cifar100c.der.mce', entropyRow, 'meanCorruptionError', mceNote(entropyRow));
  add('abs.cifar100c.baseline.mce', 'none', 'meanCorruptionError', mceNote('none'));
  add('S4.robust.der.svhn', entropyRow, 'oodRandom', oodNote);
  add('S4.robust.baseline.svhn', 'none', 'oodRandom', oodNote);
  return links;
}
