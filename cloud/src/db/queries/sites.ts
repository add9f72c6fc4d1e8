import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { sites } from '../schema/index';

export type SiteRow = typeof sites.$inferSelect;

/** Every site of the organisation, or only `siteIds` when given (a scoped caller). */
export async function listSites(db: Db, orgId: string, siteIds?: string[]): Promise<SiteRow[]> {
  if (siteIds && siteIds.length === 0) return [];
  const where = siteIds ? and(eq(sites.orgId, orgId), inArray(sites.id, siteIds)) : eq(sites.orgId, orgId);
  return db.select().from(sites).where(where).orderBy(asc(sites.name));
}

export async function getSite(db: Db, orgId: string, siteId: string): Promise<SiteRow | undefined> {
  const [row] = await db
    .select()
    .from(sites)
    .where(and(eq(sites.orgId, orgId), eq(sites.id, siteId)));
  return row;
}

/** Site timezone lookup by id alone, for ingest and analytics code that already holds an org-checked id. */
export async function getSiteTimezone(db: Db, orgId: string, siteId: string): Promise<string | undefined> {
  return (await getSite(db, orgId, siteId))?.timezone;
}

export async function createSite(
  db: Db,
  orgId: string,
  site: { name: string; timezone: string },
): Promise<SiteRow> {
  const [row] = await db
    .insert(sites)
    .values({ orgId, ...site })
    .returning();
  return row!;
}

export async function updateSite(
  db: Db,
  orgId: string,
  siteId: string,
  patch: { name?: string; timezone?: string },
): Promise<SiteRow | undefined> {
  const [row] = await db
    .update(sites)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(sites.orgId, orgId), eq(sites.id, siteId)))
    .returning();
  return row;
}

export async function deleteSite(db: Db, orgId: string, siteId: string): Promise<boolean> {
  const rows = await db
    .delete(sites)
    .where(and(eq(sites.orgId, orgId), eq(sites.id, siteId)))
    .returning({ id: sites.id });
  return rows.length > 0;
}

/** Which of `siteIds` belong to the organisation (to validate a user's site scope). */
export async function existingSiteIds(db: Db, orgId: string, siteIds: string[]): Promise<string[]> {
  if (siteIds.length === 0) return [];
  const rows = await db
    .select({ id: sites.id })
    .from(sites)
    .where(and(eq(sites.orgId, orgId), inArray(sites.id, siteIds)));
  return rows.map((r) => r.id);
}

/**
 * Whether PostgreSQL itself knows the zone: rollups compute `AT TIME ZONE` in the database, so a zone Node accepts
 * but the database does not (`US/Pacific-New`) would make every ingest statement with its events fail.
 */
export async function isDatabaseTimezone(db: Db, timezone: string): Promise<boolean> {
  const result = await db.execute(sql`SELECT 1 FROM pg_timezone_names WHERE name = ${timezone}`);
  const rows = (result as { rows?: unknown[] }).rows ?? (result as unknown as unknown[]);
  return rows.length > 0;
}
