import { sql } from 'drizzle-orm';
import type { Database, Db } from '../db/client';

/**
 * Rebuilds a site's `rollup_day` (counts per SITE-LOCAL date) from its `rollup_minute`, in the site's current
 * timezone. Call it after a site's timezone changes: day rows were computed in the old zone. One transaction, so
 * analytics never sees the site without day rows. Minute rows are exact for this because every zone's offset is a
 * whole number of minutes, so a minute never straddles a local midnight.
 */
export async function rebuildDayRollups(database: Pick<Database, 'db'>, siteId: string): Promise<number> {
  return database.db.transaction((tx) => rebuildDayRollupsIn(tx, siteId));
}

/**
 * The rebuild inside the caller's transaction: a time-zone change and its rebuild commit together, so no reader
 * ever sees day rows computed in a zone the site no longer has (or a new zone with the old rows).
 */
export async function rebuildDayRollupsIn(tx: Db, siteId: string): Promise<number> {
  {
    await tx.execute(sql`DELETE FROM rollup_day WHERE site_id = ${siteId}`);
    const result = await tx.execute(sql`
      INSERT INTO rollup_day (site_id, day, device_id, camera_id, rule_id, kind, direction, object_class, count)
      SELECT m.site_id, (m.bucket AT TIME ZONE s.timezone)::date, device_id, camera_id, rule_id, kind, direction,
             object_class, sum(count)
        FROM rollup_minute m JOIN sites s ON s.id = m.site_id
       WHERE m.site_id = ${siteId}
       GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
      RETURNING day`);
    const rows = (result as { rows?: unknown[] }).rows ?? (result as unknown as unknown[]);
    return rows.length;
  }
}
