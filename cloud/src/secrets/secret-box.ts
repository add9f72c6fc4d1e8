import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Secrets at rest (camera URL passwords; reusable for webhook secrets and the like): AES-256-GCM with a random
 * 96-bit IV per value, sealed into one printable string
 *
 *     tally-sealed:v1:<key id>:<iv>:<ciphertext>:<tag>        (base64url parts)
 *
 * `v1` names the format; the key id names the key (an HMAC of the key, never the key), so keys can rotate: a
 * keyring opens values sealed under its current key and its previous ones, and seals under the current one only.
 * An optional `context` is authenticated with the value (GCM's associated data), so a value sealed for one purpose
 * (a camera URL) cannot be moved into another (a webhook secret) and still open. Pure: no I/O, no globals.
 */
export const SEALED_PREFIX = 'tally-sealed:v1:';

export interface SecretKeyring {
  /** Id of the key new values are sealed under. */
  readonly currentId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
}

/** A value sealed under a key this keyring does not hold (another server's, or a key that was replaced). */
export class UnknownSecretKey extends Error {
  readonly code = 'TALLY_SECRET_KEY_UNKNOWN';
  constructor(readonly keyId: string) {
    super(`a secret was encrypted with another key (key id ${keyId})`);
  }
}

/** A sealed value that does not open: altered, truncated, or sealed for another context. */
export class SealedValueInvalid extends Error {
  readonly code = 'TALLY_SEALED_INVALID';
}

/**
 * 32 bytes from text: 64 hex digits, or base64 / base64url (44 or 43 characters). Throws with what is expected.
 * `openssl rand -base64 32` makes one.
 */
export function parseSecretKey(text: string): Buffer {
  const t = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(t)
    ? Buffer.from(t, 'hex')
    : /^[A-Za-z0-9+/_-]{43}={0,1}$/.test(t)
      ? Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64')
      : undefined;
  if (!bytes || bytes.length !== 32) {
    throw new Error('must be 32 random bytes as 64 hex digits or base64 (e.g. `openssl rand -base64 32`)');
  }
  return bytes;
}

export function keyId(key: Buffer): string {
  return createHmac('sha256', key).update('tally secret key id').digest('base64url').slice(0, 12);
}

/** The current key first; previous keys (still opened, never used to seal) after it. */
export function secretKeyring(current: Buffer, previous: readonly Buffer[] = []): SecretKeyring {
  const keys = new Map<string, Buffer>();
  for (const key of [current, ...previous]) {
    if (key.length !== 32) throw new Error('a secret key must be 32 bytes');
    keys.set(keyId(key), key);
  }
  return { currentId: keyId(current), keys };
}

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(SEALED_PREFIX);
}

/** The id of the key a sealed value was sealed under. */
export function sealedKeyId(sealed: string): string | undefined {
  return isSealed(sealed) ? sealed.slice(SEALED_PREFIX.length).split(':')[0] : undefined;
}

export function seal(ring: SecretKeyring, plaintext: string, context = ''): string {
  const key = ring.keys.get(ring.currentId)!;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const parts = [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url'));
  return `${SEALED_PREFIX}${ring.currentId}:${parts.join(':')}`;
}

export function open(ring: SecretKeyring, sealed: string, context = ''): string {
  if (!isSealed(sealed)) throw new SealedValueInvalid('not a sealed value');
  const [id = '', iv, body, tag, ...rest] = sealed.slice(SEALED_PREFIX.length).split(':');
  const key = ring.keys.get(id);
  if (!key) throw new UnknownSecretKey(id);
  if (iv === undefined || body === undefined || tag === undefined || rest.length > 0) {
    throw new SealedValueInvalid('a sealed value is truncated');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new SealedValueInvalid('a sealed value does not open: altered, or sealed for another use');
  }
}

/** Whether a sealed value should be sealed again under the current key (it was sealed under a previous one). */
export function needsReseal(ring: SecretKeyring, sealed: string): boolean {
  return sealedKeyId(sealed) !== ring.currentId;
}
