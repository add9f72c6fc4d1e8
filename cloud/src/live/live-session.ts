import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { decode, LIVE_AUTH_TIMEOUT_MS, LIVE_CLOSE, LiveClientMessage, type LiveMessage } from '@tally/proto';
import { coversSite, type AuthContext } from '../auth/permissions';
import type { CloudBus, BusEventName, BusEvents } from './bus';
import { mayReceive, toLive } from './live-filter';

/** Turns an access token into its caller and expiry (ms), or throws. */
export type VerifyToken = (token: string) => Promise<{ auth: AuthContext; expiresAt: number }>;

export interface LiveSessionOptions {
  socket: WebSocket;
  bus: CloudBus;
  verify: VerifyToken;
  /** Only these sites (the `siteId` query), or null for every site the user may read. */
  only: ReadonlySet<string> | null;
  /** Past this many unsent bytes the client is too slow: the socket is closed instead of buffering more. */
  maxBufferedBytes: number;
  log?: FastifyBaseLogger;
}

/** How long a too-slow client has to take the close frame before the connection is cut. */
const TERMINATE_AFTER_MS = 5_000;

/**
 * One live socket: waits for its access token (handshake or first `auth` message), then forwards bus events of the
 * sites its user may read until the token expires; a new `auth` message of the same user extends it. A client that
 * reads slower than events arrive is closed with LIVE_CLOSE.tooSlow once its backlog passes the bound, so the
 * server's memory per socket stays bounded (it reconnects and reloads from the API).
 */
export class LiveSession {
  private auth: AuthContext | null = null;
  private expiry: NodeJS.Timeout;
  private offs: (() => void)[] = [];
  private closed = false;

  constructor(private readonly o: LiveSessionOptions) {
    this.expiry = setTimeout(
      () => this.close(LIVE_CLOSE.unauthorized, 'no access token'),
      LIVE_AUTH_TIMEOUT_MS,
    );
    o.socket.on('message', (data, isBinary) => void this.onMessage(isBinary ? '' : data.toString()));
    o.socket.on('close', () => this.stop());
  }

  /** Authenticates with a token (from the handshake or an `auth` message), starting or extending the session. */
  async authenticate(token: string): Promise<void> {
    let verified: Awaited<ReturnType<VerifyToken>>;
    try {
      verified = await this.o.verify(token);
    } catch {
      return this.close(LIVE_CLOSE.unauthorized, 'access token invalid or expired');
    }
    if (this.closed) return;
    // Extending must not turn one user's socket into another's.
    if (this.auth && this.auth.userId !== verified.auth.userId) {
      return this.close(LIVE_CLOSE.unauthorized, 'token of another user');
    }
    const first = this.auth === null;
    this.auth = verified.auth;
    clearTimeout(this.expiry);
    this.expiry = setTimeout(
      () => this.close(LIVE_CLOSE.unauthorized, 'access token expired'),
      Math.max(0, verified.expiresAt - Date.now()),
    );
    if (first) this.listen();
    const { only } = this.o;
    this.send({
      type: 'hello',
      siteIds: only ? [...only].filter((s) => coversSite(verified.auth, s)) : verified.auth.siteIds,
      expiresAt: verified.expiresAt,
    });
  }

  private async onMessage(text: string): Promise<void> {
    const message = decode(LiveClientMessage, text, { what: 'live message', versioned: false });
    if (!message.ok) return this.close(LIVE_CLOSE.unauthorized, 'expected {"type":"auth","token":…}');
    await this.authenticate(message.value.token);
  }

  private listen(): void {
    const on = <K extends BusEventName>(name: K, convert: (e: BusEvents[K]) => LiveMessage) =>
      this.o.bus.on(name, (e) => {
        if (this.auth && mayReceive(this.auth, this.o.only, e.orgId, e.siteId)) this.send(convert(e));
      });
    this.offs = [
      on('counts', toLive.counts),
      on('occupancy', toLive.occupancy),
      on('deviceStatus', toLive.deviceStatus),
      on('alert', toLive.alert),
    ];
  }

  private send(message: LiveMessage): void {
    const { socket } = this.o;
    if (this.closed || socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > this.o.maxBufferedBytes) {
      this.o.log?.warn(
        { userId: this.auth?.userId, bufferedBytes: socket.bufferedAmount },
        'live socket closed: client reads too slowly',
      );
      this.close(LIVE_CLOSE.tooSlow, 'client too slow: reconnect and reload');
      // A client that does not read will not take the close frame either.
      setTimeout(() => socket.terminate(), TERMINATE_AFTER_MS).unref();
      return;
    }
    socket.send(JSON.stringify(message));
  }

  private close(code: number, reason: string): void {
    this.stop();
    this.o.socket.close(code, reason);
  }

  /** Stops listening at once (no more buffering), whether or not the close handshake completes. */
  private stop(): void {
    this.closed = true;
    clearTimeout(this.expiry);
    this.offs.forEach((off) => off());
    this.offs = [];
  }
}
