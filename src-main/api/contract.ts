/**
 * The one Api of the workbench (DESIGN.md "Contracts"): types only. The IPC handlers, the preload bridge, the
 * HTTP host and the renderer client are all derived from `ApiMethods` below, so nothing is retyped by hand.
 */

export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'crashed';
export const RUN_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled', 'crashed'] as const satisfies readonly RunStatus[];
export type JsonObject = Record<string, unknown>;

export interface Run {
  id: string;
  kind: string;
  name: string;
  status: RunStatus;
  config: JsonObject;
  seed: number;
  summary: JsonObject | null;
  backend: JsonObject | null;
  host: JsonObject | null;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  progress: number;
  progressMessage: string;
  error: string | null;
  exitInfo: string | null;
  tags: string[];
  notes: string;
  parentId: string | null;
  source: 'local' | 'imported';
}

export interface SeriesInfo {
  key: string;
  count: number;
  minStep: number | null;
  maxStep: number | null;
  lastValue: number | null;
}

export interface ArtifactInfo {
  name: string;
  mime: string;
  size: number;
  meta: JsonObject;
}

export interface LogLine {
  seq: number;
  level: string;
  text: string;
  time: number;
}

export interface RunDetail extends Run {
  series: SeriesInfo[];
  artifacts: ArtifactInfo[];
  logs: LogLine[];
  /** Every series as getMetrics gives it (in `series` order), when getRun was asked for them (`metrics`). */
  metrics?: MetricSeries[];
}

export interface RunQuery {
  kind?: string;
  status?: RunStatus;
  parentId?: string;
  search?: string;
  limit?: number;
  offset?: number;
}

/** One page of the run list, filtered and sorted in the store over every run. */
export interface RunListQuery {
  /** A filter expression (`kind = entropynet-train and config.lambda >= 0.05`); see src-main/store/run-filter.ts. */
  filter?: string;
  /** Contains-search over name, id and tags (case-insensitive; % and _ are literal). */
  search?: string;
  /** `created`, `name`, `kind`, `status`, `ended`, `seed`, `config.<key>` or `summary.<key>`. */
  sort?: { by: string; dir: 'asc' | 'desc' };
  /** Only runs without a parent (sweep children are then listed under their sweep, by `parentId`). */
  roots?: boolean;
  parentId?: string;
  limit?: number;
  offset?: number;
}
export interface RunPage {
  runs: Run[];
  /** The number of runs the filter matches (not the page length). */
  total: number;
  /** For each run of the page that has child runs (a sweep): how many. */
  childCounts: Record<string, number>;
}

export interface MetricPoint {
  step: number;
  value: number | null;
  /** When the row was written (ms since the epoch); only with `withWallTime`. */
  wallTime?: number;
}
export interface MetricSeries {
  key: string;
  /** True when the store returned min/max bucket extremes instead of every raw row. */
  downsampled: boolean;
  points: MetricPoint[];
}

export interface TimingSample {
  task: string;
  dataset: string;
  n: number;
  algorithm: string;
  preprocess: string;
  seed: number;
  repeat: number;
  ms: number;
  quality: Record<string, number | null> | null;
}

export interface Artifact extends ArtifactInfo {
  base64: string;
}

export interface ExperimentInfo {
  kind: string;
  title: string;
  description: string;
  timing: boolean;
  /** JSON Schema (draft 2020-12) of the config, generated from the zod schema. */
  configSchema: JsonObject;
  defaults: JsonObject;
  presets: Record<string, JsonObject>;
}

export interface ExportedRun {
  format: 'der-run-v1';
  run: Run;
  metrics: Array<{ key: string; points: Array<[number, number | null, number]> }>;
  timings: TimingSample[];
  artifacts: Artifact[];
  logs: LogLine[];
}

export interface ImportResult {
  imported: string[];
  skipped: Array<{ id: string; reason: string }>;
}

export type ClaimVerdict =
  | 'reproduced'
  | 'exceeds'
  | 'not reproduced'
  | 'inconclusive'
  | 'machine-bound'
  | 'analogue'
  | 'different setting'
  | 'same as'
  | 'not run'
  | 'no experiment'
  | 'not checkable'
  | 'not runnable here'
  | 'setting';

/** One run's measurement of a claim: the value and the setting the run declares it measured in. */
export interface ClaimMeasurement {
  value: number;
  ci95: [number, number] | null;
  unit: string;
  quantity: string;
  portability: 'portable' | 'machine-bound';
  dataset: { name: string; kind: 'real' | 'stand-in' };
  n: number | null;
  method: string;
  seeds: number;
  scale: 'paper' | 'small-scale';
  check?: 'holds' | 'fails';
  /** Choices the check made where the paper leaves them open: a check that holds under them is inconclusive. */
  assumed?: string[];
  note?: string;
  runId: string;
  runName: string;
  /** Host and backend of the run, shown beside machine-bound numbers. */
  machine: string;
  backend: string;
  /** False for runs of earlier builds (or imports) whose link states no setting: never judged. */
  declared: boolean;
  /**
   * For an undeclared link: the setting inferred from the run's stored config (`from` says how), the fields it
   * could not infer (`missing`; any left → never judged) and differences the earlier build is known to have.
   */
  inferred?: { from: string; missing: string[]; differences: string[] };
}

/** An arithmetic check recomputed from the paper's own numbers. */
export interface ClaimArithmetic {
  id: string;
  /** `break-even`: App. C.1's N = T / ((1 − 1/S) · t_batch) for one break-even row, from the paper's own inputs. */
  kind: 'inconsistency' | 'consistency' | 'break-even';
  what: string;
  /** Each step: the expression, its value, and what the paper prints for it (if anything). */
  steps: Array<{ expr: string; value: number; paper: number | null; ok: boolean | null }>;
  /** True when every step agrees with the paper within its rounding. */
  ok: boolean;
  claims: string[];
}

export interface ClaimRow {
  id: string;
  pillar: string;
  where: string;
  metric: string;
  quote: string;
  setting: JsonObject;
  paper: {
    value: number | null;
    valueText: string | null;
    unit: string | null;
    range: number[] | null;
    plusMinus: number | null;
    plusMinusKind: string | null;
    direction: 'higher_is_better' | 'lower_is_better' | 'neutral';
  };
  runnable: boolean;
  duplicateOf: string | null;
  notes: string | null;
  ours: ClaimMeasurement | null;
  verdict: ClaimVerdict;
  verdictReason: string;
  /** The differences of setting between the paper's claim and our measurement, named. */
  differences: string[];
  /** For a restatement: the claim it restates (its measurement and verdict are the original's). */
  sameAs: string | null;
  /** Inconsistencies and consistency checks that touch this claim (ids into ClaimsReport). */
  arithmetic: string[];
  /** For a headline claim: the table it rests on, and how. */
  restsOn: string | null;
  /** For a break-even row: N recomputed from the paper's own inputs and from ours. */
  breakEven?: ClaimBreakEven | null;
}

/** A break-even row (App. C.1's N = T / ((1 − 1/S) · t_batch)) recomputed from the paper's inputs and ours. */
export interface ClaimBreakEven {
  /** From the paper's own T, S and t_batch (null when it gives no t_batch for the row); `arithmetic` opens the steps. */
  paper: { value: number | null; text: string; arithmetic: string };
  /** From a run's measured inputs; `reachable` is false when our speedup is ≤ 1, so no number of batches amortises T. */
  ours: { reachable: boolean; value: number | null; speedup: number | null; speedupCi95: [number, number] | null; seeds: number; runId: string; text: string } | null;
}

export interface ReproducePlan {
  mode: 'quick' | 'full';
  steps: Array<{
    kind: string;
    preset: string;
    claims: string[];
    estimateSeconds: number;
    estimateFrom: string;
    /** A finished run of the same config (the step is skipped), or null. */
    doneBy: string | null;
    /** A queued or running run of the same config, or null. */
    inFlight: string | null;
    /** The training step whose model this step times, while no finished run of it exists (the step waits). */
    waitsFor?: string | null;
  }>;
}

export interface ClaimsReport {
  title: string;
  rows: ClaimRow[];
  inconsistencies: Array<{ id: string; severity: string; type: string; what: string; where?: string[]; detail?: string; claims?: string[] }>;
  /** The arithmetic of the inconsistencies and consistency checks, recomputed from the catalogue's numbers. */
  arithmetic: ClaimArithmetic[];
  /** Verdict counts with each restatement counted once (under its original). */
  counts: Partial<Record<ClaimVerdict, number>>;
  /** The verdict rules, one sentence each, for legends. */
  rules: Array<{ verdict: string; rule: string }>;
}

export interface HealthInfo {
  ok: true;
  version: string;
  db: string;
}

/** Every request/response method of the Api. Arguments are positional and JSON-serialisable. */
export interface ApiMethods {
  health(): Promise<HealthInfo>;
  listRuns(query?: RunQuery): Promise<Run[]>;
  /**
   * `metrics`: every series of the run comes in the same answer, at that point budget (the run page's first
   * charts after one round trip, not a second request once the key list is known).
   */
  getRun(id: string, options?: { metrics?: { maxPoints?: number } }): Promise<RunDetail>;
  getMetrics(id: string, keys: string[], options?: { maxPoints?: number; fromStep?: number; toStep?: number; withWallTime?: boolean }): Promise<MetricSeries[]>;
  getTimings(id: string): Promise<TimingSample[]>;
  getArtifact(id: string, name: string): Promise<Artifact>;
  listExperiments(): Promise<ExperimentInfo[]>;
  startRun(kind: string, config: JsonObject, name?: string): Promise<Run>;
  cancelRun(id: string): Promise<Run>;
  updateRun(id: string, patch: { name?: string; tags?: string[]; notes?: string }): Promise<Run>;
  deleteRun(id: string): Promise<{ deleted: string }>;
  /** A page of runs filtered and sorted over the whole store, with the true filtered count. */
  queryRuns(query: RunListQuery): Promise<RunPage>;
  /** Adds and removes tags on many runs in one transaction. */
  tagRuns(ids: string[], change: { add?: string[]; remove?: string[] }): Promise<{ updated: number }>;
  /** Deletes many runs in one transaction; refuses them all when one is queued or running. */
  deleteRuns(ids: string[]): Promise<{ deleted: string[] }>;
  /** `text` is the content of a file written by exportRun (one run or a JSON array of runs). */
  importRuns(text: string): Promise<ImportResult>;
  /**
   * Imports uploaded files: workbench exports (.json), CSV and JSONL metric logs, TensorBoard event files and
   * MLflow stores (names may be relative paths, so a folder arrives whole). All or nothing.
   */
  importFiles(files: Array<{ name: string; base64: string }>): Promise<ImportResult>;
  exportRun(id: string, format: 'json'): Promise<ExportedRun>;
  /** Every numeric claim of the paper beside our measurement of it (from finished runs) and a verdict. */
  listClaims(): Promise<ClaimsReport>;
  /** Which presets a reproduction runs, the claims each measures, estimated time; steps already done or in flight. */
  reproducePlan(mode: 'quick' | 'full'): Promise<ReproducePlan>;
  /** Queues the plan's steps that no finished, queued or running run covers; returns the runs started. */
  reproduce(mode: 'quick' | 'full'): Promise<{ started: string[] }>;
  /** The reproduction report of the finished runs: a self-contained HTML file and its PDF (base64). */
  reproductionReport(): Promise<{ html: string; pdfBase64: string }>;
  /** An SVG figure drawn by the renderer, as a PDF with its fonts embedded or a PNG drawn with the same fonts. */
  convertFigure(svg: string, format: 'pdf' | 'png', size: { widthPt: number; heightPt: number; scale?: number }): Promise<{ base64: string; mime: string }>;
  /** Every figure of the runs (their kind's figures, a chart per metric and key prefix) as files. */
  exportFigures(runIds: string[], settings: FigureFilesSettings): Promise<Array<{ name: string; base64: string }>>;
  /** Where runs go: this machine's workers or cluster agents through a Redis (never with its password). */
  getCluster(): Promise<ClusterStatus>;
  /**
   * Saves the Redis runs go to (`redis://[:PASSWORD@]HOST:PORT`, or null for this machine) after reaching it.
   * Applies now when runs go to this machine, else when the workbench starts again.
   */
  setCluster(redis: string | null): Promise<ClusterStatus>;
}

export interface ClusterStatus {
  /** The Redis runs are queued on now (address without the password), or null: local workers. */
  active: string | null;
  /** What chose it: --redis, DER_REDIS, or the saved setting. */
  source: 'flag' | 'env' | 'setting' | null;
  /** The saved setting (address without the password), or null. */
  saved: string | null;
  /** The saved setting differs from what is active and applies when the workbench starts again. */
  pendingRestart: boolean;
}

/** How `exportFigures` draws: theme, width (`3.25in`, `6.75in`, `8.5cm`), font size (`8pt`), the formats. */
export interface FigureFilesSettings {
  theme?: 'paper' | 'screen';
  width?: string;
  fontSize?: string;
  formats?: Array<'svg' | 'pdf' | 'png'>;
}
export type ApiMethodName = keyof ApiMethods;
export const API_METHODS = [
  'health', 'listRuns', 'getRun', 'getMetrics', 'getTimings', 'getArtifact', 'listExperiments', 'startRun',
  'cancelRun', 'updateRun', 'deleteRun', 'queryRuns', 'tagRuns', 'deleteRuns', 'importRuns', 'importFiles', 'exportRun', 'listClaims',
  'reproducePlan', 'reproduce', 'reproductionReport', 'convertFigure', 'exportFigures', 'getCluster', 'setCluster',
] as const satisfies readonly ApiMethodName[];

export type ApiEvent =
  | { type: 'runChanged'; run: Run }
  | { type: 'runDeleted'; id: string }
  | { type: 'runProgress'; id: string; fraction: number; message: string };

export interface Api extends ApiMethods {
  /** Subscribe to run events; returns the unsubscribe function. */
  onEvent(listener: (event: ApiEvent) => void): () => void;
}

export type ApiErrorCode = 'invalid_input' | 'not_found' | 'conflict' | 'unavailable' | 'internal';
export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; issues?: Array<{ path: string; message: string }> };
}

/** The typed error every front end receives: a code a program can switch on and a message a person can read. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly issues?: Array<{ path: string; message: string }>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
  toBody(): ApiErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) } };
  }
}
