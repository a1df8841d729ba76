/**
 * The paper's numeric claims (copied from the paper's claim list into the project; read at run time from here,
 * never from outside the repo), validated on load.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../paths';

export const Claim = z.object({
  id: z.string(),
  where: z.string(),
  section: z.string().nullable().optional(),
  pillar: z.string(),
  setting: z.record(z.string(), z.unknown()).nullable(),
  metric: z.string(),
  value: z.number().nullable(),
  value_text: z.string().optional(),
  unit: z.string().nullable(),
  range: z.array(z.number()).nullable().optional(),
  ci95: z.array(z.number()).nullable().optional(),
  plus_minus: z.number().nullable().optional(),
  plus_minus_kind: z.string().nullable().optional(),
  direction: z.enum(['higher_is_better', 'lower_is_better', 'neutral']),
  quote: z.string(),
  runnable_on_cpu_workstation: z.boolean(),
  duplicate_of: z.string().nullable().optional(),
  notes: z.string().nullable().optional(),
});
export type Claim = z.infer<typeof Claim>;

export const Inconsistency = z.object({
  id: z.string(),
  severity: z.string(),
  type: z.string(),
  what: z.string(),
  where: z.array(z.string()).optional(),
  detail: z.string().optional(),
  claims: z.array(z.string()).optional(),
});
export type Inconsistency = z.infer<typeof Inconsistency>;

export const ConsistencyCheck = z.object({ what: z.string(), detail: z.string(), ok: z.boolean() });
export type ConsistencyCheck = z.infer<typeof ConsistencyCheck>;

const Catalog = z.object({
  title: z.string(),
  claims: z.array(Claim),
  inconsistencies: z.array(Inconsistency),
  consistency_checks: z.array(ConsistencyCheck),
});
export type Catalog = z.infer<typeof Catalog>;

let cached: Catalog | null = null;

export function loadCatalog(path = join(projectRoot(), 'src-main', 'claims', 'claims.json')): Catalog {
  if (cached) return cached;
  cached = Catalog.parse(JSON.parse(readFileSync(path, 'utf8')));
  return cached;
}
