/**
 * A config form from the JSON Schema that zod 4 generates (`z.toJSONSchema(schema, {io: 'input'})`): the schema
 * becomes a tree of fields, a config becomes the fields' text values, and the values become a config again with
 * a message per field that does not hold. The server validates again; its issues use the same dotted paths.
 *
 *   number/integer → number input (min/max)      boolean → checkbox        enum / anyOf of consts → select
 *   array of numbers or strings → "a, b, c"      object → fieldset          T | null → may be left empty
 */

type Schema = Record<string, unknown>;
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface FieldBase {
  /** Dotted path from the config root; the `name` of the input and the path of the server's issues. */
  path: string;
  key: string;
  title: string;
  description: string;
  /** Empty input means null. */
  nullable: boolean;
  /** Empty input means "leave it out" (the server fills in the default or the field is optional). */
  optional: boolean;
  defaultValue: unknown;
}
export interface NumberField extends FieldBase {
  kind: 'number';
  integer: boolean;
  min?: number;
  max?: number;
  exclusiveMin?: number;
  exclusiveMax?: number;
}
export interface BooleanField extends FieldBase {
  kind: 'boolean';
}
export interface EnumField extends FieldBase {
  kind: 'enum';
  options: Json[];
}
export interface StringField extends FieldBase {
  kind: 'string';
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}
export interface ListField extends FieldBase {
  kind: 'list';
  item: 'number' | 'integer' | 'string';
  itemMin?: number;
  itemMax?: number;
  minItems?: number;
  maxItems?: number;
}
export interface ObjectField extends FieldBase {
  kind: 'object';
  fields: Field[];
}
/** Anything the form cannot draw as one control: edited as JSON text. */
export interface JsonField extends FieldBase {
  kind: 'json';
}
export type Field = NumberField | BooleanField | EnumField | StringField | ListField | ObjectField | JsonField;

/** Form state: the text of each input (checkboxes: a boolean), keyed by field path. */
export type FormValues = Record<string, string | boolean>;
export type FormErrors = Record<string, string>;

const isObj = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
/** zod writes ±MAX_SAFE_INTEGER as the bounds of every `.int()`: not a limit worth showing. */
const bound = (v: unknown): number | undefined => {
  const n = num(v);
  return n !== undefined && Math.abs(n) < Number.MAX_SAFE_INTEGER ? n : undefined;
};

function resolveRef(node: Schema, root: Schema): Schema {
  let n = node;
  for (let depth = 0; typeof n.$ref === 'string' && depth < 32; depth++) {
    const ref = n.$ref as string;
    if (!ref.startsWith('#/')) break;
    let target: unknown = root;
    for (const part of ref.slice(2).split('/')) target = isObj(target) ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    if (!isObj(target)) break;
    const { $ref: _ref, ...rest } = n;
    n = { ...target, ...rest };
  }
  return n;
}

/** Strips `null` out of a schema node: what is left, and whether null was allowed. */
function splitNull(node: Schema, root: Schema): { node: Schema; nullable: boolean } {
  const n = resolveRef(node, root);
  const { default: _d, description: _ds, title: _t, ...bare } = n;
  const keep = (inner: Schema): Schema => ({ ...inner, ...(n.description !== undefined ? { description: n.description } : {}), ...(n.title !== undefined ? { title: n.title } : {}) });
  for (const key of ['anyOf', 'oneOf'] as const) {
    const alts = n[key];
    if (!Array.isArray(alts)) continue;
    const nonNull = alts.filter((a) => !(isObj(a) && a.type === 'null'));
    if (nonNull.length === alts.length) continue;
    const rest: Schema = { ...bare };
    delete rest[key];
    if (nonNull.length === 1 && isObj(nonNull[0])) return { node: keep({ ...rest, ...resolveRef(nonNull[0], root) }), nullable: true };
    return { node: keep({ ...rest, [key]: nonNull }), nullable: true };
  }
  if (Array.isArray(n.type) && n.type.includes('null')) {
    const types = n.type.filter((t) => t !== 'null');
    return { node: { ...n, type: types.length === 1 ? types[0] : types }, nullable: true };
  }
  if (Array.isArray(n.enum) && n.enum.includes(null)) return { node: { ...n, enum: n.enum.filter((v) => v !== null) }, nullable: true };
  return { node: n, nullable: false };
}

/** The constant values of an enum-like node (`enum`, `const`, or anyOf/oneOf of consts), else null. */
function enumOptions(n: Schema, root: Schema): Json[] | null {
  if (Array.isArray(n.enum)) return n.enum as Json[];
  if ('const' in n) return [n.const as Json];
  for (const key of ['anyOf', 'oneOf'] as const) {
    const alts = n[key];
    if (!Array.isArray(alts) || alts.length === 0) continue;
    const out: Json[] = [];
    for (const a of alts) {
      const opts = isObj(a) ? enumOptions(resolveRef(a, root), root) : null;
      if (!opts) return null;
      out.push(...opts);
    }
    return out;
  }
  return null;
}

function typeOf(n: Schema): string | undefined {
  return typeof n.type === 'string' ? n.type : undefined;
}

export function fieldsOf(schema: Schema, root: Schema = schema, prefix = ''): Field[] {
  const props = isObj(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return Object.entries(props).map(([key, raw]) => fieldOf(key, prefix ? `${prefix}.${key}` : key, isObj(raw) ? raw : {}, root, !required.has(key)));
}

function fieldOf(key: string, path: string, raw: Schema, root: Schema, optional: boolean): Field {
  const resolved = resolveRef(raw, root);
  const { node, nullable } = splitNull(resolved, root);
  const base: FieldBase = {
    path,
    key,
    title: typeof node.title === 'string' ? node.title : key,
    description: typeof node.description === 'string' ? node.description : '',
    nullable,
    optional: optional || 'default' in resolved,
    defaultValue: resolved.default,
  };
  const options = enumOptions(node, root);
  if (options && options.length > 0) return { ...base, kind: 'enum', options };
  const type = typeOf(node);
  if (type === 'number' || type === 'integer') {
    return {
      ...base,
      kind: 'number',
      integer: type === 'integer',
      min: bound(node.minimum),
      max: bound(node.maximum),
      exclusiveMin: bound(node.exclusiveMinimum),
      exclusiveMax: bound(node.exclusiveMaximum),
    };
  }
  if (type === 'boolean') return { ...base, kind: 'boolean' };
  if (type === 'string') {
    return { ...base, kind: 'string', minLength: num(node.minLength), maxLength: num(node.maxLength), pattern: typeof node.pattern === 'string' ? node.pattern : undefined };
  }
  if (type === 'array' && isObj(node.items)) {
    const items = splitNull(resolveRef(node.items, root), root);
    const itemType = typeOf(items.node);
    if (!items.nullable && (itemType === 'number' || itemType === 'integer' || itemType === 'string') && !enumOptions(items.node, root)) {
      return {
        ...base,
        kind: 'list',
        item: itemType,
        itemMin: bound(items.node.minimum),
        itemMax: bound(items.node.maximum),
        minItems: num(node.minItems),
        maxItems: num(node.maxItems),
      };
    }
  }
  if (type === 'object' && isObj(node.properties) && !nullable) return { ...base, kind: 'object', fields: fieldsOf(node, root, path) };
  return { ...base, kind: 'json' };
}

export function walk(fields: Field[], visit: (f: Field) => void): void {
  for (const f of fields) {
    visit(f);
    if (f.kind === 'object') walk(f.fields, visit);
  }
}

function getPath(obj: unknown, path: string): unknown {
  let v: unknown = obj;
  for (const k of path.split('.')) v = isObj(v) ? v[k] : undefined;
  return v;
}

/** The input text that shows `value` in field `f`. */
export function textOf(f: Field, value: unknown): string | boolean {
  switch (f.kind) {
    case 'boolean':
      return value === true;
    case 'enum': {
      const i = f.options.findIndex((o) => JSON.stringify(o) === JSON.stringify(value));
      return i >= 0 ? String(i) : '';
    }
    case 'list':
      return Array.isArray(value) ? value.join(', ') : '';
    case 'json': {
      if (value === undefined) return '';
      const compact = JSON.stringify(value);
      return compact.length > 60 ? JSON.stringify(value, null, 2) : compact;
    }
    case 'object':
      return '';
    default:
      return value === null || value === undefined ? '' : String(value);
  }
}

/** Form values showing `config`; a key the config lacks shows the field's default. */
export function valuesOf(fields: Field[], config: Record<string, unknown>): FormValues {
  const out: FormValues = {};
  walk(fields, (f) => {
    if (f.kind === 'object') return;
    const v = getPath(config, f.path);
    out[f.path] = textOf(f, v === undefined ? f.defaultValue : v);
  });
  return out;
}

function checkNumber(f: { integer?: boolean; min?: number; max?: number; exclusiveMin?: number; exclusiveMax?: number }, text: string): number | string {
  const v = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(v)) return 'must be a number';
  if (f.integer && !Number.isInteger(v)) return 'must be a whole number';
  if (f.integer && !Number.isSafeInteger(v)) return `must be within ±${Number.MAX_SAFE_INTEGER}`;
  if (f.min !== undefined && v < f.min) return `must be ≥ ${f.min}`;
  if (f.max !== undefined && v > f.max) return `must be ≤ ${f.max}`;
  if (f.exclusiveMin !== undefined && v <= f.exclusiveMin) return `must be > ${f.exclusiveMin}`;
  if (f.exclusiveMax !== undefined && v >= f.exclusiveMax) return `must be < ${f.exclusiveMax}`;
  return v;
}

const EMPTY = Symbol('empty');

/** One field's value from its text: the value, EMPTY (leave the key out), or an error message. */
function parseField(f: Exclude<Field, ObjectField>, raw: string | boolean): { value: unknown } | { error: string } {
  if (f.kind === 'boolean') return { value: raw === true };
  const text = typeof raw === 'string' ? raw : '';
  // An emptied list box means the empty list, unless the field may be null.
  if (text.trim() === '' && !(f.kind === 'list' && !f.nullable)) {
    if (f.kind === 'string' && !f.nullable && !f.optional) return (f.minLength ?? 0) > 0 ? { error: 'required' } : { value: '' };
    if (f.nullable) return { value: null };
    if (f.optional) return { value: EMPTY };
    return { error: 'required' };
  }
  switch (f.kind) {
    case 'number': {
      const v = checkNumber(f, text);
      return typeof v === 'number' ? { value: v } : { error: v };
    }
    case 'enum': {
      const i = Number(text);
      return Number.isInteger(i) && i >= 0 && i < f.options.length ? { value: f.options[i] } : { error: 'pick one of the choices' };
    }
    case 'string': {
      if (f.minLength !== undefined && text.length < f.minLength) return { error: `at least ${f.minLength} characters` };
      if (f.maxLength !== undefined && text.length > f.maxLength) return { error: `at most ${f.maxLength} characters` };
      if (f.pattern !== undefined) {
        try {
          if (!new RegExp(f.pattern, 'u').test(text)) return { error: `must match ${f.pattern}` };
        } catch {
          /* a pattern JavaScript cannot compile is left to the server */
        }
      }
      return { value: text };
    }
    case 'list': {
      const parts = text.split(/[,;\s]+/).filter((p) => p !== '');
      const items: Array<number | string> = [];
      for (const p of parts) {
        if (f.item === 'string') items.push(p);
        else {
          const v = checkNumber({ integer: f.item === 'integer', min: f.itemMin, max: f.itemMax }, p);
          if (typeof v === 'string') return { error: `"${p}" ${v}` };
          items.push(v);
        }
      }
      if (f.minItems !== undefined && items.length < f.minItems) return { error: `at least ${f.minItems} item${f.minItems === 1 ? '' : 's'}` };
      if (f.maxItems !== undefined && items.length > f.maxItems) return { error: `at most ${f.maxItems} items` };
      return { value: items };
    }
    case 'json':
      try {
        return { value: JSON.parse(text) };
      } catch {
        return { error: 'must be valid JSON' };
      }
  }
}

/** The config the form describes, and a message per field that does not hold (empty when it is valid). */
export function configOf(fields: Field[], values: FormValues): { config: Record<string, unknown>; errors: FormErrors } {
  const errors: FormErrors = {};
  const build = (fs: Field[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const f of fs) {
      if (f.kind === 'object') {
        out[f.key] = build(f.fields);
        continue;
      }
      const r = parseField(f, values[f.path] ?? (f.kind === 'boolean' ? false : ''));
      if ('error' in r) errors[f.path] = r.error;
      else if (r.value !== EMPTY) out[f.key] = r.value;
    }
    return out;
  };
  return { config: build(fields), errors };
}

/** Text shown for an enum option. */
export function optionLabel(v: Json): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Help for a field's limits, e.g. "integer, 1 … 10000000". */
export function limitsOf(f: Field): string {
  const range = (lo?: number, hi?: number): string => (lo !== undefined && hi !== undefined ? `${lo} … ${hi}` : lo !== undefined ? `≥ ${lo}` : hi !== undefined ? `≤ ${hi}` : '');
  const parts: string[] = [];
  if (f.kind === 'number') {
    parts.push(f.integer ? 'integer' : 'number');
    const r = range(f.min, f.max);
    if (r) parts.push(r);
  } else if (f.kind === 'list') {
    parts.push(`comma-separated ${f.item === 'string' ? 'text' : f.item === 'integer' ? 'integers' : 'numbers'}`);
    const r = range(f.itemMin, f.itemMax);
    if (r) parts.push(`each ${r}`);
  } else if (f.kind === 'json') parts.push('JSON');
  if (f.nullable) parts.push('empty = none');
  return parts.join(', ');
}
