import websocket from '@fastify/websocket';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LiveQuery } from '@tally/proto';
import { CloudBus } from '../../live/bus';
import { chooseProtocol, handshakeToken } from '../../live/handshake-token';
import { LiveSession, type VerifyToken } from '../../live/live-session';

/**
 * `GET /api/live` (WebSocket): pushes new counts, occupancy, device status and alerts as they are stored, only for
 * sites the user may read. The access token comes in the handshake (Authorization header or `tally.bearer.<token>`
 * subprotocol) or as the first message, never in the URL (see proto's api/live.ts); the socket closes when that
 * token expires unless the client sends a fresh one, so a revoked or demoted user stops receiving within its
 * lifetime. The old `?token=` query is refused (400): URLs are logged.
 */
export const liveRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(websocket, {
    options: { handleProtocols: (offered) => chooseProtocol(offered) },
  });
  const bus = new CloudBus(app.deps.bus);
  const verify: VerifyToken = async (token) => {
    const auth = await app.authenticateToken(token);
    const exp = app.jwt.decode<{ exp?: number }>(token)?.exp;
    return { auth, expiresAt: exp ? exp * 1000 : Date.now() + app.deps.config.accessTokenTtlS * 1000 };
  };

  app.get(
    '/live',
    { websocket: true, schema: { tags: ['live'], querystring: LiveQuery } },
    (socket, request) => {
      // Listeners are attached before any await, so a first `auth` message cannot be missed.
      const session = new LiveSession({
        socket,
        bus,
        verify,
        only: request.query.siteId ? new Set(request.query.siteId) : null,
        maxBufferedBytes: app.deps.config.liveMaxBufferedBytes,
        log: request.log,
      });
      const token = handshakeToken(request.headers);
      if (token) void session.authenticate(token);
    },
  );
};
