/**
 * Whether this server can send email (SMTP_URL, read by the alert stage): alert rules and reports that mail
 * someone are refused without it, instead of being accepted and silently never delivered.
 */
export function emailConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.SMTP_URL);
}

export const EMAIL_NOT_CONFIGURED =
  'email delivery is not configured on this server: the operator sets SMTP_URL (and SMTP_FROM, docs/CLOUD.md); or use a webhookUrl';
