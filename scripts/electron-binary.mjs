// Where the Electron binary is, or why there is none (installs with ELECTRON_SKIP_BINARY_DOWNLOAD=1 have none).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export function findElectron() {
  const require = createRequire(import.meta.url);
  try {
    const path = require('electron');
    if (typeof path === 'string' && existsSync(path)) return { path };
    return { path: null, why: 'the electron package has no binary' };
  } catch (err) {
    return { path: null, why: `the Electron binary is not installed (${String(err.message).split('\n')[0]})` };
  }
}

export function hasDisplay() {
  return process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}
