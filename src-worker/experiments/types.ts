/**
 * What an experiment kind is (DESIGN.md "Experiment"). The light half (`ExperimentDefinition`: kind, title,
 * config schema, presets) lives in `<kind>/config.ts` and is imported by main; the heavy half (`run`) lives in
 * `<kind>/run.ts` and only workers import it.
 */
import type { z } from 'zod';
import type { MetricRow, TimingRow } from '../shared/protocol';

export interface ExperimentDefinition<S extends z.ZodType = z.ZodType> {
  kind: string;
  title: string;
  description: string;
  configSchema: S;
  /** Named configs (partial; the schema's defaults fill the rest). The first is what "New run" shows. */
  presets: Record<string, Partial<z.input<S>>>;
  /** Timing experiments run alone so their numbers mean something. */
  timing: boolean;
  /**
   * Not a timing kind, but it measures inside the run through `ctx.exclusive` (latency probes after training).
   * Where no exclusive slot is arbitrated (a cluster agent), such a run runs alone like a timing kind.
   */
  measuresInside?: boolean;
  /**
   * Artifacts of other runs this config reads (e.g. `resumeFrom`, a trained model). Main loads them from the
   * store and hands them to the worker with `start`; the run reads them with `ctx.input(runId, name)`.
   */
  inputs?: (config: z.output<S>) => ArtifactRef[];
  /** True for kinds main runs itself (sweeps): no worker, no runner. */
  runsInMain?: boolean;
}

export interface ArtifactRef {
  runId: string;
  name: string;
}

export interface ExperimentContext {
  runId: string;
  seed: number;
  /** Log one metric value (batched by the entry before it crosses to main). */
  metric(key: string, step: number, value: number): void;
  metrics(rows: MetricRow[]): void;
  timing(rows: TimingRow[]): void;
  artifact(name: string, mime: string, bytes: Uint8Array, meta?: Record<string, unknown>): void;
  progress(fraction: number, message?: string): void;
  log(text: string, level?: 'debug' | 'info' | 'warn' | 'error'): void;
  /** Record which compute backend (tfjs or other) this run used. */
  backend(name: string, info: Record<string, unknown>): void;
  /** Aborted when main asks the run to stop; experiments check it between steps. */
  signal: AbortSignal;
  /**
   * Yields to the event loop, then throws Error('cancelled') if the run was asked to stop. Await it once per
   * step or epoch: a loop that only awaits promises (tfjs `data()` on wasm resolves as a microtask) never lets
   * the worker send its batched metrics or receive a cancel.
   */
  tick(): Promise<void>;
  /**
   * Resolves when every event of the run so far (pending metric rows included) has been written to main's
   * pipe. `tick()` turns the event loop once, which sends small events; a large one (an artifact of a
   * megabyte) goes out a piece per turn and holds back every event after it. A timing kind awaits this
   * before each measurement, so the measurement neither waits on nor delays what it reports. Absent on
   * contexts built by hand (tests).
   */
  written?(): Promise<void>;
  /** The bytes of an artifact of another run that the definition's `inputs` declared; throws if absent. */
  input(runId: string, name: string): Uint8Array;
  /**
   * Runs `measure` with the machine to itself: main parks every other local run at its next `tick()` and
   * starts none until `measure` ends (latency probes of kinds that otherwise train side by side). Absent where
   * nothing arbitrates (tests, a context built by hand): use `exclusively(ctx, …)`, which then just runs it.
   */
  exclusive?<T>(label: string, measure: () => Promise<T>): Promise<T>;
}

/** `ctx.exclusive` when the context has one, else `measure()` as it is. */
export function exclusively<T>(ctx: ExperimentContext, label: string, measure: () => Promise<T>): Promise<T> {
  return ctx.exclusive ? ctx.exclusive(label, measure) : measure();
}

/**
 * The heavy half of a kind: config in, result out. `R` is what the kind's summary schema in
 * src-worker/shared/results/<kind>.ts accepts (`z.input` of it), so the compiler holds the run to the schema
 * that main reads it with; the worker entry checks the value against the same schema before `done`.
 */
export type ExperimentRun<C, R extends Record<string, unknown>> = (config: C, ctx: ExperimentContext) => Promise<R>;
