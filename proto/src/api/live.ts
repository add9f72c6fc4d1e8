import { Type, type Static } from '@sinclair/typebox';

/**
 * Messages the live WebSocket (`GET /api/live?token=<accessToken>[&siteId=…]`) pushes to a dashboard, as JSON
 * text frames. Each carries the site it concerns; a socket only receives sites its user may read. The socket is
 * closed with code 4001 when the access token expires: reconnect with a fresh one.
 */
const SiteTagged = {
  siteId: Type.String(),
  ts: Type.Integer({ description: 'When it happened (ms since the epoch)' }),
};

export const LiveHello = Type.Object({
  type: Type.Literal('hello'),
  siteIds: Type.Union([Type.Array(Type.String()), Type.Literal('all')], {
    description: 'Sites this socket receives',
  }),
  expiresAt: Type.Integer({ description: 'When the socket closes (the access token expiry), ms' }),
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
    token: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 4096,
        description: 'Access token (browsers cannot set headers on a WebSocket)',
      }),
    ),
    siteId: Type.Optional(
      Type.Array(Type.String({ format: 'uuid' }), { maxItems: 100, description: 'Only these sites' }),
    ),
  },
  { additionalProperties: false },
);
export type LiveQuery = Static<typeof LiveQuery>;
