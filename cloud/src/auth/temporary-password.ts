import { randomBytes } from 'node:crypto';

/**
 * A password an admin hands to a user after a reset: 96 random bits in 16 URL-safe characters (above the 10-character
 * minimum, and copied rather than typed, so no friendlier alphabet is needed).
 */
export function generateTemporaryPassword(): string {
  return randomBytes(12).toString('base64url');
}
