/**
 * The New-run form of one experiment kind: field values from a preset, client-side messages, the server's
 * issues next to their fields, and Start.
 */
import type { ExperimentInfo, JsonObject, Run } from '../../src-main/api/contract';
import { api, describeError } from './api';
import { configOf, fieldsOf, valuesOf, walk, type Field, type FormErrors, type FormValues } from './config-form';

export class NewRunForm {
  readonly fields: Field[];
  readonly presetNames: string[];
  preset = $state('');
  values: FormValues = $state({});
  runName = $state('');
  /** Fields the user has edited: their client-side messages show as they type. */
  touched: Record<string, true> = $state({});
  submitted = $state(false);
  serverIssues: FormErrors = $state({});
  /** Server errors that name no field of the form. */
  formError: string | null = $state(null);
  starting = $state(false);

  readonly parsed = $derived.by(() => configOf(this.fields, this.values));
  readonly errors: FormErrors = $derived.by(() => {
    const out: FormErrors = {};
    for (const [path, msg] of Object.entries(this.parsed.errors)) if (this.submitted || this.touched[path]) out[path] = msg;
    for (const [path, msg] of Object.entries(this.serverIssues)) out[path] ??= msg;
    return out;
  });
  readonly modified = $derived.by(() => {
    const base = this.preset ? this.info.presets[this.preset] : this.info.defaults;
    return JSON.stringify(this.parsed.config) !== JSON.stringify(configOf(this.fields, valuesOf(this.fields, base ?? {})).config);
  });

  constructor(readonly info: ExperimentInfo) {
    this.fields = fieldsOf(info.configSchema);
    this.presetNames = Object.keys(info.presets);
    const first = this.presetNames.includes('Default') ? 'Default' : '';
    this.applyPreset(first);
  }

  applyPreset(name: string): void {
    this.preset = name;
    const config: JsonObject = (name && this.info.presets[name]) || this.info.defaults;
    this.values = valuesOf(this.fields, config);
    this.touched = {};
    this.submitted = false;
    this.serverIssues = {};
    this.formError = null;
  }

  set(path: string, value: string | boolean): void {
    this.values[path] = value;
    this.touched[path] = true;
    if (path in this.serverIssues) delete this.serverIssues[path];
  }

  /** Starts the run, or returns null and shows why not. */
  async start(): Promise<Run | null> {
    this.submitted = true;
    this.formError = null;
    const { config, errors } = this.parsed;
    if (Object.keys(errors).length > 0) return null;
    this.starting = true;
    try {
      return await api.startRun(this.info.kind, config, this.runName.trim() || undefined);
    } catch (err) {
      const e = describeError(err);
      const known = new Set<string>();
      walk(this.fields, (f) => known.add(f.path));
      const issues: FormErrors = {};
      const unplaced: string[] = [];
      for (const i of e.issues) {
        // Issue paths may point inside a field (an array item): show them on the nearest field.
        const parts = i.path.split('.');
        while (parts.length && !known.has(parts.join('.'))) parts.pop();
        if (parts.length) issues[parts.join('.')] ??= i.message;
        else unplaced.push(i.path ? `${i.path}: ${i.message}` : i.message);
      }
      this.serverIssues = issues;
      this.formError = unplaced.length ? unplaced.join('; ') : Object.keys(issues).length ? 'The server refused some values; see the marked fields.' : e.message;
      return null;
    } finally {
      this.starting = false;
    }
  }
}
