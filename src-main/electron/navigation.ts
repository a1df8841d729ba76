/** Where the app's windows may go: our own pages only; a few sites may open in the system browser. */
export const APP_ORIGIN = 'app://der';

/** The only sites a link in the app may open in the system browser (the paper and the project's sources). */
export const EXTERNAL_ORIGINS: ReadonlySet<string> = new Set(['https://arxiv.org', 'https://github.com']);

export function isAppUrl(url: string): boolean {
  return url.startsWith(`${APP_ORIGIN}/`);
}

export function isAllowedExternal(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.username === '' && u.password === '' && EXTERNAL_ORIGINS.has(u.origin);
  } catch {
    return false;
  }
}
