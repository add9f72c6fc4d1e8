import { createHash, randomBytes } from 'node:crypto';

/** 144 random bits, URL-safe: pasted, never typed, so no need for a short alphabet like claim codes. */
export function generateInvitationCode(): string {
  return randomBytes(18).toString('base64url');
}

export function hashInvitationCode(code: string): string {
  return createHash('sha256').update(code.trim()).digest('hex');
}
