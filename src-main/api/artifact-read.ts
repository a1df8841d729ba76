/**
 * Main's reading of a stored artifact: a JSON artifact its kind declares a schema for is parsed with that
 * schema (src-worker/shared/results), so older layouts come back with the defaults of fields added since, as
 * summaries do. Bytes that are not JSON, or JSON the schema cannot read, are handed back exactly as stored:
 * nothing is dropped for being unexpected.
 */
import type { Artifact, ArtifactInfo } from './contract';
import { artifactSpecOf, checkArtifact } from '../../src-worker/shared/results';

export function readStoredArtifact(kind: string, a: ArtifactInfo & { bytes: Buffer }): Artifact {
  const stored: Artifact = { name: a.name, mime: a.mime, size: a.size, meta: a.meta, base64: a.bytes.toString('base64') };
  if (a.mime !== 'application/json' || !artifactSpecOf(kind, a.name)?.schema) return stored;
  const text = a.bytes.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return stored;
  }
  const checked = checkArtifact(kind, a.name, value);
  if (!checked.ok) return stored;
  const parsed = JSON.stringify(checked.value);
  if (parsed === text) return stored;
  const bytes = Buffer.from(parsed, 'utf8');
  return { ...stored, size: bytes.length, base64: bytes.toString('base64') };
}
