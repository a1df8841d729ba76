/**
 * The three floors (renderer → main → worker) and the worker's own layers, checked on every `npm test`.
 * See DESIGN.md, "Rules that keep it simple".
 */
const SCIENCE = '^src-worker/(geometry|entropy|vision|models)/';

module.exports = {
  forbidden: [
    {
      name: 'renderer-reaches-main-only-through-contract-and-figures',
      comment: 'The renderer sees main only through the Api types (api/contract.ts) and the pure figure functions.',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { path: '^src-main/', pathNot: ['^src-main/api/contract\\.ts$', '^src-main/figures/'] },
    },
    {
      name: 'renderer-reaches-worker-only-through-shared',
      comment: 'Of the worker floor the renderer may import src-worker/shared/ alone.',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { path: '^src-worker/', pathNot: '^src-worker/shared/' },
    },
    {
      name: 'main-reaches-worker-only-through-shared-and-configs',
      comment: "Main imports from the worker floor only src-worker/shared/, the experiments' light config.ts files, their seed combiners (combine.ts, pure: checked below) and the registry that lists them.",
      severity: 'error',
      from: { path: '^src-main/' },
      to: { path: '^src-worker/', pathNot: ['^src-worker/shared/', '^src-worker/experiments/[^/]+/(config|combine)\\.ts$', '^src-worker/experiments/(registry|types)\\.ts$'] },
    },
    {
      name: 'seed-combiners-stay-pure',
      comment: "A kind's seed combiner runs in main: it and the table code it rebuilds with import (other than types) only their kind's config, table and the pure vision/robustness maths, and src-worker/shared/; no tfjs, no models, no process.",
      severity: 'error',
      from: { path: '^src-worker/experiments/[^/]+/(combine|table)\\.ts$' },
      to: {
        dependencyTypesNot: ['type-only'],
        pathNot: ['^src-worker/shared/', '^src-worker/experiments/[^/]+/(config|table)\\.ts$', '^src-worker/vision/robustness\\.ts$', '(^|/)node_modules/zod/'],
      },
    },
    {
      name: 'pure-robustness-maths',
      comment: 'vision/robustness.ts is reached from main through a seed combiner: it imports nothing.',
      severity: 'error',
      from: { path: '^src-worker/vision/robustness\\.ts$' },
      to: { dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'experiment-registry-stays-light',
      comment: 'Main imports the registry, so it lists the config.ts files and nothing heavier.',
      severity: 'error',
      from: { path: '^src-worker/experiments/registry\\.ts$' },
      to: { path: '^src-worker/', pathNot: ['^src-worker/experiments/[^/]+/config\\.ts$', '^src-worker/experiments/types\\.ts$', '^src-worker/shared/'] },
    },
    {
      name: 'worker-imports-no-main-or-renderer',
      comment: 'Nothing runs back up the floors.',
      severity: 'error',
      from: { path: '^src-worker/' },
      to: { path: '^src-(main|renderer)/' },
    },
    {
      name: 'shared-imports-nothing-else-of-the-project',
      comment: 'src-worker/shared/ is the bottom of the worker floor: every floor imports it, it imports no other project file.',
      severity: 'error',
      from: { path: '^src-worker/shared/' },
      to: { path: '^src-', pathNot: '^src-worker/shared/' },
    },
    {
      name: 'shared-uses-no-node-or-dom-api',
      comment: 'src-worker/shared/ runs in the renderer too: no Node built-ins, and of the npm packages only pure ones.',
      severity: 'error',
      from: { path: '^src-worker/shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'shared-uses-only-pure-packages',
      comment: 'zod (schemas) and jstat (statistics) only.',
      severity: 'error',
      from: { path: '^src-worker/shared/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], pathNot: '(^|/)node_modules/(zod|jstat)/' },
    },
    {
      name: 'science-knows-no-processes-databases-or-experiments',
      comment: 'geometry, entropy, vision and models are libraries: no worker entry, IPC, database or experiment code.',
      severity: 'error',
      from: { path: SCIENCE },
      to: {
        path: ['^src-main/', '^src-renderer/', '^src-worker/experiments/', '^src-worker/(entry|channel|parent-watch)\\.ts$', '(^|/)node_modules/(better-sqlite3|electron|bullmq|ioredis)/'],
      },
    },
    {
      name: 'science-spawns-no-processes',
      severity: 'error',
      from: { path: SCIENCE },
      to: { dependencyTypes: ['core'], path: '^(node:)?(child_process|cluster|worker_threads)$' },
    },
    {
      name: 'geometry-knows-no-tfjs',
      comment: 'Geometry is plain Float64 code; whatever needs a network lives in models/ or an experiment.',
      severity: 'error',
      from: { path: '^src-worker/geometry/' },
      to: { path: ['(^|/)node_modules/@tensorflow/', '^src-worker/models/'] },
    },
  ],
  options: {
    includeOnly: { path: ['^src-', '(^|/)node_modules/'] },
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.mjs', '.cjs', '.svelte', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
