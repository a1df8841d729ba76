/**
 * The run filter language, compiled to a parameterised SQL condition over the `runs` table. User text never
 * reaches the SQL string: values and JSON paths are bound as parameters, field names are looked up in a fixed
 * table, and LIKE patterns escape % and _.
 *
 *   expr    := and ('or' and)*
 *   and     := unary ('and' unary)*
 *   unary   := 'not' unary | '(' expr ')' | test
 *   test    := field op value | field ['not'] 'in' '(' value (',' value)* ')'
 *   op      := = | != | < | <= | > | >= | ~ (contains, case-insensitive) | !~
 *   field   := kind | name | status | id | source | notes | seed | parent | tag | created
 *            | config.<key>[.<key>…] | summary.<key>[.<key>…] | summary (= null: runs that have none)
 *   value   := number | 'text' | "text" | bare-word | true | false | null
 *
 *   kind = entropynet-train and config.lambda >= 0.05 and summary.hullErrorPct < 1
 */
import { RUN_STATUSES } from '../api/contract';

export class FilterSyntaxError extends Error {
  override name = 'FilterSyntaxError';
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} (at character ${position + 1})`);
  }
}

export interface SqlCondition {
  sql: string;
  params: Array<string | number>;
}

type Value = string | number | boolean | null;

interface Token {
  kind: 'word' | 'string' | 'number' | 'op' | '(' | ')' | ',' | 'end';
  text: string;
  value: Value;
  pos: number;
}

const COLUMNS: Record<string, { sql: string; numeric: boolean }> = {
  kind: { sql: 'kind', numeric: false },
  name: { sql: 'name', numeric: false },
  status: { sql: 'status', numeric: false },
  id: { sql: 'id', numeric: false },
  source: { sql: 'source', numeric: false },
  notes: { sql: 'notes', numeric: false },
  seed: { sql: 'seed', numeric: true },
  parent: { sql: 'parent_id', numeric: false },
  created: { sql: 'created_at', numeric: true },
  summary: { sql: 'summary', numeric: false },
};
const KEYWORDS = new Set(['and', 'or', 'not', 'in']);
const OPS = ['<=', '>=', '!=', '!~', '==', '=', '<', '>', '~'];
// Letters, digits and _ - / : (TensorBoard and MLflow keys nest with "/"); never a quote, so a segment cannot
// leave the quoted JSON path it is put in.
const KEY_SEGMENT = /^[A-Za-z0-9_\-/:]+$/;

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `config.a.b` → the JSON path `$."a"."b"` (segments are checked, so the quotes cannot be broken out of). */
export function jsonPathOf(segments: readonly string[], pos: number): string {
  for (const s of segments) {
    if (!KEY_SEGMENT.test(s)) throw new FilterSyntaxError(`"${s}" is not a config or summary key (letters, digits and _ - / : only)`, pos);
  }
  return '$' + segments.map((s) => `."${s}"`).join('');
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const pos = i;
    if (c === '(' || c === ')' || c === ',') {
      out.push({ kind: c, text: c, value: c, pos });
      i++;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (op) {
      out.push({ kind: 'op', text: op === '==' ? '=' : op, value: op, pos });
      i += op.length;
      continue;
    }
    if (c === '"' || c === "'") {
      let s = '';
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        s += text[i++];
      }
      if (i >= text.length) throw new FilterSyntaxError('unterminated string', pos);
      i++;
      out.push({ kind: 'string', text: s, value: s, pos });
      continue;
    }
    const m = /^[A-Za-z0-9_.:/@+-]+/.exec(text.slice(i));
    if (!m) throw new FilterSyntaxError(`unexpected character "${c}"`, pos);
    const word = m[0];
    i += word.length;
    const num = Number(word);
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(word) && Number.isFinite(num)) out.push({ kind: 'number', text: word, value: num, pos });
    else out.push({ kind: 'word', text: word, value: word, pos });
  }
  out.push({ kind: 'end', text: '', value: null, pos: text.length });
  return out;
}

class Parser {
  private i = 0;
  readonly params: Array<string | number> = [];

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.i];
  }
  private next(): Token {
    return this.tokens[this.i++];
  }
  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.kind === 'word' && t.text.toLowerCase() === word;
  }
  private expect(kind: Token['kind'], what: string): Token {
    const t = this.next();
    if (t.kind !== kind) throw new FilterSyntaxError(`expected ${what}, found ${t.kind === 'end' ? 'the end' : `"${t.text}"`}`, t.pos);
    return t;
  }

  parse(): string {
    const sql = this.or();
    const t = this.peek();
    if (t.kind !== 'end') throw new FilterSyntaxError(`expected "and", "or" or the end, found "${t.text}"`, t.pos);
    return sql;
  }

  private or(): string {
    const parts = [this.and()];
    while (this.isKeyword('or')) (this.next(), parts.push(this.and()));
    return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
  }

  private and(): string {
    const parts = [this.unary()];
    while (this.isKeyword('and')) (this.next(), parts.push(this.unary()));
    return parts.length === 1 ? parts[0] : `(${parts.join(' AND ')})`;
  }

  private unary(): string {
    if (this.isKeyword('not')) {
      this.next();
      return `(NOT ${this.unary()})`;
    }
    if (this.peek().kind === '(') {
      this.next();
      const inner = this.or();
      this.expect(')', '")"');
      return inner;
    }
    return this.test();
  }

  private value(): Token {
    const t = this.next();
    if (t.kind === 'number' || t.kind === 'string') return t;
    if (t.kind === 'word' && !KEYWORDS.has(t.text.toLowerCase())) {
      const lower = t.text.toLowerCase();
      if (lower === 'true') return { ...t, value: true };
      if (lower === 'false') return { ...t, value: false };
      if (lower === 'null') return { ...t, value: null };
      return t;
    }
    throw new FilterSyntaxError(`expected a value, found ${t.kind === 'end' ? 'the end' : `"${t.text}"`}`, t.pos);
  }

  private test(): string {
    const f = this.expect('word', 'a field (kind, name, status, tag, config.<key>, summary.<key>, …)');
    const field = f.text;
    let negate = false;
    if (this.isKeyword('not')) (this.next(), (negate = true));
    if (this.isKeyword('in')) {
      this.next();
      this.expect('(', '"(" after "in"');
      const values = [this.value()];
      while (this.peek().kind === ',') (this.next(), values.push(this.value()));
      this.expect(')', '")"');
      const sql = `(${values.map((v) => this.comparison(field, f.pos, '=', v)).join(' OR ')})`;
      return negate ? `(NOT ${sql})` : sql;
    }
    if (negate) throw new FilterSyntaxError('"not" after a field must be followed by "in"', f.pos);
    const op = this.expect('op', `an operator (= != < <= > >= ~ !~) after "${field}"`);
    return this.comparison(field, f.pos, op.text, this.value());
  }

  private bind(v: string | number): string {
    this.params.push(v);
    return '?';
  }

  /** The SQL of `field op value`. A missing JSON key (or NULL) matches no comparison except `!= x`. */
  private comparison(field: string, pos: number, op: string, v: Token): string {
    const lower = field.toLowerCase();
    if (lower === 'tag' || lower === 'tags') return this.tagTest(op, v, pos);
    // A function, not a string: each use of a JSON field binds its path again, so placeholders stay in order.
    let expr: () => string;
    let numeric: boolean;
    const dot = field.indexOf('.');
    const root = dot < 0 ? lower : field.slice(0, dot).toLowerCase();
    if ((root === 'config' || root === 'summary') && dot > 0) {
      const path = jsonPathOf(field.slice(dot + 1).split('.'), pos);
      expr = () => `json_extract(${root}, ${this.bind(path)})`;
      numeric = typeof v.value === 'number';
    } else if (Object.hasOwn(COLUMNS, lower)) {
      const column = COLUMNS[lower];
      expr = () => column.sql;
      numeric = column.numeric;
    } else {
      throw new FilterSyntaxError(`unknown field "${field}" (known: ${[...Object.keys(COLUMNS), 'tag', 'config.<key>', 'summary.<key>'].join(', ')})`, pos);
    }
    if (lower === 'status' && typeof v.value === 'string' && (op === '=' || op === '!=') && !(RUN_STATUSES as readonly string[]).includes(v.value)) {
      throw new FilterSyntaxError(`unknown status "${v.value}" (known: ${RUN_STATUSES.join(', ')})`, v.pos);
    }
    if (v.value === null) {
      if (op === '=') return `${expr()} IS NULL`;
      if (op === '!=') return `${expr()} IS NOT NULL`;
      throw new FilterSyntaxError(`null can only be compared with = or !=`, v.pos);
    }
    if (op === '~' || op === '!~') {
      const like = (): string => `${expr()} LIKE ${this.bind(`%${escapeLike(String(v.value))}%`)} ESCAPE '\\'`;
      return op === '~' ? like() : `(${expr()} IS NULL OR NOT (${like()}))`;
    }
    let bound: string | number;
    if (typeof v.value === 'boolean') bound = v.value ? 1 : 0;
    else if (numeric && typeof v.value !== 'number') throw new FilterSyntaxError(`"${field}" takes a number, not "${v.text}"`, v.pos);
    else bound = v.value;
    if (op === '!=') return `(${expr()} IS NULL OR ${expr()} != ${this.bind(bound)})`;
    return `${expr()} ${op} ${this.bind(bound)}`;
  }

  private tagTest(op: string, v: Token, pos: number): string {
    if (v.value === null) throw new FilterSyntaxError('a tag is never null', v.pos);
    const text = String(v.value);
    if (op === '=') return `EXISTS (SELECT 1 FROM json_each(runs.tags) WHERE value = ${this.bind(text)})`;
    if (op === '!=') return `NOT EXISTS (SELECT 1 FROM json_each(runs.tags) WHERE value = ${this.bind(text)})`;
    if (op === '~') return `EXISTS (SELECT 1 FROM json_each(runs.tags) WHERE value LIKE ${this.bind(`%${escapeLike(text)}%`)} ESCAPE '\\')`;
    if (op === '!~') return `NOT EXISTS (SELECT 1 FROM json_each(runs.tags) WHERE value LIKE ${this.bind(`%${escapeLike(text)}%`)} ESCAPE '\\')`;
    throw new FilterSyntaxError(`tags compare with = != ~ !~, not ${op}`, pos);
  }
}

/** Compiles a filter expression; an empty one matches every run. Throws FilterSyntaxError on bad input. */
export function compileRunFilter(text: string): SqlCondition {
  if (text.trim() === '') return { sql: '1', params: [] };
  const parser = new Parser(tokenize(text));
  const sql = parser.parse();
  return { sql, params: parser.params };
}

export type RunSortKey = string;

/** ORDER BY for a sort key (`created`, `name`, `kind`, `status`, `ended`, `config.x`, `summary.x`); stable by id. */
export function compileRunSort(by: RunSortKey, dir: 'asc' | 'desc'): SqlCondition {
  const d = dir === 'asc' ? 'ASC' : 'DESC';
  const simple: Record<string, string> = { created: 'created_at', name: 'name', kind: 'kind', status: 'status', ended: 'ended_at', seed: 'seed' };
  if (Object.hasOwn(simple, by)) return { sql: `${simple[by]} ${d}, id ${d}`, params: [] };
  const dot = by.indexOf('.');
  const root = by.slice(0, dot);
  if (dot > 0 && (root === 'config' || root === 'summary')) {
    const path = jsonPathOf(by.slice(dot + 1).split('.'), 0);
    // Runs without the key sort last either way.
    return { sql: `json_extract(${root}, ?) IS NULL, json_extract(${root}, ?) ${d}, created_at DESC, id DESC`, params: [path, path] };
  }
  throw new FilterSyntaxError(`cannot sort by "${by}" (sortable: ${Object.keys(simple).join(', ')}, config.<key>, summary.<key>)`, 0);
}
