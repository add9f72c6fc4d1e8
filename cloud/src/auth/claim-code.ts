import { createHash, randomInt } from 'node:crypto';

/**
 * Claim codes are read off a screen and typed on a box: 8 characters from an alphabet without look-alikes
 * (no 0/O, 1/I/L), shown as XXXX-XXXX. 31^8 ≈ 8.5e11 codes, one-time, expiring within hours, and the
 * provisioning endpoint is rate limited, so guessing one is hopeless.
 */
export const CLAIM_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const LENGTH = 8;

export function generateClaimCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i++) code += CLAIM_ALPHABET[randomInt(CLAIM_ALPHABET.length)];
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** Case, spaces and dashes do not matter when typing a code back. */
export function normaliseClaimCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

export function hashClaimCode(code: string): string {
  return createHash('sha256').update(normaliseClaimCode(code)).digest('hex');
}
