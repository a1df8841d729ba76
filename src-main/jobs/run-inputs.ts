import type { Run } from '../api/contract';
import type { ArtifactInput } from '../../src-worker/shared/protocol';
import { findExperiment } from '../../src-worker/experiments/registry';
import type { RunStore } from '../store/run-store';

/** The artifacts of other runs that a run's config names (see ExperimentDefinition.inputs), read from the store. */
export function resolveRunInputs(store: RunStore, run: Run): ArtifactInput[] {
  const def = findExperiment(run.kind);
  const refs = def?.inputs?.(def.configSchema.parse(run.config)) ?? [];
  return refs.map((ref) => {
    const a = store.artifacts.get(ref.runId, ref.name);
    if (!a) throw new Error(`run ${ref.runId} has no artifact ${ref.name}`);
    return { runId: ref.runId, name: ref.name, base64: a.bytes.toString('base64') };
  });
}
