import { and, desc, eq, gte, lt } from 'drizzle-orm';
import type { Db } from '../client';
import { auditLog } from '../schema/index';

export type AuditRow = typeof auditLog.$inferSelect;

export interface AuditRecord {
  action: string;
  actorUserId?: string | null;
  actorDeviceId?: string | null;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
  ip?: string;
}

/** Appends one entry. Callers await it: an action whose audit entry cannot be written is reported as failed. */
export async function recordAudit(db: Db, orgId: string, entry: AuditRecord): Promise<void> {
  await db.insert(auditLog).values({
    orgId,
    action: entry.action,
    actorUserId: entry.actorUserId ?? null,
    actorDeviceId: entry.actorDeviceId ?? null,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    details: entry.details ?? null,
    ip: entry.ip ?? null,
  });
}

/** Filters of the audit log, all optional and combined with AND; times are [from, to). */
export interface AuditFilter {
  action?: string;
  actorUserId?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
}

export interface AuditQuery extends AuditFilter {
  limit: number;
  /** Entries older than this id (keyset paging: stable while new entries arrive). */
  before?: number;
}

export async function listAudit(db: Db, orgId: string, q: AuditQuery): Promise<AuditRow[]> {
  const where = [eq(auditLog.orgId, orgId)];
  if (q.before !== undefined) where.push(lt(auditLog.id, q.before));
  if (q.action) where.push(eq(auditLog.action, q.action));
  if (q.actorUserId) where.push(eq(auditLog.actorUserId, q.actorUserId));
  if (q.targetType) where.push(eq(auditLog.targetType, q.targetType));
  if (q.targetId) where.push(eq(auditLog.targetId, q.targetId));
  if (q.from) where.push(gte(auditLog.createdAt, q.from));
  if (q.to) where.push(lt(auditLog.createdAt, q.to));
  return db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(q.limit);
}
