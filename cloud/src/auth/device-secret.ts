import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Device MQTT passwords are 32 random bytes, so a fast hash is enough: argon2's cost protects guessable human
 * passwords, and a 256-bit secret cannot be guessed. A fast check also keeps a fleet reconnecting at once (after a
 * broker restart) from stalling the broker's authentication.
 */
export function generateDeviceSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashDeviceSecret(secret: string): string {
  return `sha256:${createHash('sha256').update(secret).digest('hex')}`;
}

export function verifyDeviceSecret(secret: string, stored: string): boolean {
  const expected = Buffer.from(stored);
  const actual = Buffer.from(hashDeviceSecret(secret));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
