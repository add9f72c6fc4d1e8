import type { Me } from '@tally/proto';

/**
 * The browser's session, kept in memory only: the access token never touches storage, so a script injected into
 * the page later cannot read a saved one. The refresh token lives in the cloud's httpOnly cookie, which this code
 * never sees: `refresh()` just asks the cloud to trade it for a new access token.
 *
 * States: `unknown` while the first silent refresh runs (page load), `signed-in`, `signed-out` (no cookie, or a
 * reused/revoked refresh token: the cloud answered 401).
 */
export type SessionStatus = 'unknown' | 'signed-in' | 'signed-out';

export interface SessionSnapshot {
  status: SessionStatus;
  user: Me | null;
  /** Set when the session ended on its own (expired or revoked), not by signing out: the sign-in page says so. */
  ended: boolean;
}

/** What the store needs from the network: trade the cookie for a token, and read who signed in. */
export interface SessionTransport {
  refresh(): Promise<{ accessToken: string; expiresIn: number } | null>;
  me(accessToken: string): Promise<Me>;
  /**
   * Whether this browser signed in before and has not signed out (a non-secret flag): without it the page does not
   * ask for a refresh it knows will fail, which would show a first-time visitor a 401 in the console.
   */
  mayHaveSession(): boolean;
  remember(signedIn: boolean): void;
}

/**
 * Refresh this long before the access token expires, so a request never goes out with a dead one: a minute, or a
 * quarter of the lifetime when tokens are short-lived (tests run with 30 s tokens).
 */
function refreshDelayMs(expiresInS: number): number {
  const lifetime = expiresInS * 1000;
  return lifetime - Math.min(60_000, lifetime / 4);
}

export class SessionStore {
  private token: string | null = null;
  private snapshot: SessionSnapshot = { status: 'unknown', user: null, ended: false };
  private readonly listeners = new Set<() => void>();
  private readonly tokenListeners = new Set<(token: string) => void>();
  private refreshing: Promise<string | null> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly transport: SessionTransport) {}

  get accessToken(): string | null {
    return this.token;
  }

  getSnapshot = (): SessionSnapshot => this.snapshot;

  /** For React's useSyncExternalStore; returns the remover. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Called with each new access token (sign-in and every refresh); returns the remover. */
  onToken(listener: (token: string) => void): () => void {
    this.tokenListeners.add(listener);
    return () => this.tokenListeners.delete(listener);
  }

  /** After sign-in: the cloud set the cookie and gave this access token. */
  async signedIn(accessToken: string, expiresIn: number): Promise<void> {
    this.accept(accessToken, expiresIn);
    const user = await this.transport.me(accessToken);
    this.set({ status: 'signed-in', user, ended: false });
  }

  /** Page load: a cookie from an earlier visit may still hold a session. */
  async restore(): Promise<void> {
    if (!this.transport.mayHaveSession()) {
      this.set({ status: 'signed-out', user: null, ended: false });
      return;
    }
    const token = await this.refresh();
    if (!token) return;
    try {
      this.set({ status: 'signed-in', user: await this.transport.me(token), ended: false });
    } catch {
      this.end(false);
    }
  }

  /**
   * Trades the cookie for a new access token; concurrent callers share one request (the cloud rotates the refresh
   * token on each use, so two parallel refreshes would look like reuse and end the session).
   */
  refresh(): Promise<string | null> {
    this.refreshing ??= this.transport
      .refresh()
      .catch(() => null)
      .then((tokens) => {
        this.refreshing = null;
        if (!tokens) {
          this.end(this.snapshot.status === 'signed-in');
          return null;
        }
        this.accept(tokens.accessToken, tokens.expiresIn);
        return tokens.accessToken;
      });
    return this.refreshing;
  }

  /** Forget the session. `expired`: it ended by itself, so the sign-in page explains why. */
  end(expired: boolean): void {
    clearTimeout(this.timer);
    this.token = null;
    this.transport.remember(false);
    this.set({ status: 'signed-out', user: null, ended: expired });
  }

  private accept(accessToken: string, expiresIn: number): void {
    this.token = accessToken;
    this.transport.remember(true);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), refreshDelayMs(expiresIn));
    for (const l of this.tokenListeners) l(accessToken);
  }

  private set(next: SessionSnapshot): void {
    this.snapshot = next;
    for (const l of this.listeners) l();
  }
}
