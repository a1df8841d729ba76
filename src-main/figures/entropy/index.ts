/**
 * Figures of an `entropy-validation` run, one module per figure: margin vs error (paper Fig. 2), surrogate vs the
 * structural-entropy bound (Fig. 4 / App. E.3), the fitted anchors / planes / rectangle cuts over the point set,
 * and the estimator comparison (Table 15). Pure (no DOM, no Node): the renderer mounts these options in
 * EChart.svelte, the tests render them with ECharts SSR.
 *
 * The summary and the `fit-states.json` artifact are JSON from the store; the parsers read them defensively,
 * so a run of an older or partial shape shows what it has instead of throwing.
 *
 * Units: surrogates and hard entropies are in nats, structural-entropy bounds in bits (as the run logs them).
 * The run fits its least-squares lines against the triangulation bound in *nats*; the scatter plots bits, so
 * the line is redrawn as y = (slope·ln 2)·x_bits + intercept, the same line (R² does not change with the unit).
 */
export * from './summary';
export * from './margin-error';
export * from './surrogate-truth';
export * from './fit-states';
export * from './estimator-sets';
