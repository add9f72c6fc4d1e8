import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/client';
import { recordAudit, type AuditRecord } from '../../db/queries/audit';

/**
 * Records an action by the signed-in caller of `request`, with its IP. Pass the transaction of the write it
 * describes (`inTransaction`), so the change and its audit row commit together or not at all.
 */
export function audit(
  request: FastifyRequest,
  entry: Omit<AuditRecord, 'actorUserId' | 'ip'>,
  db: Db = request.server.deps.database.db,
): Promise<void> {
  return recordAudit(db, request.auth.orgId, {
    ...entry,
    actorUserId: request.auth?.userId ?? null,
    ip: request.ip,
  });
}

/** Runs `work` (a write and its `audit`) in one database transaction. */
export function inTransaction<T>(request: FastifyRequest, work: (tx: Db) => Promise<T>): Promise<T> {
  return request.server.deps.database.db.transaction((tx) => work(tx as unknown as Db));
}
