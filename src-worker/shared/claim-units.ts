/**
 * Units that are absolute amounts of time, memory or throughput: numbers of this machine, not of the method.
 * Apart from claim-link.ts (which needs zod) so the renderer's figures can read it without carrying zod.
 */
export const MACHINE_BOUND_UNITS: ReadonlySet<string> = new Set(['ms', 's', 'min', 'h', 'GB', 'MB', 'images/s', 'tokens/s', 'img/s']);
