import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AuditEntry, AuditFilter, AuditListQuery } from '@tally/proto';
import { AUDIT_CSV_HEADER, auditCsvLine } from '../../audit/audit-csv';
import type { Db } from '../../db/client';
import { listAudit, type AuditFilter as AuditFilterRow, type AuditRow } from '../../db/queries/audit';
import { listUsers } from '../../db/queries/users';
import { AppError } from '../../errors';
import { audit } from '../../plugins/app/audit';
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

/** The query's filters as the database query takes them; `to` must be after `from`. */
function toFilter(q: AuditFilter): AuditFilterRow {
  const from = q.from === undefined ? undefined : new Date(q.from);
  const to = q.to === undefined ? undefined : new Date(q.to);
  if (from && to && !(to > from))
    throw new AppError('TALLY_BAD_REQUEST', '`to` must be after `from`: swap them or widen the range');
  return {
    ...(q.action ? { action: q.action } : {}),
    ...(q.actorUserId ? { actorUserId: q.actorUserId } : {}),
    ...(q.targetType ? { targetType: q.targetType } : {}),
    ...(q.targetId ? { targetId: q.targetId } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
}

const EXPORT_PAGE = 1000;

/** Every matching entry as CSV lines, read page by page (keyset) so a long log never sits in memory at once. */
async function* csvLines(db: Db, orgId: string, filter: AuditFilterRow): AsyncGenerator<string> {
  const emails = new Map((await listUsers(db, orgId)).map((u) => [u.id, u.email]));
  yield AUDIT_CSV_HEADER;
  let before: number | undefined;
  for (;;) {
    const rows = await listAudit(db, orgId, {
      ...filter,
      limit: EXPORT_PAGE,
      ...(before !== undefined ? { before } : {}),
    });
    let chunk = '';
    for (const r of rows) {
      const actorEmail = r.actorUserId ? (emails.get(r.actorUserId) ?? null) : null;
      chunk += auditCsvLine({ ...r, actorEmail });
    }
    if (chunk) yield chunk;
    if (rows.length < EXPORT_PAGE) return;
    before = rows[rows.length - 1]!.id;
  }
}

/**
 * `GET /api/audit`: the organisation's audit log, newest first, filtered and paged by id; `GET /api/audit/export`:
 * the same filters as a CSV file (every page). Owners and admins only.
 */
export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.deps.database.db;
  app.get(
    '/audit',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['audit'],
        security: bearer,
        querystring: AuditListQuery,
        response: {
          200: {
            description:
              'Entries, newest first. When more match, the x-next-before header holds the `before` of the next page.',
            headers: Type.Object({ 'x-next-before': Type.Optional(Type.String()) }),
            ...Type.Array(AuditEntry),
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      requireOrgAction(request.auth, 'audit.read');
      const { limit = 100, before, ...filters } = request.query;
      // One more than asked: whether another page exists, without a count over the whole log.
      const rows = await listAudit(db, request.auth.orgId, {
        ...toFilter(filters),
        limit: limit + 1,
        ...(before !== undefined ? { before } : {}),
      });
      const page = rows.slice(0, limit);
      if (rows.length > limit) void reply.header('x-next-before', String(page[page.length - 1]!.id));
      return page.map(toAuditDto);
    },
  );

  app.get(
    '/audit/export',
    {
      onRequest: app.authenticate,
      schema: {
        summary: 'Export the audit log as CSV',
        description:
          'Every entry matching the filters, newest first, as RFC 4180 CSV (text cells that a spreadsheet would ' +
          "run as a formula start with '). The export itself is audited.",
        tags: ['audit'],
        security: bearer,
        querystring: AuditFilter,
        produces: ['text/csv'],
        response: {
          200: { description: 'CSV file', content: { 'text/csv': { schema: Type.String() } } },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      requireOrgAction(request.auth, 'audit.read');
      const filter = toFilter(request.query);
      await audit(request, {
        action: 'audit.export',
        targetType: 'audit',
        details: { ...request.query },
      });
      const day = new Date().toISOString().slice(0, 10);
      reply.header('content-disposition', `attachment; filename="tally-audit-${day}.csv"`);
      // A stream, which the typed reply (declared as the CSV string it becomes) does not know.
      const body = Readable.from(csvLines(db, request.auth.orgId, filter)) as unknown as string;
      return reply.type('text/csv; charset=utf-8').send(body);
    },
  );
};
