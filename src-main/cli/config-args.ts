/** Turning `--preset`, `--config file.json` and `--set key=value` into one config object (later wins). */
import { readFileSync } from 'node:fs';
import type { ExperimentInfo, JsonObject } from '../api/contract';

export class UsageError extends Error {
  override name = 'UsageError';
}

/** `key=value`: value is JSON when it parses (numbers, booleans, null, arrays), else a string. Dots nest. */
export function applySet(config: JsonObject, assignment: string): void {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new UsageError(`--set expects key=value, got "${assignment}"`);
  const path = assignment.slice(0, eq).split('.');
  const text = assignment.slice(eq + 1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = text.includes(',') && !text.includes(' ') ? text.split(',').map((t) => (Number.isFinite(Number(t)) && t !== '' ? Number(t) : t)) : text;
  }
  let target = config;
  for (const p of path.slice(0, -1)) {
    if (typeof target[p] !== 'object' || target[p] === null || Array.isArray(target[p])) target[p] = {};
    target = target[p] as JsonObject;
  }
  target[path[path.length - 1]] = value;
}

export function buildConfig(info: ExperimentInfo, opts: { preset?: string; configFile?: string; sets: string[] }): JsonObject {
  let config: JsonObject = {};
  if (opts.preset) {
    const key = Object.keys(info.presets).find((k) => k.toLowerCase() === opts.preset!.toLowerCase());
    if (!key) throw new UsageError(`${info.kind} has no preset "${opts.preset}" (presets: ${Object.keys(info.presets).join(', ')})`);
    config = structuredClone(info.presets[key]);
  }
  if (opts.configFile) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(opts.configFile, 'utf8'));
    } catch (err) {
      throw new UsageError(`--config ${opts.configFile}: ${(err as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError(`--config ${opts.configFile}: not a JSON object`);
    config = { ...config, ...(parsed as JsonObject) };
  }
  for (const s of opts.sets) applySet(config, s);
  return config;
}
