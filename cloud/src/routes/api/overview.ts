import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Overview, type SiteOverview } from '@tally/proto';
import { visibleSiteIds } from '../../auth/permissions';
import { bucketStart } from '../../analytics/bucket-starts';
import { formatLocal, localDate, startOfLocalDay } from '../../analytics/site-time';
import type { Database } from '../../db/client';
import { countsReport, occupancyReport, type SiteRef } from '../../db/queries/analytics';
import { latestHeartbeats } from '../../db/queries/device-health';
import { listDevices } from '../../db/queries/devices';
import { listSites } from '../../db/queries/sites';
import { deviceLiveness } from '../../devices/liveness';
import { bearer, errors } from './schemas';

const HOUR = 3_600_000;

/** `GET /api/overview`: what the overview page shows for every site the user may read, in one call. */
export const overviewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database } = app.deps;
  app.get(
    '/overview',
    {
      onRequest: app.authenticate,
      schema: { tags: ['analytics'], security: bearer, response: { 200: Overview, ...errors } },
    },
    async (request) => {
      const { auth } = request;
      const now = Date.now();
      const sites = await listSites(database.db, auth.orgId, visibleSiteIds(auth));
      const out: SiteOverview[] = [];
      for (const s of sites) out.push(await siteOverview(database, auth.orgId, s, now));
      return { generatedAt: new Date(now).toISOString(), sites: out };
    },
  );
};

async function siteOverview(
  database: Database,
  orgId: string,
  s: { id: string; name: string; timezone: string },
  now: number,
): Promise<SiteOverview> {
  const site: SiteRef = { siteId: s.id, timezone: s.timezone };
  const midnight = startOfLocalDay(localDate(now, s.timezone), s.timezone);
  const iso = (ms: number) => new Date(ms).toISOString();
  const today = await countsReport(database, site, {
    from: iso(midnight),
    to: iso(now + 1),
    bucket: 'day',
    kind: 'line_cross',
  });
  const sparkFrom = bucketStart(now, 'hour', s.timezone) - 23 * HOUR;
  const spark = await countsReport(database, site, {
    from: iso(sparkFrom),
    to: iso(now + 1),
    bucket: 'hour',
    kind: 'line_cross',
  });
  const occupancy = await occupancyReport(database, site, midnight, now + 1, { now });
  const devices = await listDevices(database.db, orgId, [s.id]);
  const active = devices.filter((d) => d.revokedAt === null);
  const heartbeats = await latestHeartbeats(
    database,
    orgId,
    active.map((d) => d.id),
  );
  const offline: SiteOverview['devices']['offline'] = [];
  const camerasDown: SiteOverview['devices']['camerasDown'] = [];
  for (const d of active) {
    const live = deviceLiveness(
      {
        status: d.status,
        statusAt: d.statusAt?.getTime() ?? null,
        lastSeenAt: d.lastSeenAt?.getTime() ?? null,
      },
      now,
    );
    if (live.state === 'offline') {
      offline.push({
        deviceId: d.id,
        name: d.name,
        since: live.since ? iso(live.since) : null,
        reason: live.reason,
      });
      continue;
    }
    for (const c of heartbeats.get(d.id)?.heartbeat.cameras ?? []) {
      if (c.state === 'stalled' || c.state === 'failed')
        camerasDown.push({ deviceId: d.id, cameraId: c.cameraId, state: c.state });
    }
  }
  const [alerts] = await database.query<{ n: string }>(
    `SELECT count(*) AS n FROM alert_events WHERE org_id = $1 AND site_id = $2 AND state = 'firing'`,
    [orgId, s.id],
  );
  return {
    siteId: s.id,
    name: s.name,
    timezone: s.timezone,
    today: { from: formatLocal(midnight, s.timezone), crossings: today.byKind.line_cross },
    occupancy: { now: occupancy.now, staleZones: occupancy.zones.filter((z) => z.stale).length },
    spark: (spark.series[0]?.points ?? []).map((p) => ({ startMs: p.startMs, total: p.total })),
    devices: { total: active.length, online: active.length - offline.length, offline, camerasDown },
    openAlerts: Number(alerts?.n ?? 0),
  };
}
