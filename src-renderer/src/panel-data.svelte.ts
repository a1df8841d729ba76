import { untrack } from 'svelte';
import type { RunDetail } from '../../src-main/api/contract';
import type { RunPanelData } from './run-panel-data';

/**
 * One data holder per run shown by a panel (not per refresh of the detail, which is a new object every second
 * while the run is active): made when the run id changes, disposed with it, synced with every new detail.
 * Call during component initialisation; read `.current`.
 */
export function panelData<T extends RunPanelData>(getRun: () => RunDetail, make: (runId: string) => T): { readonly current: T } {
  const runId = $derived(getRun().id);
  const data = $derived(make(runId));
  $effect(() => {
    const d = data;
    return () => d.dispose();
  });
  $effect(() => {
    const d = data;
    const r = getRun();
    untrack(() => void d.sync(r));
  });
  return {
    get current() {
      return data;
    },
  };
}
