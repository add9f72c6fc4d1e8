import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { DeviceConfig } from './messages/config';

/**
 * The content hash of a device config: sha256 of the canonical JSON of `{cameras, models}`. Version, time and
 * device id are left out so that re-publishing the same setup yields the same hash. Node-only (node:crypto), hence
 * its own entry point `@tally/proto/hash`.
 */
export function configContentHash(config: Pick<DeviceConfig, 'cameras' | 'models'>): string {
  return createHash('sha256')
    .update(canonicalJson({ cameras: config.cameras, models: config.models ?? [] }))
    .digest('hex');
}
