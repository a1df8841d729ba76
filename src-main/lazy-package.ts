/**
 * A package loaded at its first use instead of at start-up. `der list` or `der --help` should not pay for PDF
 * writers, ECharts, protobuf or the Redis client that only some commands need (together about 0.4 s of module
 * loading on this machine).
 */
import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

export function lazyPackage<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireHere(name) as T);
}
