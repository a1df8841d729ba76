/**
 * The worker ⇄ main message protocol (DESIGN.md "Worker protocol").
 * Both ends validate every message with these schemas; nothing else crosses the process boundary.
 */
import { z } from 'zod';

export const PROTOCOL_VERSION = 1;

/** An artifact of another run that this run reads (a checkpoint to resume, a trained model to evaluate). */
export const ArtifactInput = z.object({ runId: z.string().min(1), name: z.string().min(1), base64: z.string() });
export type ArtifactInput = z.infer<typeof ArtifactInput>;

export const StartMessage = z.object({
  type: z.literal('start'),
  runId: z.string().min(1),
  kind: z.string().min(1),
  config: z.unknown(),
  seed: z.number().int(),
  inputs: z.array(ArtifactInput).default([]),
  /** True when main arbitrates exclusive phases (the local queue); elsewhere a run's exclusive phase just runs. */
  exclusiveSlot: z.boolean().default(false),
});
export const CancelMessage = z.object({ type: z.literal('cancel') });
export const AckMessage = z.object({ type: z.literal('ack'), seq: z.number().int().nonnegative() });
/**
 * The exclusive slot, main → worker: `pause` asks a run to park at its next `tick()` (another run wants the
 * machine quiet for a measurement), `resume` lets it go on, `granted` answers its own `slot request`.
 */
export const SlotControl = z.object({ type: z.literal('slot'), action: z.enum(['pause', 'resume', 'granted']) });
export const MainToWorker = z.discriminatedUnion('type', [StartMessage, CancelMessage, AckMessage, SlotControl]);
export type MainToWorker = z.infer<typeof MainToWorker>;
/** What a sender writes (defaults may be left out). */
export type MainToWorkerInput = z.input<typeof MainToWorker>;
export type StartMessage = z.infer<typeof StartMessage>;

const finiteOrNull = z.number().nullable();

export const MetricRow = z.object({
  step: z.number().int(),
  key: z.string().min(1).max(200),
  /** null stands for a value that was not finite (NaN, ±Infinity): stored as NULL, shown as a gap. */
  value: finiteOrNull,
});
export type MetricRow = z.infer<typeof MetricRow>;

export const TimingRow = z.object({
  task: z.string(),
  dataset: z.string(),
  n: z.number().int().nonnegative(),
  algorithm: z.string(),
  preprocess: z.string(),
  seed: z.number().int(),
  repeat: z.number().int().nonnegative(),
  ms: z.number().nonnegative(),
  /** Quality of the output of that repeat (hull error %, Hausdorff, h, …); free keys, numbers only. */
  quality: z.record(z.string(), z.number().nullable()).optional(),
});
export type TimingRow = z.infer<typeof TimingRow>;

export const JsonValue: z.ZodType<unknown> = z.unknown();

export const WorkerToMain = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), pid: z.number().int(), protocol: z.number().int() }),
  z.object({ type: z.literal('progress'), seq: z.number().int(), fraction: z.number().min(0).max(1), message: z.string() }),
  z.object({ type: z.literal('metrics'), seq: z.number().int(), rows: z.array(MetricRow) }),
  z.object({ type: z.literal('timing'), seq: z.number().int(), rows: z.array(TimingRow) }),
  z.object({
    type: z.literal('artifact'),
    seq: z.number().int(),
    name: z.string().min(1).max(200),
    mime: z.string().min(1),
    /** base64 of the bytes: JSON-safe on both IPC transports. */
    base64: z.string(),
    meta: z.record(z.string(), z.unknown()),
  }),
  z.object({ type: z.literal('log'), seq: z.number().int(), level: z.enum(['debug', 'info', 'warn', 'error']), text: z.string() }),
  z.object({ type: z.literal('backend'), seq: z.number().int(), backend: z.string(), info: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('done'), seq: z.number().int(), summary: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('error'), seq: z.number().int(), message: z.string(), stack: z.string().optional() }),
]);
export type WorkerToMain = z.infer<typeof WorkerToMain>;

/**
 * The exclusive slot, worker → main (no sequence number: nothing is stored): `request` before a measurement
 * that needs the machine alone, `release` after it, `paused` once the run has parked after a `pause`.
 */
export const SlotReport = z.object({ type: z.literal('slot'), state: z.enum(['request', 'release', 'paused']) });
export type SlotReport = z.infer<typeof SlotReport>;
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
export type WorkerEvent = DistributiveOmit<Exclude<WorkerToMain, { type: 'ready' }>, 'seq'>;
