import { Type, type Static } from '@sinclair/typebox';

/**
 * Messages the live WebSocket (`GET /api/live[?siteId=…]`) pushes to a dashboard, as JSON text frames. Each carries
 * the site it concerns; a socket only receives sites its user may read.
 *
 * Authentication, never in the URL (URLs end up in logs), one of:
 * - the first message `{"type":"auth","token":"<accessToken>"}` (within {@link LIVE_AUTH_TIMEOUT_MS});
 * - the subprotocols `[LIVE_PROTOCOL, LIVE_TOKEN_PROTOCOL_PREFIX + accessToken]` (the server answers LIVE_PROTOCOL);
 * - an `Authorization: Bearer` header (non-browser clients).
 * The server answers `hello` once authenticated. Before the token expires, send another `auth` message with a fresh
 * token of the same user: the server answers a new `hello` with the new `expiresAt`. Close codes are LIVE_CLOSE.
 */
export const LIVE_PROTOCOL = 'tally.live.v1';
export const LIVE_TOKEN_PROTOCOL_PREFIX = 'tally.bearer.';
export const LIVE_AUTH_TIMEOUT_MS = 10_000;

export const LIVE_CLOSE = {
  /** Token missing, invalid, expired, or of another user: refresh and reconnect. */
  unauthorized: 4001,
  /** The client read too slowly and its backlog passed the server's bound: reconnect and reload from the API. */
  tooSlow: 4008,
} as const;

/** What a client may send: its access token, first or again to extend the socket's lifetime. */
export const LiveAuth = Type.Object(
  { type: Type.Literal('auth'), token: Type.String({ minLength: 1, maxLength: 4096 }) },
  { additionalProperties: false },
);
export type LiveAuth = Static<typeof LiveAuth>;
export const LiveClientMessage = LiveAuth;
export type LiveClientMessage = Static<typeof LiveClientMessage>;
const SiteTagged = {
  siteId: Type.String(),
  ts: Type.Integer({ description: 'When it happened (ms since the epoch)' }),
};

export const LiveHello = Type.Object({
  type: Type.Literal('hello'),
  siteIds: Type.Union([Type.Array(Type.String()), Type.Literal('all')], {
    description: 'Sites this socket receives',
  }),
  expiresAt: Type.Integer({
    description:
      'When the socket closes (the access token expiry), ms; send a new `auth` message before then',
  }),
});

export const LiveCounts = Type.Object({
  type: Type.Literal('counts'),
  ...SiteTagged,
  items: Type.Array(
    Type.Object({
      deviceId: Type.String(),
      cameraId: Type.String(),
      ruleId: Type.String(),
      kind: Type.String(),
      direction: Type.String({ description: "'in', 'out' or '' for kinds without one" }),
      objectClass: Type.String(),
      count: Type.Integer({ description: 'New events stored (replays excluded)' }),
      lastTs: Type.Integer({ description: 'Timestamp of the latest of them' }),
    }),
  ),
});

export const LiveOccupancy = Type.Object({
  type: Type.Literal('occupancy'),
  ...SiteTagged,
  deviceId: Type.String(),
  cameraId: Type.String(),
  zoneId: Type.String(),
  counts: Type.Record(Type.String(), Type.Integer()),
});

export const LiveDeviceStatus = Type.Object({
  type: Type.Literal('device_status'),
  ...SiteTagged,
  deviceId: Type.String(),
  state: Type.Union([Type.Literal('online'), Type.Literal('offline')]),
});

export const LiveAlert = Type.Object({
  type: Type.Literal('alert'),
  ...SiteTagged,
  alertId: Type.String(),
  ruleId: Type.String(),
  state: Type.Union([Type.Literal('firing'), Type.Literal('resolved')]),
  message: Type.String(),
});

export const LiveMessage = Type.Union([LiveHello, LiveCounts, LiveOccupancy, LiveDeviceStatus, LiveAlert]);
export type LiveMessage = Static<typeof LiveMessage>;

export const LiveQuery = Type.Object(
  {
    siteId: Type.Optional(
      Type.Array(Type.String({ format: 'uuid' }), { maxItems: 100, description: 'Only these sites' }),
    ),
  },
  { additionalProperties: false },
);
export type LiveQuery = Static<typeof LiveQuery>;
