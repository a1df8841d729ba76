/** How times, durations, sizes and values read everywhere in the UI. */

export function formatDateTime(ms: number | null): string {
  if (ms === null) return '–';
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.floor(s % 60)} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${m % 60} min`;
}

export function runDuration(run: { startedAt: number | null; endedAt: number | null }, now: number): number | null {
  if (run.startedAt === null) return null;
  return (run.endedAt ?? now) - run.startedAt;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) ((v /= 1024), u++);
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

/** A config or summary value in one line: numbers as they are, strings bare, the rest as compact JSON. */
/**
 * A value of a config or summary card, for reading: integers whole, other numbers to 4 significant digits
 * (a stored 0.12345678901234567 is not a measurement to 17 digits), a short list of numbers as [a, b], a list
 * of records by its length, never a dump of JSON.
 */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return formatCardNumber(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (v.every((x) => x === null || typeof x === 'number')) {
      const shown = v.slice(0, 8).map((x) => (x === null ? '–' : formatCardNumber(x as number)));
      return `[${shown.join(', ')}${v.length > 8 ? `, … ${v.length} values` : ''}]`;
    }
    if (v.every((x) => typeof x === 'string')) return v.length <= 8 ? v.join(', ') : `${v.slice(0, 8).join(', ')}, … ${v.length} in all`;
    return `${v.length} ${v.length === 1 ? 'entry' : 'entries'}`;
  }
  if (typeof v === 'object') return Object.keys(v).length === 0 ? '–' : `${Object.keys(v).length} fields`;
  return String(v);
}

function formatCardNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-4) return v.toExponential(3).replace('e+', 'e');
  return String(Number(v.toPrecision(4)));
}

/** Flattens nested objects into dotted keys for a key/value table (arrays stay one value). */
export function flatten(obj: Record<string, unknown> | null | undefined, prefix = ''): Array<[string, unknown]> {
  if (!obj) return [];
  const out: Array<[string, unknown]> = [];
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) out.push(...flatten(v as Record<string, unknown>, key));
    else out.push([key, v]);
  }
  return out;
}
