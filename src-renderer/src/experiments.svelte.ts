/** The experiment kinds with their config schemas, defaults and presets: fetched once per page. */
import type { ExperimentInfo } from '../../src-main/api/contract';
import { api, describeError } from './api';

class ExperimentsState {
  list: ExperimentInfo[] = $state.raw([]);
  loaded = $state(false);
  error: string | null = $state(null);
  private pending: Promise<void> | null = null;

  load(): Promise<void> {
    this.pending ??= api.listExperiments().then(
      (list) => {
        this.list = list;
        this.loaded = true;
        this.error = null;
      },
      (err: unknown) => {
        this.error = describeError(err).message;
        this.pending = null;
      },
    );
    return this.pending;
  }

  find(kind: string): ExperimentInfo | undefined {
    return this.list.find((e) => e.kind === kind);
  }
}

export const experimentsState = new ExperimentsState();
