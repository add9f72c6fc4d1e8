import type { HaSiteState } from '@tally/proto';
import { localDate } from '../../analytics/site-time';
import type { Database } from '../client';
import { occupancyReport } from './analytics';

type Query = Pick<Database, 'query'>;

/**
 * What the Home Assistant integration publishes for each site of an organisation (or of every organisation when
 * `orgId` is null: a self-hosted installation's operator opted in for all of it): today's crossings per line in
 * the site's time zone, each zone's occupancy now, and each device's connection.
 */
export async function haSiteStates(db: Query, orgId: string | null, now: number): Promise<HaSiteState[]> {
  const sites = await db.query<{ id: string; org_id: string; name: string; timezone: string }>(
    `SELECT id, org_id, name, timezone FROM sites WHERE ($1::uuid IS NULL OR org_id = $1::uuid) ORDER BY name, id`,
    [orgId],
  );
  const out: HaSiteState[] = [];
  for (const site of sites) out.push(await siteState(db, site, now));
  return out;
}

async function siteState(
  db: Query,
  site: { id: string; org_id: string; name: string; timezone: string },
  now: number,
): Promise<HaSiteState> {
  const rules = await db.query<{
    id: string;
    kind: 'line' | 'zone';
    name: string;
    rule_key: string;
    camera_key: string;
    n_in: string;
    n_out: string;
  }>(
    `SELECT r.id, r.kind, r.name, r.rule_key, c.camera_key,
            coalesce(sum(d.count) FILTER (WHERE d.kind = 'line_cross' AND d.direction = 'in'), 0) AS n_in,
            coalesce(sum(d.count) FILTER (WHERE d.kind = 'line_cross' AND d.direction = 'out'), 0) AS n_out
       FROM rules r
       JOIN cameras c ON c.id = r.camera_id
       LEFT JOIN rollup_day d
         ON d.site_id = r.site_id AND d.camera_id = c.camera_key AND d.rule_id = r.rule_key AND d.day = $3::date
      WHERE r.org_id = $1 AND r.site_id = $2
      GROUP BY r.id, r.kind, r.name, r.rule_key, c.camera_key
      ORDER BY c.camera_key, r.rule_key`,
    [site.org_id, site.id, localDate(now, site.timezone)],
  );
  const occupancy = await occupancyReport(db, { siteId: site.id, timezone: site.timezone }, now, now);
  const devices = await db.query<{ id: string; name: string; status: string | null }>(
    `SELECT id, name, status FROM devices WHERE org_id = $1 AND site_id = $2 AND revoked_at IS NULL ORDER BY id`,
    [site.org_id, site.id],
  );
  const state: HaSiteState = {
    siteId: site.id,
    name: site.name,
    updatedAt: now,
    lines: {},
    zones: {},
    devices: {},
  };
  for (const r of rules) {
    // Keyed by camera and rule, the ids the devices count under (a rule key is unique per camera only).
    const key = `${r.camera_key}.${r.rule_key}`;
    if (r.kind === 'line') state.lines[key] = { name: r.name, in: Number(r.n_in), out: Number(r.n_out) };
    else {
      const now = occupancy.zones
        .filter((z) => z.cameraId === r.camera_key && z.zoneId === r.rule_key)
        .reduce((n, z) => n + z.now, 0);
      state.zones[key] = { name: r.name, occupancy: now };
    }
  }
  for (const d of devices) state.devices[d.id] = { name: d.name, online: d.status === 'online' };
  return state;
}
