/**
 * What the attention panel fetches beyond the run detail: every `gallery/<method>.json` artifact, each fetched
 * again only when its size changes (an active run writes one per trained model).
 */
import type { RunDetail } from '../../../../src-main/api/contract';
import { parseGallery, type Gallery } from '../../../../src-main/figures/attention';
import { RunPanelData } from '../../run-panel-data';
import { api, describeError } from '../../api';
import { base64ToBytes } from '../../download';

export const GALLERY_PREFIX = 'gallery/';

export interface GalleryEntry {
  /** Artifact name, e.g. `gallery/entropy.json`. */
  name: string;
  /** The `<method>` part of the name. */
  prefix: string;
  gallery: Gallery | null;
  error: string | null;
}

export class AttentionRunData extends RunPanelData {
  /** Large arrays: kept raw so Svelte does not proxy every pixel. */
  galleries: GalleryEntry[] = $state.raw([]);
  loading = $state(false);

  private sizes = new Map<string, number>();

  constructor(readonly runId: string) {
    super();
  }

  protected async load(run: RunDetail): Promise<void> {
    const wanted = run.artifacts.filter((a) => a.name.startsWith(GALLERY_PREFIX) && a.name.endsWith('.json'));
    const changed = wanted.filter((a) => this.sizes.get(a.name) !== a.size);
    if (changed.length === 0 && wanted.length === this.galleries.length) return;
    this.loading = true;
    try {
      const byName = new Map(this.galleries.map((g) => [g.name, g]));
      for (const a of changed) {
        const prefix = a.name.slice(GALLERY_PREFIX.length, -'.json'.length);
        try {
          const artifact = await api.getArtifact(run.id, a.name);
          if (this.disposed) return;
          const gallery = parseGallery(JSON.parse(new TextDecoder().decode(base64ToBytes(artifact.base64))));
          byName.set(a.name, { name: a.name, prefix, gallery, error: gallery ? null : 'not a gallery artifact' });
          this.sizes.set(a.name, a.size);
        } catch (err) {
          if (this.disposed) return;
          byName.set(a.name, { name: a.name, prefix, gallery: null, error: describeError(err).message });
        }
      }
      this.galleries = wanted.map((a) => byName.get(a.name)).filter((g): g is GalleryEntry => !!g);
    } finally {
      if (!this.disposed) this.loading = false;
    }
  }
}
