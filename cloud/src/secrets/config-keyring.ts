import type { CloudConfig } from '../config';
import { parseSecretKey, secretKeyring, type SecretKeyring } from './secret-box';

const rings = new WeakMap<CloudConfig, SecretKeyring>();

/** The keyring of TALLY_SECRET_KEY (current) and TALLY_SECRET_KEYS_PREVIOUS, built once per (frozen) config. */
export function keyringOf(config: CloudConfig): SecretKeyring {
  let ring = rings.get(config);
  if (!ring) {
    ring = secretKeyring(parseSecretKey(config.secretKey), config.secretKeysPrevious.map(parseSecretKey));
    rings.set(config, ring);
  }
  return ring;
}
