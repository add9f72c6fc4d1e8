import websocket from '@fastify/websocket';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LiveQuery, type LiveMessage } from '@tally/proto';
import { coversSite, type AuthContext } from '../../auth/permissions';
import { CloudBus, type BusEventName, type BusEvents } from '../../live/bus';
import { mayReceive, toLive } from '../../live/live-filter';

/** Close codes: 4001 token expired or invalid (reconnect with a fresh one). */
const CLOSE_UNAUTHORIZED = 4001;

/**
 * `GET /api/live` (WebSocket): pushes new counts, occupancy, device status and alerts as they are stored, only for
 * sites the user may read. Authenticated with the access token in `?token=` (or an Authorization header); the
 * socket closes when that token expires, so a revoked or demoted user stops receiving within its lifetime.
 */
export const liveRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(websocket);
  const bus = new CloudBus(app.deps.bus);

  app.get(
    '/live',
    { websocket: true, schema: { tags: ['live'], querystring: LiveQuery } },
    async (socket, request) => {
      const header = request.headers.authorization;
      const token =
        request.query.token ?? (header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined);
      let auth: AuthContext;
      try {
        if (!token) throw new Error('no token');
        auth = await app.authenticateToken(token);
      } catch {
        socket.close(CLOSE_UNAUTHORIZED, 'access token missing, invalid or expired');
        return;
      }
      const expiresAt =
        (app.jwt.decode<{ exp?: number }>(token)?.exp ?? 0) * 1000 || Date.now() + 15 * 60_000;
      const only = request.query.siteId ? new Set(request.query.siteId) : null;
      const send = (message: LiveMessage) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
      };
      const listen = <K extends BusEventName>(name: K, convert: (e: BusEvents[K]) => LiveMessage) =>
        bus.on(name, (e) => {
          if (mayReceive(auth, only, e.orgId, e.siteId)) send(convert(e));
        });
      const offs = [
        listen('counts', toLive.counts),
        listen('occupancy', toLive.occupancy),
        listen('deviceStatus', toLive.deviceStatus),
        listen('alert', toLive.alert),
      ];
      const expiry = setTimeout(
        () => socket.close(CLOSE_UNAUTHORIZED, 'access token expired'),
        Math.max(0, expiresAt - Date.now()),
      );
      socket.on('close', () => {
        clearTimeout(expiry);
        offs.forEach((off) => off());
      });
      send({
        type: 'hello',
        siteIds: only ? [...only].filter((s) => coversSite(auth, s)) : auth.siteIds,
        expiresAt,
      });
    },
  );
};
