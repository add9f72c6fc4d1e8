import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AuditEntry } from '@tally/proto';
import { listAudit, type AuditRow } from '../../db/queries/audit';
import { requireOrgAction } from './access';
import { bearer, errors } from './schemas';

function toAuditDto(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    action: r.action,
    actorUserId: r.actorUserId,
    actorDeviceId: r.actorDeviceId,
    targetType: r.targetType,
    targetId: r.targetId,
    details: r.details,
    ip: r.ip,
    createdAt: r.createdAt.toISOString(),
  };
}

/** `GET /api/audit`: the organisation's audit log, newest first, for owners and admins. */
export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.deps.database.db;
  app.get(
    '/audit',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['audit'],
        security: bearer,
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
            before: Type.Optional(Type.Integer({ minimum: 1, description: 'Entries older than this id' })),
            action: Type.Optional(Type.String({ maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(AuditEntry), ...errors },
      },
    },
    async (request) => {
      requireOrgAction(request.auth, 'audit.read');
      const { limit, before, action } = request.query;
      const rows = await listAudit(db, request.auth.orgId, {
        limit: limit ?? 100,
        ...(before !== undefined ? { before } : {}),
        ...(action ? { action } : {}),
      });
      return rows.map(toAuditDto);
    },
  );
};
