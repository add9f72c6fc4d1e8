import type { TokenPair, User } from '@tally/proto';
import type { SessionTransport } from './session';

/**
 * The session's network side. The browser sends the httpOnly refresh cookie by itself (same origin, path
 * /api/auth); a 401 means there is no session to restore (no cookie, expired, reused or revoked).
 */
export const httpSessionTransport: SessionTransport = {
  async refresh() {
    const res = await fetch('/api/auth/refresh', { method: 'POST', credentials: 'same-origin' });
    if (!res.ok) return null;
    const pair = (await res.json()) as TokenPair;
    return { accessToken: pair.accessToken, expiresIn: pair.expiresIn };
  },
  async me(accessToken) {
    const res = await fetch('/api/me', { headers: { authorization: `Bearer ${accessToken}` } });
    if (!res.ok) throw new Error(`/api/me answered ${res.status}`);
    return (await res.json()) as User;
  },
};
