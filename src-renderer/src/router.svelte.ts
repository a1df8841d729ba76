/**
 * A tiny hash router: `#/runs`, `#/runs/<id>`, `#/new`, `#/new/<kind>`. The hash is the state, so back/forward,
 * reload and links work with no server routes (the app:// protocol and the loopback host serve one page).
 */
export type Route =
  | { name: 'runs' }
  | { name: 'run'; id: string }
  | { name: 'new'; kind: string | null }
  | { name: 'not-found'; path: string };

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/^\/+|\/+$/g, '');
  const parts = path === '' ? [] : path.split('/').map((p) => decodeURIComponent(p));
  if (parts.length === 0 || (parts[0] === 'runs' && parts.length === 1)) return { name: 'runs' };
  if (parts[0] === 'runs' && parts.length === 2) return { name: 'run', id: parts[1] };
  if (parts[0] === 'new' && parts.length <= 2) return { name: 'new', kind: parts[1] ?? null };
  return { name: 'not-found', path };
}

export const href = {
  runs: (): string => '#/runs',
  run: (id: string): string => `#/runs/${encodeURIComponent(id)}`,
  newRun: (kind?: string): string => (kind ? `#/new/${encodeURIComponent(kind)}` : '#/new'),
};

class Router {
  hash = $state(typeof location !== 'undefined' ? location.hash : '');
  route: Route = $derived(parseHash(this.hash));

  constructor() {
    if (typeof window !== 'undefined') window.addEventListener('hashchange', () => (this.hash = location.hash));
  }

  navigate(to: string): void {
    if (location.hash === to) return;
    location.hash = to;
    this.hash = location.hash;
  }
}

export const router = new Router();
