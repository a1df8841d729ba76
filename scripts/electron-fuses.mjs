// Electron fuses for a packaged app: flipped in the Electron binary itself, so no environment variable or
// command-line flag can turn them back on. Use it as an electron-builder afterPack hook
// (`"afterPack": "scripts/electron-fuses.mjs"`) or by hand on a packaged binary:
//   node scripts/electron-fuses.mjs path/to/packaged/electron-binary
// OnlyLoadAppFromAsar and the asar integrity check need the app packed as an asar (electron-builder's default).
// The app never needs RunAsNode: its workers are utilityProcess children, not `ELECTRON_RUN_AS_NODE` ones.
import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } from '@electron/fuses';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FUSES = {
  version: FuseVersion.V1,
  // Fails when an Electron upgrade adds a fuse this list does not decide on.
  strictlyRequireAllFuses: true,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  [FuseV1Options.WasmTrapHandlers]: true,
};

export async function applyFuses(electronBinary) {
  await flipFuses(electronBinary, FUSES);
  return getCurrentFuseWire(electronBinary);
}

/** electron-builder afterPack hook. */
export default async function afterPack(context) {
  const name = context.packager.appInfo.productFilename;
  const binary =
    context.electronPlatformName === 'darwin'
      ? join(context.appOutDir, `${name}.app`, 'Contents', 'MacOS', name)
      : join(context.appOutDir, context.electronPlatformName === 'win32' ? `${name}.exe` : context.packager.executableName);
  await applyFuses(binary);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const binary = process.argv[2];
  if (!binary) {
    console.error('usage: node scripts/electron-fuses.mjs <packaged electron binary>');
    process.exit(2);
  }
  const wire = await applyFuses(binary);
  console.log(`fuses set in ${binary}: ${JSON.stringify(wire)}`);
}
