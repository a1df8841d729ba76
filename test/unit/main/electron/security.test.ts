import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAllowedExternal, isAppUrl } from '../../../../src-main/electron/navigation';
// @ts-expect-error: a plain .mjs script without type declarations
import { FUSES, applyFuses } from '../../../../scripts/electron-fuses.mjs';

describe('navigation rules', () => {
  it('opens only allow-listed https origins externally', () => {
    expect(isAllowedExternal('https://arxiv.org/abs/2501.00001')).toBe(true);
    expect(isAllowedExternal('https://github.com/x/y')).toBe(true);
    for (const bad of ['https://evil.example/', 'http://arxiv.org/', 'https://arxiv.org.evil.example/', 'https://user:pw@github.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url']) {
      expect(isAllowedExternal(bad), bad).toBe(false);
    }
    expect(isAppUrl('app://der/index.html')).toBe(true);
    expect(isAppUrl('app://der.evil/index.html')).toBe(false);
  });

  it('main guards redirects and navigation alike and disables auxclick', () => {
    const main = readFileSync(join(__dirname, '../../../../src-main/electron/main.ts'), 'utf8');
    expect(main).toMatch(/on\('will-redirect', \(event, url\) => \{\s*if \(!isAppUrl\(url\)\) event\.preventDefault\(\);/);
    expect(main).toMatch(/on\('will-navigate', \(event, url\) => \{\s*if \(!isAppUrl\(url\)\) event\.preventDefault\(\);/);
    expect(main).toMatch(/disableBlinkFeatures: 'Auxclick'/);
    for (const call of main.split('\n').filter((l) => l.includes('openExternal('))) expect(call).toMatch(/if \(isAllowedExternal\(url\)\)/);
  });
});

describe('packaging fuses', () => {
  it('are flipped in the binary: no RunAsNode, no NODE_OPTIONS, no inspector flags, asar only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'der-fuses-'));
    try {
      // A stand-in binary: the fuse wire as Electron lays it out (sentinel, version 1, length, one byte per fuse).
      const wire = Buffer.from('111100001', 'latin1');
      const fake = Buffer.concat([Buffer.alloc(4096, 7), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, wire.length]), wire, Buffer.alloc(4096, 7)]);
      const binary = join(dir, 'electron');
      writeFileSync(binary, fake);
      const after = await applyFuses(binary);
      expect(after[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
      expect(after[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
      expect(after[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
      expect(after[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
      expect(after[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
      expect(after[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
      expect(await getCurrentFuseWire(binary)).toEqual(after);
      expect(FUSES.strictlyRequireAllFuses).toBe(true);
      expect(readFileSync(binary).length).toBe(fake.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
