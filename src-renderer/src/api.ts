/**
 * The only file that knows how the Api is reached. In Electron the preload bridge puts the typed Api on
 * `window.der`; in a plain browser (the loopback host, the e2e tests) the same methods go over
 * `POST /api/<method>` and the events over one shared `EventSource('/api/events')`.
 */
import { API_METHODS, ApiError, type Api, type ApiErrorCode, type ApiEvent, type ApiMethods } from '../../src-main/api/contract';

declare global {
  interface Window {
    der?: Api;
  }
}

const bridge: Api | undefined = typeof window !== 'undefined' ? window.der : undefined;

/** True when the Api goes over HTTP (artifacts can then be plain links). */
export const viaHttp = bridge === undefined;

async function post(method: string, args: unknown[]): Promise<unknown> {
  // JSON turns a trailing `undefined` into null, which an optional argument refuses: drop them.
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  let res: Response;
  try {
    res = await fetch(`/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(args.slice(0, n)),
    });
  } catch (err) {
    throw new ApiError('unavailable', `the workbench host does not answer (${(err as Error).message})`);
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    if (res.ok) throw new ApiError('internal', `${method}: the host answered with something that is not JSON`);
  }
  if (!res.ok) {
    const e = (body as { error?: { code?: string; message?: string; issues?: Array<{ path: string; message: string }> } } | null)?.error;
    throw new ApiError((e?.code as ApiErrorCode) ?? 'internal', e?.message ?? `${method}: HTTP ${res.status}`, e?.issues);
  }
  return body;
}

type Listener = (event: ApiEvent) => void;
type ConnectionListener = (live: boolean) => void;
const EVENT_TYPES: ReadonlyArray<ApiEvent['type']> = ['runChanged', 'runDeleted', 'runProgress'];

/** One EventSource for the whole page, opened with the first listener and closed with the last. */
class SharedEventStream {
  private source: EventSource | null = null;
  private retry: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly connectionListeners = new Set<ConnectionListener>();
  live = false;

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    this.open();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.connectionListeners.size === 0) this.close();
    };
  }

  onConnection(listener: ConnectionListener): () => void {
    this.connectionListeners.add(listener);
    listener(this.live);
    this.open();
    return () => {
      this.connectionListeners.delete(listener);
      if (this.listeners.size === 0 && this.connectionListeners.size === 0) this.close();
    };
  }

  private setLive(live: boolean): void {
    if (live === this.live) return;
    this.live = live;
    for (const l of this.connectionListeners) l(live);
  }

  private open(): void {
    if (this.source || this.retry) return;
    const source = new EventSource('/api/events');
    this.source = source;
    source.onopen = () => this.setLive(true);
    source.onerror = () => {
      this.setLive(false);
      // EventSource retries network errors by itself; it gives up (CLOSED) only on an HTTP error answer.
      if (source.readyState === EventSource.CLOSED) {
        this.source = null;
        this.retry = setTimeout(() => ((this.retry = null), this.open()), 3000);
      }
    };
    for (const type of EVENT_TYPES) {
      source.addEventListener(type, (e) => {
        let event: ApiEvent;
        try {
          event = JSON.parse((e as MessageEvent<string>).data) as ApiEvent;
        } catch {
          return;
        }
        for (const l of [...this.listeners]) l(event);
      });
    }
  }

  private close(): void {
    this.source?.close();
    this.source = null;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.setLive(false);
  }
}

function httpApi(events: SharedEventStream): Api {
  const methods = Object.fromEntries(API_METHODS.map((m) => [m, (...args: unknown[]) => post(m, args)])) as unknown as ApiMethods;
  return { ...methods, onEvent: (listener) => events.subscribe(listener) };
}

const stream = bridge ? null : new SharedEventStream();

export const api: Api = stream ? httpApi(stream) : (bridge as Api);

/**
 * Whether the event stream is connected; a listener hears `true` again after a reconnect, the moment to reload
 * anything that events may have been missed for. Over IPC the stream never drops.
 */
export function onConnection(listener: ConnectionListener): () => void {
  if (!stream) {
    listener(true);
    return () => {};
  }
  return stream.onConnection(listener);
}

/** A URL that downloads the artifact directly, or null when it must be fetched through `getArtifact`. */
export function artifactUrl(runId: string, name: string): string | null {
  return viaHttp ? `/api/artifact/${encodeURIComponent(runId)}/${encodeURIComponent(name)}` : null;
}

/** The message and field issues of any error an Api call throws (ApiError over HTTP, a plain Error over IPC). */
export function describeError(err: unknown): { code: string; message: string; issues: Array<{ path: string; message: string }> } {
  const e = err as { code?: unknown; message?: unknown; issues?: unknown } | null;
  return {
    code: typeof e?.code === 'string' ? e.code : 'internal',
    message: typeof e?.message === 'string' ? e.message : String(err),
    issues: Array.isArray(e?.issues) ? (e.issues as Array<{ path: string; message: string }>) : [],
  };
}
