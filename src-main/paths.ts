/** Where the project's own files are, whether running from source (tsx, vitest) or from the electron-vite build. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

export function projectRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'db', 'migrations'))) return (cached = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the project root above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** True when this module was loaded from TypeScript source rather than from the built bundle. */
export const runningFromSource = import.meta.url.endsWith('.ts');

let cachedVersion: string | null = null;

/** The workbench version, from the project's package.json. */
export function version(): string {
  cachedVersion ??= (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return cachedVersion;
}
