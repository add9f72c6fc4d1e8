import type { Database } from '../db/client';

type Query = Pick<Database, 'query'>;

/**
 * The `camera/rule` pairs named by any config ever issued to the device (lines and zones; a dwell rule is a zone),
 * or null when none was issued (a device configured locally: nothing to check against). Every version counts, not
 * only the latest: a backlog counted under an older config, or a config change still in flight, is legitimate.
 */
export async function knownRules(db: Query, deviceId: string): Promise<Set<string> | null> {
  const rows = await db.query<{ issued: boolean; pair: string | null }>(
    `SELECT true AS issued, (c->>'id') || '/' || (r->>'id') AS pair
       FROM config_versions v
       LEFT JOIN LATERAL jsonb_array_elements(v.config->'cameras') c ON true
       LEFT JOIN LATERAL jsonb_array_elements(coalesce(c->'lines', '[]') || coalesce(c->'zones', '[]')) r ON true
      WHERE v.device_id = $1`,
    [deviceId],
  );
  if (rows.length === 0) return null;
  return new Set(rows.flatMap((r) => (r.pair ? [r.pair] : [])));
}
