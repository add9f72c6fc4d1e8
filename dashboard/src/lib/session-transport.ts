import type { Me, TokenPair } from '@tally/proto';
import type { SessionTransport } from './session';

/** Not a secret: only says "this browser holds a session cookie, probably". */
const HINT = 'tally.session';

async function refreshOnce(): Promise<{ accessToken: string; expiresIn: number } | null> {
  const res = await fetch('/api/auth/refresh', { method: 'POST', credentials: 'same-origin' });
  if (!res.ok) return null;
  const pair = (await res.json()) as TokenPair;
  return { accessToken: pair.accessToken, expiresIn: pair.expiresIn };
}

/**
 * The session's network side. The browser sends the httpOnly refresh cookie by itself (same origin, path
 * /api/auth); a 401 means there is no session to restore (no cookie, expired, reused or revoked).
 */
export const httpSessionTransport: SessionTransport = {
  refresh() {
    // One tab at a time: the cloud rotates the cookie on each use, and a second tab presenting the old one at the
    // same moment would look like a stolen token and end the session everywhere.
    if (!navigator.locks) return refreshOnce();
    // The lock's typing nests the callback's promise; `then` flattens it.
    return navigator.locks.request('tally-session-refresh', refreshOnce).then((r) => r);
  },
  mayHaveSession: () => localStorage.getItem(HINT) === '1',
  remember: (signedIn) => (signedIn ? localStorage.setItem(HINT, '1') : localStorage.removeItem(HINT)),
  async me(accessToken) {
    const res = await fetch('/api/me', { headers: { authorization: `Bearer ${accessToken}` } });
    if (!res.ok) throw new Error(`/api/me answered ${res.status}`);
    return (await res.json()) as Me;
  },
};
