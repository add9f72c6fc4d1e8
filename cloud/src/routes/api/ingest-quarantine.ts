import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { QuarantineEntry } from '@tally/proto';
import { listQuarantine, type QuarantineRow } from '../../db/queries/ingest-quarantine';
import { requireOrgAction } from './access';
import { bearer, errors } from './schemas';

function toDto(r: QuarantineRow): QuarantineEntry {
  return {
    id: r.id,
    siteId: r.siteId,
    deviceId: r.deviceId,
    channel: r.channel,
    seq: r.seq,
    reason: r.reason,
    payload: r.payload,
    createdAt: r.createdAt.toISOString(),
  };
}

/**
 * `GET /api/ingest/quarantine`: what ingest refused even alone (poisoned events and messages), for owners and
 * admins — the same people who read the audit log, hence the same permission.
 */
export const ingestQuarantineRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.deps.database.db;
  app.get(
    '/ingest/quarantine',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['devices'],
        security: bearer,
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
            before: Type.Optional(Type.Integer({ minimum: 1, description: 'Entries older than this id' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(QuarantineEntry), ...errors },
      },
    },
    async (request) => {
      requireOrgAction(request.auth, 'audit.read');
      const { limit, before } = request.query;
      const rows = await listQuarantine(db, request.auth.orgId, {
        limit: limit ?? 100,
        ...(before !== undefined ? { before } : {}),
      });
      return rows.map(toDto);
    },
  );
};
