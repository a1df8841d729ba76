/**
 * Corruption robustness summaries (Hendrycks & Dietterich 2019, Sec. 3; paper Table 27 / App. H.7).
 *
 * E^f_{s,c} is the top-1 error of model f on corruption c at severity s. Then
 *   CE^f_c = Σ_s E^f_{s,c} / Σ_s E^base_{s,c}           (normalised by a baseline model's errors)
 *   mCE^f  = 100 · mean_c CE^f_c
 *   relative CE^f_c = Σ_s (E^f_{s,c} − E^f_clean) / Σ_s (E^base_{s,c} − E^base_clean), relative mCE likewise.
 * The original normalises by AlexNet; here the baseline is the unregularised model of the same run (so its
 * own mCE is 100 by definition). Because that choice drives the number, the raw mean error
 *   100 · mean_{c,s} E^f_{s,c}
 * is reported beside it.
 */

/** Error rates in [0, 1] per corruption, indexed by severity − 1. */
export type CorruptionErrors = Record<string, number[]>;

export interface MceResult {
  mce: number;
  perCorruption: Record<string, number>;
}

export function mCE(model: CorruptionErrors, baseline: CorruptionErrors): MceResult {
  const perCorruption: Record<string, number> = {};
  const names = Object.keys(model);
  let sum = 0;
  for (const c of names) {
    const base = baseline[c];
    if (!base) throw new Error(`mCE: baseline has no errors for corruption "${c}"`);
    const num = model[c].reduce((a, b) => a + b, 0);
    const den = base.reduce((a, b) => a + b, 0);
    perCorruption[c] = den > 0 ? num / den : NaN;
    sum += perCorruption[c];
  }
  return { mce: (100 * sum) / names.length, perCorruption };
}

export function relativeMCE(model: CorruptionErrors, modelClean: number, baseline: CorruptionErrors, baselineClean: number): MceResult {
  const perCorruption: Record<string, number> = {};
  const names = Object.keys(model);
  let sum = 0;
  for (const c of names) {
    const num = model[c].reduce((a, e) => a + (e - modelClean), 0);
    const den = baseline[c].reduce((a, e) => a + (e - baselineClean), 0);
    perCorruption[c] = den !== 0 ? num / den : NaN;
    sum += perCorruption[c];
  }
  return { mce: (100 * sum) / names.length, perCorruption };
}

/** 100 · mean over corruptions and severities of the error. */
export function rawMeanError(model: CorruptionErrors): number {
  let s = 0;
  let n = 0;
  for (const errs of Object.values(model)) {
    for (const e of errs) {
      s += e;
      n++;
    }
  }
  return n > 0 ? (100 * s) / n : NaN;
}
