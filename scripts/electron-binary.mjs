// Where the Electron binary is, or why there is none (installs with ELECTRON_SKIP_BINARY_DOWNLOAD=1 have none).
// Read the package's path.txt ourselves: require('electron') would try to download a missing binary.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export function findElectron() {
  const require = createRequire(import.meta.url);
  let dir;
  try {
    dir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { path: null, why: 'the electron package is not installed' };
  }
  const pathFile = join(dir, 'path.txt');
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : 'electron');
    return existsSync(p) ? { path: p } : { path: null, why: `ELECTRON_OVERRIDE_DIST_PATH has no binary at ${p}` };
  }
  if (!existsSync(pathFile)) return { path: null, why: 'the Electron binary was not downloaded (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1 or offline)' };
  const p = join(dir, 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(p) ? { path: p } : { path: null, why: `the Electron binary is missing at ${p}` };
}

export function hasDisplay() {
  return process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}
