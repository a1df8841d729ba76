/**
 * The run's protocol: which of the paper's training settings (Table 21's geometry column, G.7–G.11, G.14) the
 * run kept and which it changed, and its data size beside the Paper preset's (the paper states no data size).
 * Derived from the config, so a preset cannot claim a setting it does not use.
 */
import { configSchema, type EntropyNetTrainConfig } from './config';

interface Setting {
  name: string;
  value: (c: EntropyNetTrainConfig) => string;
}

const kOf = (c: EntropyNetTrainConfig): string => (c.k === null ? `min(16, n/4) = ${Math.min(16, Math.floor(c.n / 4))}` : String(c.k));

/** The paper's settings; the schema's defaults are the paper's values (the Paper preset). */
const PAPER_SETTINGS: readonly Setting[] = [
  { name: 'epochs', value: (c) => String(c.epochs) },
  { name: 'batch size', value: (c) => String(c.batchSize) },
  { name: 'AdamW learning rate', value: (c) => String(c.lr) },
  { name: 'weight decay', value: (c) => String(c.weightDecay) },
  { name: 'AdamW β1/β2/ε', value: (c) => `${c.beta1}/${c.beta2}/${c.epsilon}` },
  { name: 'gradient clipping', value: (c) => String(c.gradClip) },
  { name: 'surrogate', value: (c) => c.surrogate },
  { name: 'λ', value: (c) => String(c.lambda) },
  { name: 'k', value: (c) => (c.k === null ? 'min(16, n/4)' : String(c.k)) },
  { name: 'α', value: (c) => `${c.alphaStart} → ${c.alphaEnd} over ${c.alphaAnnealFraction} of the regularised steps` },
  { name: 'regulariser from epoch', value: (c) => `${c.regStartEpoch}${c.regEndEpoch === null ? '' : ` to ${c.regEndEpoch}`}` },
  { name: 'early stop', value: (c) => `${c.earlyStopAction === 'stop' ? 'training' : 'regulariser'} stops after ${c.earlyStopPatience} flat margin epochs` },
  { name: 'anchors', value: (c) => `${c.anchorInit}, ${c.learnAnchors ? 'learned' : 'fixed'}` },
  { name: 'σ', value: (c) => String(c.sigma) },
  { name: 'dropout', value: (c) => String(c.dropout) },
  { name: 'task loss', value: (c) => c.taskLoss },
  { name: 'checkpoint every', value: (c) => `${c.checkpointEvery} epochs` },
];

const dataSize = (c: EntropyNetTrainConfig): string => `${c.trainSets} training and ${c.valSets} validation sets of ${c.n} points`;
const evaluation = (c: EntropyNetTrainConfig): string =>
  `${c.evalDatasets.join(', ')} at n = ${c.evalSizes.join(', ')}, ${c.evalAlgorithms.join(', ')}, ${c.evalSeeds.length} seeds${c.evalExact ? ', exact mode' : ''}`;

export interface TrainingProtocol {
  /** The paper's settings this run kept, with their values. */
  kept: string[];
  /** The paper's settings this run changed: "name: ours (paper: theirs)". */
  changed: string[];
  /** This run's data size and evaluation beside the Paper preset's, when they differ. */
  data: string;
  text: string;
}

export function trainingProtocol(config: EntropyNetTrainConfig): TrainingProtocol {
  const paper = configSchema.parse({});
  const kept: string[] = [];
  const changed: string[] = [];
  for (const s of PAPER_SETTINGS) {
    const ours = s.value(config);
    const theirs = s.value(paper);
    if (ours === theirs) kept.push(`${s.name} ${s.name === 'k' ? kOf(config) : ours}`);
    else changed.push(`${s.name}: ${ours} (paper: ${theirs})`);
  }
  const sameData = dataSize(config) === dataSize(paper);
  const data = sameData
    ? `data as the Paper preset: ${dataSize(config)}`
    : `data ${config.n * config.trainSets < paper.n * paper.trainSets ? 'reduced' : 'differs'}: ${dataSize(config)} (the Paper preset: ${dataSize(paper)}; the paper states no data size)`;
  const evalText = evaluation(config) === evaluation(paper) ? `evaluation as the Paper preset (${evaluation(config)})` : `evaluation: ${evaluation(config)} (the Paper preset: ${evaluation(paper)})`;
  const text = [
    `Table 21 / G.7–G.14 settings kept: ${kept.length ? kept.join('; ') : 'none'}.`,
    changed.length ? `Changed from the paper: ${changed.join('; ')}.` : 'No training setting changed from the paper.',
    `${data[0].toUpperCase()}${data.slice(1)}.`,
    `${evalText[0].toUpperCase()}${evalText.slice(1)}.`,
  ].join(' ');
  return { kept, changed, data, text };
}
