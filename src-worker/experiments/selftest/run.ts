import { exclusively, type ExperimentRun } from '../types';
import type { SelftestConfig } from './config';
import type { SelftestResult } from '../../shared/results/selftest';
import { rng } from '../../shared/random';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const run: ExperimentRun<SelftestConfig, SelftestResult> = async (config, ctx) => {
  const random = rng(config.seed);
  ctx.backend('none', { note: 'selftest computes nothing on a tensor backend' });
  ctx.log(`selftest: ${config.steps} steps`);
  let loss = 0;
  for (let step = 0; step < config.steps; step++) {
    await ctx.tick();
    if (config.failAt !== null && step === config.failAt) throw new Error(`selftest failed on request at step ${step}`);
    if (config.crashAt !== null && step === config.crashAt) {
      ctx.log(`selftest hard-exits at step ${step}`, 'warn');
      // Long enough for the entry's 100 ms metric batch to reach main: the test then checks those rows stay.
      await sleep(300);
      process.exit(3);
    }
    if (config.exclusiveAt !== null && step === config.exclusiveAt) {
      // Worker clock at both ends of the phase: a test checks no other run's `clock` falls between them.
      await exclusively(ctx, 'selftest exclusive phase', async () => {
        ctx.metric('exclusive_begin', step, Date.now());
        await sleep(config.exclusiveMs);
        ctx.metric('exclusive_end', step, Date.now());
      });
    }
    if (config.logClock) ctx.metric('clock', step, Date.now());
    loss = Math.exp(-step / Math.max(1, config.steps / 4)) + 0.05 * random();
    ctx.metric('loss', step, loss);
    ctx.metric('accuracy', step, 1 - loss / 2);
    ctx.metric('lr', step, 1e-3 * 0.5 * (1 + Math.cos((Math.PI * step) / config.steps)));
    ctx.progress((step + 1) / config.steps, `step ${step + 1}/${config.steps}`);
    if (config.delayMs > 0) await sleep(config.delayMs);
  }
  const report = { steps: config.steps, finalLoss: loss };
  ctx.artifact('report.json', 'application/json', new TextEncoder().encode(JSON.stringify(report, null, 2)), { kind: 'report' });
  return { steps: config.steps, final_loss: loss };
};
