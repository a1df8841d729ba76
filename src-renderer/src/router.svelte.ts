/**
 * A tiny hash router: `#/runs`, `#/runs/<id>`, `#/new`, `#/new/<kind>`, `#/compare?ids=a,b`, `#/claims`,
 * `#/claims?tab=inconsistencies`, `#/break-even?run=<id>`. The hash is the state, so back/forward, reload and
 * links work with no server routes (the app:// protocol and the loopback host serve one page).
 */
export type Route =
  | { name: 'runs' }
  | { name: 'run'; id: string }
  | { name: 'new'; kind: string | null }
  | { name: 'compare'; ids: string[] }
  | { name: 'claims'; tab: 'claims' | 'inconsistencies' }
  | { name: 'break-even'; runId: string | null }
  | { name: 'not-found'; path: string };

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const q = raw.indexOf('?');
  const path = (q < 0 ? raw : raw.slice(0, q)).replace(/^\/+|\/+$/g, '');
  const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  const parts = path === '' ? [] : path.split('/').map((p) => decodeURIComponent(p));
  if (parts.length === 0 || (parts[0] === 'runs' && parts.length === 1)) return { name: 'runs' };
  if (parts[0] === 'runs' && parts.length === 2) return { name: 'run', id: parts[1] };
  if (parts[0] === 'new' && parts.length <= 2) return { name: 'new', kind: parts[1] ?? null };
  if (parts[0] === 'compare' && parts.length === 1) {
    const ids = (query.get('ids') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    return { name: 'compare', ids: [...new Set(ids)] };
  }
  if (parts[0] === 'claims' && parts.length === 1) return { name: 'claims', tab: query.get('tab') === 'inconsistencies' ? 'inconsistencies' : 'claims' };
  if (parts[0] === 'break-even' && parts.length === 1) return { name: 'break-even', runId: query.get('run') || null };
  return { name: 'not-found', path };
}

export const href = {
  runs: (): string => '#/runs',
  run: (id: string): string => `#/runs/${encodeURIComponent(id)}`,
  newRun: (kind?: string): string => (kind ? `#/new/${encodeURIComponent(kind)}` : '#/new'),
  compare: (ids: readonly string[] = []): string => (ids.length ? `#/compare?ids=${ids.map(encodeURIComponent).join(',')}` : '#/compare'),
  claims: (tab: 'claims' | 'inconsistencies' = 'claims'): string => (tab === 'claims' ? '#/claims' : '#/claims?tab=inconsistencies'),
  breakEven: (runId?: string): string => (runId ? `#/break-even?run=${encodeURIComponent(runId)}` : '#/break-even'),
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

  /** Changes the hash without a new history entry (filters, tabs). */
  replace(to: string): void {
    if (location.hash === to) return;
    history.replaceState(history.state, '', to);
    this.hash = location.hash;
  }
}

export const router = new Router();
