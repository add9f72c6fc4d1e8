import { REFRESH_COOKIE, REFRESH_COOKIE_PATH } from '@tally/proto';

/**
 * The browser's refresh token cookie (pure: builds and reads header values). HttpOnly so no script can read it,
 * SameSite=Strict so no other site can make the browser send it, Path=/api/auth so it travels only to the
 * refresh and logout routes, Secure whenever the request came over https (a plain-http dev server keeps working).
 */
export function refreshCookie(token: string, opts: { secure: boolean; maxAgeS: number }): string {
  return serialize(token, opts.maxAgeS, opts.secure);
}

/** The same cookie, expired: the browser forgets it. */
export function clearedRefreshCookie(opts: { secure: boolean }): string {
  return serialize('', 0, opts.secure);
}

/** The refresh token from a Cookie request header, if the browser sent one. */
export function readRefreshCookie(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== REFRESH_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    return value === '' ? undefined : value;
  }
  return undefined;
}

function serialize(value: string, maxAgeS: number, secure: boolean): string {
  // Refresh tokens are base64url, so the value needs no encoding.
  const attrs = [
    `${REFRESH_COOKIE}=${value}`,
    `Path=${REFRESH_COOKIE_PATH}`,
    `Max-Age=${maxAgeS}`,
    'HttpOnly',
    'SameSite=Strict',
  ];
  if (secure) attrs.push('Secure');
  return attrs.join('; ');
}
