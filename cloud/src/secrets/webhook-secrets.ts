import { isSealed, open, seal, type SecretKeyring } from './secret-box';

/**
 * Alert rules' webhook signing secrets at rest. HMAC needs the secret itself (a hash would not sign), so it is
 * sealed like a camera password and opened only to sign a delivery. A value stored before sealing existed is plain
 * and is used as it is.
 */
const CONTEXT = 'webhook-secret';

export const sealWebhookSecret = (ring: SecretKeyring, secret: string): string => seal(ring, secret, CONTEXT);

export const openWebhookSecret = (ring: SecretKeyring, stored: string): string =>
  isSealed(stored) ? open(ring, stored, CONTEXT) : stored;
