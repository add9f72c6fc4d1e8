/**
 * Secrets never reach a log line. Applied to every serialized line (after pino's serializers, so error messages,
 * stacks and ffmpeg's own stderr are covered too), it replaces:
 * - credentials inside URLs: `rtsp://user:pass@host` → `rtsp://[REDACTED]@host`;
 * - secret query parameters: `/api/live?token=eyJ…` → `/api/live?token=[REDACTED]`, `?apikey=`, `&pwd=`…;
 * - the values of fields named like secrets: `"password":"…"`, `"authorization":"Bearer …"`, `"refreshToken":…`;
 * - webhook signing secrets (`whsec_…`) anywhere.
 * Pure text in, text out.
 */
export const REDACTED = '[REDACTED]';

/** Field names (any case) whose values are secrets wherever they appear in a logged object. */
const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'newPassword',
  'currentPassword',
  'passwordHash',
  'mqttPassword',
  'secret',
  'jwtSecret',
  'token',
  'accessToken',
  'refreshToken',
  'claimCode',
  'webhookSecret',
];

/**
 * Query parameters whose values are secrets: any name containing one of these (`token`, `access_token`, `password`,
 * `pass`, `pwd`, `apikey`, `api_key`, `sig`, `auth`…), as camera URLs carry them; a harmless one caught too is only
 * a redacted log value. The cloud masks the same names in camera URLs (cloud/src/secrets/url-credentials.ts).
 */
const SECRET_PARAM_PARTS = ['pass', 'pwd', 'token', 'secret', 'key', 'auth', 'sig', 'credential'];

// scheme://userinfo@ — userinfo without "/", "@" or whitespace; covers user:pass@ and a lone token@.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^/@\s"'\\]+@/gi;
const QUERY_SECRETS = new RegExp(
  `([?&][^=&#\\s"'\\\\]*(?:${SECRET_PARAM_PARTS.join('|')})[^=&#\\s"'\\\\]*=)[^&#\\s"'\\\\]*`,
  'gi',
);
// An alert rule's webhook signing secret wherever it appears (cloud/src/alerts/webhook-signature.ts).
const WEBHOOK_SECRETS = /\bwhsec_[A-Za-z0-9_-]+/g;
// "name": "value with \" escapes" in JSON text (a string value only; objects and numbers hold no secret text).
const FIELD_SECRETS = new RegExp(`("(?:${SECRET_FIELDS.join('|')})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');

export function redactSecrets(text: string): string {
  return text
    .replace(URL_CREDENTIALS, `$1${REDACTED}@`)
    .replace(QUERY_SECRETS, `$1${REDACTED}`)
    .replace(FIELD_SECRETS, `$1"${REDACTED}"`)
    .replace(WEBHOOK_SECRETS, REDACTED);
}
