import { createHmac, randomBytes } from 'node:crypto';

/**
 * How Tally signs a webhook delivery (the Stripe/GitHub scheme; docs/WEBHOOKS.md shows the receiver's side):
 *
 *   X-Tally-Timestamp: <unix seconds when this attempt was sent>
 *   X-Tally-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>", keyed with the rule's secret (its UTF-8 text)>
 *
 * The timestamp is inside the signed text, so a receiver that refuses timestamps older than a few minutes (the
 * replay window, 5 minutes suggested) cannot be fed an old delivery again. Each attempt of a retried delivery is
 * signed afresh with its own timestamp. `v1=` names the scheme so that another can be added beside it later.
 */
export const TIMESTAMP_HEADER = 'x-tally-timestamp';
export const SIGNATURE_HEADER = 'x-tally-signature';

/** A new secret: 32 random bytes, prefixed so that it is recognisable when pasted (and by secret scanners). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function webhookSignature(secret: string, timestampS: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestampS}.${body}`).digest('hex')}`;
}

/** The headers that sign `body` sent at `nowMs`. */
export function signatureHeaders(secret: string, body: string, nowMs: number): Record<string, string> {
  const timestampS = Math.floor(nowMs / 1000);
  return {
    [TIMESTAMP_HEADER]: String(timestampS),
    [SIGNATURE_HEADER]: webhookSignature(secret, timestampS, body),
  };
}
