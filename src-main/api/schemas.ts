/**
 * zod schemas of every Api method's arguments: the boundary check shared by the IPC handlers and the HTTP host.
 * `satisfies` ties each tuple to the parameter types in contract.ts, so the two cannot drift apart.
 */
import { z } from 'zod';
import { RUN_STATUSES, type ApiMethods } from './contract';

const id = z.string().min(1).max(200);
const jsonObject = z.record(z.string(), z.unknown());

export const argSchemas = {
  health: z.tuple([]),
  listRuns: z.tuple([
    z
      .object({
        kind: z.string().max(100).optional(),
        status: z.enum(RUN_STATUSES).optional(),
        parentId: id.optional(),
        search: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(10_000).optional(),
        offset: z.number().int().min(0).optional(),
      })
      .strict()
      .optional(),
  ]),
  getRun: z.tuple([
    id,
    z
      .object({ metrics: z.object({ maxPoints: z.number().int().min(4).max(1_000_000).optional() }).strict().optional() })
      .strict()
      .optional(),
  ]),
  getMetrics: z.tuple([
    id,
    z.array(z.string().min(1).max(200)).max(200),
    z
      .object({
        maxPoints: z.number().int().min(4).max(1_000_000).optional(),
        fromStep: z.number().int().optional(),
        toStep: z.number().int().optional(),
        withWallTime: z.boolean().optional(),
      })
      .strict()
      .optional(),
  ]),
  getTimings: z.tuple([id]),
  getArtifact: z.tuple([id, z.string().min(1).max(200)]),
  listExperiments: z.tuple([]),
  startRun: z.tuple([z.string().min(1).max(100), jsonObject, z.string().max(200).optional()]),
  cancelRun: z.tuple([id]),
  updateRun: z.tuple([
    id,
    z
      .object({ name: z.string().min(1).max(200).optional(), tags: z.array(z.string().max(100)).max(50).optional(), notes: z.string().max(100_000).optional() })
      .strict(),
  ]),
  deleteRun: z.tuple([id]),
  queryRuns: z.tuple([
    z
      .object({
        filter: z.string().max(4000).optional(),
        search: z.string().max(200).optional(),
        sort: z.object({ by: z.string().min(1).max(200), dir: z.enum(['asc', 'desc']) }).strict().optional(),
        roots: z.boolean().optional(),
        parentId: id.optional(),
        limit: z.number().int().min(1).max(10_000).optional(),
        offset: z.number().int().min(0).optional(),
      })
      .strict(),
  ]),
  tagRuns: z.tuple([
    z.array(id).min(1).max(100_000),
    z.object({ add: z.array(z.string().min(1).max(100)).max(50).optional(), remove: z.array(z.string().min(1).max(100)).max(50).optional() }).strict(),
  ]),
  deleteRuns: z.tuple([z.array(id).min(1).max(100_000)]),
  importRuns: z.tuple([z.string().max(1_000_000_000)]),
  importFiles: z.tuple([z.array(z.object({ name: z.string().min(1).max(1000), base64: z.string().max(700_000_000) }).strict()).min(1).max(100_000)]),
  exportRun: z.tuple([id, z.literal('json')]),
  listClaims: z.tuple([]),
  reproducePlan: z.tuple([z.enum(['quick', 'full'])]),
  reproduce: z.tuple([z.enum(['quick', 'full'])]),
  reproductionReport: z.tuple([]),
  convertFigure: z.tuple([
    z.string().min(1).max(200_000_000),
    z.enum(['pdf', 'png']),
    z.object({ widthPt: z.number().min(36).max(2000), heightPt: z.number().min(36).max(2000), scale: z.number().int().min(1).max(3).optional() }).strict(),
  ]),
  exportFigures: z.tuple([
    z.array(id).min(1).max(50),
    z
      .object({
        theme: z.enum(['paper', 'screen']).optional(),
        width: z.string().max(20).optional(),
        fontSize: z.string().max(20).optional(),
        formats: z.array(z.enum(['svg', 'pdf', 'png'])).min(1).max(3).optional(),
      })
      .strict(),
  ]),
  getCluster: z.tuple([]),
  setCluster: z.tuple([z.string().min(1).max(2000).nullable()]),
} satisfies { [K in keyof ApiMethods]: z.ZodType<Parameters<ApiMethods[K]>> };

export const ImportedRun = z.object({
  format: z.literal('der-run-v1'),
  run: z.object({
    id,
    kind: z.string(),
    name: z.string(),
    status: z.enum(RUN_STATUSES),
    config: jsonObject,
    seed: z.number().int(),
    summary: jsonObject.nullable(),
    backend: jsonObject.nullable(),
    host: jsonObject.nullable(),
    createdAt: z.number(),
    startedAt: z.number().nullable(),
    endedAt: z.number().nullable(),
    progress: z.number(),
    progressMessage: z.string(),
    error: z.string().nullable(),
    exitInfo: z.string().nullable(),
    tags: z.array(z.string()),
    notes: z.string(),
    parentId: z.string().nullable(),
    source: z.enum(['local', 'imported']),
  }),
  metrics: z.array(z.object({ key: z.string().min(1), points: z.array(z.tuple([z.number().int(), z.number().nullable(), z.number()])) })),
  timings: z.array(
    z.object({
      task: z.string(),
      dataset: z.string(),
      n: z.number().int(),
      algorithm: z.string(),
      preprocess: z.string(),
      seed: z.number().int(),
      repeat: z.number().int(),
      ms: z.number(),
      quality: z.record(z.string(), z.number().nullable()).nullable(),
    }),
  ),
  artifacts: z.array(z.object({ name: z.string().min(1), mime: z.string(), size: z.number(), meta: jsonObject, base64: z.string() })),
  logs: z.array(z.object({ seq: z.number(), level: z.string(), text: z.string(), time: z.number() })),
});

export function zodIssues(err: z.ZodError): Array<{ path: string; message: string }> {
  return err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}
