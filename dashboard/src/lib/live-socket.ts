import { LIVE_CLOSE, type LiveAuth, type LiveMessage } from '@tally/proto';
import { backoffMs } from './backoff';

export type LiveStatus = 'connecting' | 'open' | 'lost';

export interface LiveSocketOptions {
  url: string;
  /** The current access token, refreshed first when `fresh` (the socket was closed for an expired token). */
  token(fresh: boolean): Promise<string | null>;
  onMessage(message: LiveMessage): void;
  onStatus(status: LiveStatus): void;
  createSocket?: (url: string) => WebSocket;
}

/**
 * The `/api/live` WebSocket. It authenticates with its first message (the token never goes into a URL, where
 * proxies and logs would keep it), reconnects with backoff when the connection drops, and with a fresh token at
 * once when the cloud closes it because the token expired. Each new access token (the session's silent refresh) is
 * sent again on the open socket, which extends its life. `open` is reported on the cloud's `hello`, so a socket the
 * cloud refused never shows as connected.
 */
export class LiveSocket {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(private readonly opts: LiveSocketOptions) {}

  start(): void {
    this.stopped = false;
    void this.connect(false);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.socket?.close(1000, 'signed out');
    this.socket = null;
  }

  /** Sends a (new) access token; on an open socket the cloud answers another `hello` with the new expiry. */
  authenticate(token: string): void {
    if (this.socket?.readyState === 1 /* OPEN */) {
      this.socket.send(JSON.stringify({ type: 'auth', token } satisfies LiveAuth));
    }
  }

  private async connect(freshToken: boolean): Promise<void> {
    if (this.stopped) return;
    this.opts.onStatus(this.attempt === 0 ? 'connecting' : 'lost');
    const token = await this.opts.token(freshToken);
    if (this.stopped || !token) return;
    const socket = (this.opts.createSocket ?? ((u) => new WebSocket(u)))(this.opts.url);
    this.socket = socket;
    socket.onopen = () => this.authenticate(token);
    socket.onmessage = (e: MessageEvent) => {
      const message = parse(e.data);
      if (!message) return;
      if (message.type === 'hello') {
        this.attempt = 0;
        this.opts.onStatus('open');
      }
      this.opts.onMessage(message);
    };
    socket.onclose = (e: CloseEvent) => {
      if (this.socket !== socket || this.stopped) return;
      this.socket = null;
      this.opts.onStatus('lost');
      const expired = e.code === LIVE_CLOSE.unauthorized;
      const delay = expired && this.attempt === 0 ? 0 : backoffMs(this.attempt);
      this.attempt += 1;
      this.retry = setTimeout(() => void this.connect(expired), delay);
    };
  }
}

function parse(data: unknown): LiveMessage | null {
  if (typeof data !== 'string') return null;
  try {
    return JSON.parse(data) as LiveMessage;
  } catch {
    return null;
  }
}
