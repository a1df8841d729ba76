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
}

export interface RunQuery {
  kind?: string;
  status?: RunStatus;
  parentId?: string;
  search?: string;
  limit?: number;
  offset?: number;
}

export interface MetricPoint {
  step: number;
  value: number | null;
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

export type ClaimVerdict = 'reproduced' | 'not reproduced' | 'inconclusive' | 'analogue' | 'not run' | 'not runnable here' | 'setting';

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
  ours: { value: number; ci95: [number, number] | null; unit: string; runId: string; runName: string; note?: string; analogue?: boolean } | null;
  verdict: ClaimVerdict;
  verdictReason: string;
}

export interface ClaimsReport {
  title: string;
  rows: ClaimRow[];
  inconsistencies: Array<{ id: string; severity: string; type: string; what: string; where?: string[]; detail?: string; claims?: string[] }>;
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
  getRun(id: string): Promise<RunDetail>;
  getMetrics(id: string, keys: string[], options?: { maxPoints?: number; fromStep?: number; toStep?: number }): Promise<MetricSeries[]>;
  getTimings(id: string): Promise<TimingSample[]>;
  getArtifact(id: string, name: string): Promise<Artifact>;
  listExperiments(): Promise<ExperimentInfo[]>;
  startRun(kind: string, config: JsonObject, name?: string): Promise<Run>;
  cancelRun(id: string): Promise<Run>;
  updateRun(id: string, patch: { name?: string; tags?: string[]; notes?: string }): Promise<Run>;
  deleteRun(id: string): Promise<{ deleted: string }>;
  /** `text` is the content of a file written by exportRun (one run or a JSON array of runs). */
  importRuns(text: string): Promise<ImportResult>;
  exportRun(id: string, format: 'json'): Promise<ExportedRun>;
  /** Every numeric claim of the paper beside our measurement of it (from finished runs) and a verdict. */
  listClaims(): Promise<ClaimsReport>;
}
export type ApiMethodName = keyof ApiMethods;
export const API_METHODS = [
  'health', 'listRuns', 'getRun', 'getMetrics', 'getTimings', 'getArtifact', 'listExperiments', 'startRun',
  'cancelRun', 'updateRun', 'deleteRun', 'importRuns', 'exportRun', 'listClaims',
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
