import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Model download URLs carry an HMAC of the model id and its sha256, so any HTTP client on the device can fetch
 * exactly that file without credentials, and the URL (part of the config hash) stays stable across republishes.
 * A new file (new sha256) needs a new URL; knowing one URL reveals nothing about other models.
 */
export function modelSignature(secret: string, modelId: string, sha256: string): string {
  return createHmac('sha256', secret).update(`model:${modelId}:${sha256}`).digest('base64url');
}

export function verifyModelSignature(secret: string, modelId: string, sha256: string, sig: string): boolean {
  const expected = Buffer.from(modelSignature(secret, modelId, sha256));
  const actual = Buffer.from(sig);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
