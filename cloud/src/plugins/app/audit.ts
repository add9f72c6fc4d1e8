import type { FastifyRequest } from 'fastify';
import { recordAudit, type AuditRecord } from '../../db/queries/audit';

/** Records an action by the signed-in caller of `request`, with its IP. */
export function audit(
  request: FastifyRequest,
  entry: Omit<AuditRecord, 'actorUserId' | 'ip'>,
  orgId: string = request.auth.orgId,
  actorUserId: string | null = request.auth?.userId ?? null,
): Promise<void> {
  return recordAudit(request.server.deps.database.db, orgId, { ...entry, actorUserId, ip: request.ip });
}
