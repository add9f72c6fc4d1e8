import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../client';
import { ingestQuarantine } from '../schema/index';

export type QuarantineRow = typeof ingestQuarantine.$inferSelect;

/** The organisation's quarantined ingest items, newest first. */
export async function listQuarantine(
  db: Db,
  orgId: string,
  { limit, before }: { limit: number; before?: number },
): Promise<QuarantineRow[]> {
  const where = before
    ? and(eq(ingestQuarantine.orgId, orgId), lt(ingestQuarantine.id, before))
    : eq(ingestQuarantine.orgId, orgId);
  return db.select().from(ingestQuarantine).where(where).orderBy(desc(ingestQuarantine.id)).limit(limit);
}
