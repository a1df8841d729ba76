/**
 * The Runs view's table over every run in the store: the store filters, sorts and counts (queryRuns); this
 * class keeps only the pages the user has scrolled to, the sweeps they opened, and the view settings (filter,
 * sort, picked columns, saved views). Row i of the display is a root run or, under an opened sweep, a child.
 */
import type { ApiEvent, Run } from '../../src-main/api/contract';
import { api, describeError } from './api';
import { isActive } from './runs.svelte';

export const PAGE_SIZE = 100;
export type SortDir = 'asc' | 'desc';
export interface SortSpec {
  by: string;
  dir: SortDir;
}
export interface RunsViewSettings {
  filter: string;
  search: string;
  sort: SortSpec;
  columns: string[];
}
export interface SavedView extends RunsViewSettings {
  name: string;
}
export type DisplayRow = { run: Run; depth: 0 | 1; childCount: number } | { run: null; depth: 0; childCount: 0 };
const PENDING_ROW: DisplayRow = Object.freeze({ run: null, depth: 0, childCount: 0 });

const VIEWS_KEY = 'der.runs.views';
const DEFAULT_SORT: SortSpec = { by: 'created', dir: 'desc' };

/** A value of a run for a picked column: `config.a.b` or `summary.x`. */
export function columnValue(run: Run, column: string): unknown {
  const [root, ...path] = column.split('.');
  let v: unknown = root === 'config' ? run.config : root === 'summary' ? run.summary : undefined;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return v;
}

export function loadSavedViews(): SavedView[] {
  try {
    const raw = localStorage.getItem(VIEWS_KEY);
    const parsed = raw ? (JSON.parse(raw) as unknown) : [];
    return Array.isArray(parsed) ? (parsed as SavedView[]).filter((v) => typeof v?.name === 'string' && typeof v.filter === 'string') : [];
  } catch {
    return [];
  }
}

function storeSavedViews(views: SavedView[]): void {
  try {
    localStorage.setItem(VIEWS_KEY, JSON.stringify(views));
  } catch {
    // Private windows may refuse storage; the views then last for the page only.
  }
}

export class RunsTable {
  filter = $state('');
  search = $state('');
  sort: SortSpec = $state({ ...DEFAULT_SORT });
  columns: string[] = $state([]);
  total = $state(0);
  loaded = $state(false);
  error: string | null = $state(null);
  filterError: string | null = $state(null);
  /** Milliseconds the last first-page query took (shown beside the count). */
  queryMs = $state(0);
  savedViews: SavedView[] = $state(loadSavedViews());
  /** Counts resets (a new filter, sort or search): the view scrolls back to the top on each. */
  resets = $state(0);

  private pages: Map<number, Run[]> = $state.raw(new Map());
  private childCounts: Record<string, number> = $state.raw({});
  private expanded: Map<string, Run[]> = $state.raw(new Map());
  private readonly inflight = new Set<number>();
  private generation = 0;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;

  /** Sweeps are nested only in the plain list; a filter or search lists every matching run flat. */
  readonly nested = $derived(this.filter.trim() === '' && this.search.trim() === '');

  private readonly expansions = $derived.by(() => {
    const out: Array<{ at: number; kids: Run[] }> = [];
    for (const [id, kids] of this.expanded) {
      const at = this.rootIndexOf(id);
      if (at >= 0) out.push({ at, kids });
    }
    return out.sort((a, b) => a.at - b.at);
  });

  readonly displayCount = $derived(this.total + this.expansions.reduce((n, e) => n + e.kids.length, 0));

  /** Every run loaded now (pages and opened sweeps): for column suggestions and selection look-ups. */
  readonly loadedRuns = $derived([...[...this.pages.values()].flat(), ...[...this.expanded.values()].flat()]);

  settings(): RunsViewSettings {
    return { filter: this.filter, search: this.search, sort: { ...this.sort }, columns: [...this.columns] };
  }

  apply(s: Partial<RunsViewSettings>): Promise<void> {
    if (s.filter !== undefined) this.filter = s.filter;
    if (s.search !== undefined) this.search = s.search;
    if (s.sort) this.sort = { ...s.sort };
    if (s.columns) this.columns = [...s.columns];
    return this.reset();
  }

  toggleSort(by: string): Promise<void> {
    this.sort = this.sort.by === by ? { by, dir: this.sort.dir === 'desc' ? 'asc' : 'desc' } : { by, dir: by === 'created' ? 'desc' : 'asc' };
    return this.reset();
  }

  addColumn(column: string): boolean {
    const c = column.trim();
    if (!/^(config|summary)\.[A-Za-z0-9_\-/:]+(\.[A-Za-z0-9_\-/:]+)*$/.test(c) || this.columns.includes(c)) return false;
    this.columns = [...this.columns, c];
    return true;
  }

  removeColumn(column: string): void {
    this.columns = this.columns.filter((c) => c !== column);
    if (this.sort.by === column) void this.apply({ sort: { ...DEFAULT_SORT } });
  }

  saveView(name: string): void {
    const n = name.trim();
    if (!n) return;
    this.savedViews = [...this.savedViews.filter((v) => v.name !== n), { name: n, ...this.settings() }];
    storeSavedViews(this.savedViews);
  }

  deleteView(name: string): void {
    this.savedViews = this.savedViews.filter((v) => v.name !== name);
    storeSavedViews(this.savedViews);
  }

  private query(offset: number, limit: number): Parameters<typeof api.queryRuns>[0] {
    const q: Parameters<typeof api.queryRuns>[0] = { sort: { ...this.sort }, offset, limit };
    if (this.filter.trim()) q.filter = this.filter.trim();
    if (this.search.trim()) q.search = this.search.trim();
    if (this.nested) q.roots = true;
    return q;
  }

  /** Drops every loaded page and loads the first one again (a new filter, sort or search). */
  async reset(): Promise<void> {
    const gen = ++this.generation;
    this.resets++;
    this.inflight.clear();
    const t0 = performance.now();
    try {
      const page = await api.queryRuns(this.query(0, PAGE_SIZE));
      if (gen !== this.generation) return;
      this.queryMs = performance.now() - t0;
      this.pages = new Map([[0, page.runs]]);
      this.childCounts = page.childCounts;
      this.expanded = new Map();
      this.total = page.total;
      this.error = null;
      this.filterError = null;
      this.loaded = true;
    } catch (err) {
      if (gen !== this.generation) return;
      const e = describeError(err);
      if (e.code === 'invalid_input' && e.issues.some((i) => i.path === 'filter')) this.filterError = e.message.replace(/^filter: /, '');
      else this.error = e.message;
      this.pages = new Map();
      this.total = 0;
      this.loaded = true;
    }
  }

  /** Reloads the pages already loaded in place (after runs were added, deleted or changed elsewhere). */
  async refresh(): Promise<void> {
    const gen = this.generation;
    const indexes = [...this.pages.keys()];
    if (indexes.length === 0) return this.reset();
    try {
      const results = await Promise.all(indexes.map((p) => api.queryRuns(this.query(p * PAGE_SIZE, PAGE_SIZE))));
      const kids = await Promise.all([...this.expanded.keys()].map(async (id) => [id, (await api.queryRuns({ parentId: id, limit: 10_000, sort: { by: 'created', dir: 'asc' } })).runs] as const));
      if (gen !== this.generation) return;
      this.pages = new Map(indexes.map((p, i) => [p, results[i].runs]));
      this.childCounts = Object.assign({}, ...results.map((r) => r.childCounts)) as Record<string, number>;
      this.expanded = new Map(kids);
      this.total = results[0]?.total ?? 0;
    } catch (err) {
      this.error = describeError(err).message;
    }
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      void this.refresh();
    }, 300);
  }

  /** Loads the pages behind display rows [from, to). */
  ensureRows(from: number, to: number): void {
    const first = Math.max(0, this.rootIndexAtDisplay(from));
    const last = Math.min(this.total - 1, this.rootIndexAtDisplay(Math.max(from, to - 1)));
    for (let p = Math.floor(first / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) void this.loadPage(p);
  }

  private async loadPage(p: number): Promise<void> {
    if (this.pages.has(p) || this.inflight.has(p)) return;
    const gen = this.generation;
    this.inflight.add(p);
    try {
      const page = await api.queryRuns(this.query(p * PAGE_SIZE, PAGE_SIZE));
      if (gen !== this.generation) return;
      this.pages = new Map(this.pages).set(p, page.runs);
      this.childCounts = { ...this.childCounts, ...page.childCounts };
      this.total = page.total;
    } catch (err) {
      if (gen === this.generation) this.error = describeError(err).message;
    } finally {
      if (gen === this.generation) this.inflight.delete(p);
    }
  }

  private rootIndexOf(id: string): number {
    for (const [p, runs] of this.pages) {
      const i = runs.findIndex((r) => r.id === id);
      if (i >= 0) return p * PAGE_SIZE + i;
    }
    return -1;
  }

  private rootAt(i: number): Run | null {
    return this.pages.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE] ?? null;
  }

  private rootIndexAtDisplay(d: number): number {
    for (const e of this.expansions) {
      if (d <= e.at) return d;
      if (d <= e.at + e.kids.length) return e.at;
      d -= e.kids.length;
    }
    return d;
  }

  row(d: number): DisplayRow {
    for (const e of this.expansions) {
      if (d <= e.at) break;
      if (d <= e.at + e.kids.length) return this.cachedRow(e.kids[d - e.at - 1], 1, 0);
      d -= e.kids.length;
    }
    const run = this.rootAt(d);
    return run ? this.cachedRow(run, 0, this.nested ? (this.childCounts[run.id] ?? 0) : 0) : PENDING_ROW;
  }

  /**
   * The same object for the same run while nothing about its row changes, so the table's keyed rows see no
   * change when the window scrolls past them and re-evaluate nothing (a changed run is a new Run object).
   */
  private readonly rowCache = new WeakMap<Run, DisplayRow>();
  private cachedRow(run: Run, depth: 0 | 1, childCount: number): DisplayRow {
    const hit = this.rowCache.get(run);
    if (hit && hit.depth === depth && hit.childCount === childCount) return hit;
    const row: DisplayRow = { run, depth, childCount };
    this.rowCache.set(run, row);
    return row;
  }

  isExpanded(id: string): boolean {
    return this.expanded.has(id);
  }

  async toggleExpanded(id: string): Promise<void> {
    if (this.expanded.has(id)) {
      const next = new Map(this.expanded);
      next.delete(id);
      this.expanded = next;
      return;
    }
    try {
      const page = await api.queryRuns({ parentId: id, limit: 10_000, sort: { by: 'created', dir: 'asc' } });
      this.expanded = new Map(this.expanded).set(id, page.runs);
    } catch (err) {
      this.error = describeError(err).message;
    }
  }

  find(id: string): Run | undefined {
    return this.loadedRuns.find((r) => r.id === id);
  }

  /** Keeps loaded rows live: a changed run is replaced in place, anything that moves rows reloads the pages. */
  onEvent(e: ApiEvent): void {
    if (e.type === 'runDeleted') return this.scheduleRefresh();
    const id = e.type === 'runChanged' ? e.run.id : e.id;
    let found = false;
    const patch = (r: Run): Run => {
      if (r.id !== id) return r;
      found = true;
      if (e.type === 'runChanged') return e.run;
      return e.type === 'runProgress' && isActive(r) ? { ...r, progress: e.fraction, progressMessage: e.message } : r;
    };
    const pages = new Map([...this.pages].map(([p, runs]) => [p, runs.some((r) => r.id === id) ? runs.map(patch) : runs]));
    const expanded = new Map([...this.expanded].map(([p, runs]) => [p, runs.some((r) => r.id === id) ? runs.map(patch) : runs]));
    if (found) {
      this.pages = pages;
      this.expanded = expanded;
      // A status change can move the run in or out of the filter; a changed sort key can move it.
      if (e.type === 'runChanged' && (this.filter.trim() || this.sort.by !== 'created')) this.scheduleRefresh();
    } else if (e.type === 'runChanged') this.scheduleRefresh();
  }

  async tag(ids: string[], change: { add?: string[]; remove?: string[] }): Promise<number> {
    const r = await api.tagRuns(ids, change);
    await this.refresh();
    return r.updated;
  }

  async deleteMany(ids: string[]): Promise<void> {
    await api.deleteRuns(ids);
    await this.refresh();
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.generation++;
  }
}
