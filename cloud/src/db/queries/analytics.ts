import type {
  CountsQuery,
  CountsReport,
  DwellReport,
  KindTotals,
  OccupancyReport,
  PeriodComparison,
  ZoneOccupancy,
} from '@tally/proto';
import { bucketStarts } from '../../analytics/bucket-starts';
import { buildCountsQuery, type CountsParams } from '../../analytics/counts-query';
import {
  fillBuckets,
  KINDS,
  toSeries,
  totalsByKind,
  totalsChange,
  totalsOf,
  ZERO,
  type CountsRow,
} from '../../analytics/counts-report';
import { previousPeriod, shiftedPeriod } from '../../analytics/previous-period';
import { formatLocal } from '../../analytics/site-time';
import type { Database } from '../client';

type Query = Pick<Database, 'query'>;

export interface SiteRef {
  siteId: string;
  timezone: string;
}

/**
 * Counts per bucket, kind and group in the site's timezone: every bucket of the range present (zeros included),
 * totals per kind (never one number across kinds) and, when asked, the previous period, last week and last year.
 */
export async function countsReport(
  db: Query,
  site: SiteRef,
  q: CountsQuery,
  options: { table?: CountsParams['table'] } = {},
): Promise<CountsReport> {
  const fromMs = Date.parse(q.from);
  const toMs = Date.parse(q.to);
  const bucket = q.bucket ?? 'hour';
  const groupBy = q.groupBy ?? 'none';
  const params: CountsParams = {
    ...site,
    fromMs,
    toMs,
    bucket,
    groupBy,
    ...(q.deviceId ? { deviceId: q.deviceId } : {}),
    ...(q.cameraId ? { cameraId: q.cameraId } : {}),
    ...(q.ruleId ? { ruleId: q.ruleId } : {}),
    ...(q.objectClass ? { objectClass: q.objectClass } : {}),
    ...(q.kind ? { kind: q.kind } : {}),
    ...(options.table ? { table: options.table } : {}),
  };
  const built = buildCountsQuery(params);
  let series = toSeries(await db.query<CountsRow>(built.sql, built.values), groupBy, site.timezone);
  if (q.kind && (groupBy === 'none' || groupBy === 'kind') && series.length === 0) {
    series = [{ key: { kind: q.kind }, points: [], totals: ZERO }];
  }
  series = fillBuckets(series, bucketStarts(fromMs, toMs, bucket, site.timezone), site.timezone);
  const byKind = totalsByKind(series.map((s) => ({ kind: s.key.kind, totals: s.totals })));
  const report: CountsReport = {
    siteId: site.siteId,
    timezone: site.timezone,
    from: formatLocal(fromMs, site.timezone),
    to: formatLocal(toMs, site.timezone),
    bucket,
    groupBy,
    series,
    byKind,
  };
  if (q.compare) {
    const compare = (period: { fromMs: number; toMs: number }) =>
      comparison(db, { ...params, ...period, totalsOnly: true }, byKind);
    report.previous = await compare(previousPeriod(fromMs, toMs, site.timezone));
    report.lastWeek = await compare(shiftedPeriod(fromMs, toMs, site.timezone, { days: 7 }));
    report.lastYear = await compare(shiftedPeriod(fromMs, toMs, site.timezone, { years: 1 }));
  }
  return report;
}

/** An earlier period's totals per kind, and the change from them to `current`. */
async function comparison(db: Query, params: CountsParams, current: KindTotals): Promise<PeriodComparison> {
  const built = buildCountsQuery(params);
  const rows = await db.query<CountsRow>(built.sql, built.values);
  const byKind = totalsByKind(rows.map((r) => ({ kind: r.kind ?? '', totals: totalsOf(r) })));
  const change = Object.fromEntries(
    KINDS.map((k) => [k, totalsChange(current[k], byKind[k])]),
  ) as PeriodComparison['change'];
  return {
    from: formatLocal(params.fromMs, params.timezone),
    to: formatLocal(params.toMs, params.timezone),
    byKind,
    change,
  };
}

/** Occupancy per zone: the latest sample (now) and the highest in the range (peak), all classes summed. */
export async function occupancyReport(
  db: Query,
  site: SiteRef,
  fromMs: number,
  toMs: number,
): Promise<OccupancyReport> {
  const latest = await db.query<{
    device_id: string;
    camera_id: string;
    zone_id: string;
    ts_ms: number;
    by_class: Record<string, number>;
  }>(
    `WITH last AS (
       SELECT DISTINCT ON (device_id, camera_id, zone_id) device_id, camera_id, zone_id, ts
         FROM occupancy_samples WHERE site_id = $1 ORDER BY device_id, camera_id, zone_id, ts DESC)
     SELECT o.device_id, o.camera_id, o.zone_id, (extract(epoch FROM o.ts) * 1000)::float8 AS ts_ms,
            jsonb_object_agg(o.object_class, o.count) AS by_class
       FROM occupancy_samples o JOIN last l USING (device_id, camera_id, zone_id, ts)
      WHERE o.site_id = $1
      GROUP BY 1, 2, 3, 4`,
    [site.siteId],
  );
  const peaks = await db.query<{
    device_id: string;
    camera_id: string;
    zone_id: string;
    ts_ms: number;
    n: string;
  }>(
    `SELECT DISTINCT ON (device_id, camera_id, zone_id) device_id, camera_id, zone_id,
            (extract(epoch FROM ts) * 1000)::float8 AS ts_ms, n
       FROM (SELECT device_id, camera_id, zone_id, ts, sum(count) AS n FROM occupancy_samples
              WHERE site_id = $1 AND ts >= to_timestamp($2 / 1000.0) AND ts < to_timestamp($3 / 1000.0)
              GROUP BY 1, 2, 3, 4) s
      ORDER BY device_id, camera_id, zone_id, n DESC, ts`,
    [site.siteId, fromMs, toMs],
  );
  const zones = new Map<string, ZoneOccupancy>();
  const zone = (r: { device_id: string; camera_id: string; zone_id: string }) => {
    const id = `${r.device_id}/${r.camera_id}/${r.zone_id}`;
    let z = zones.get(id);
    if (!z) {
      z = {
        deviceId: r.device_id,
        cameraId: r.camera_id,
        zoneId: r.zone_id,
        now: 0,
        nowAt: null,
        byClass: {},
        peak: 0,
        peakAt: null,
      };
      zones.set(id, z);
    }
    return z;
  };
  for (const r of latest) {
    const z = zone(r);
    z.byClass = r.by_class;
    z.now = Object.values(r.by_class).reduce((a, b) => a + Number(b), 0);
    z.nowAt = formatLocal(Number(r.ts_ms), site.timezone);
  }
  for (const r of peaks) {
    const z = zone(r);
    z.peak = Number(r.n);
    z.peakAt = formatLocal(Number(r.ts_ms), site.timezone);
  }
  const list = [...zones.values()];
  return {
    siteId: site.siteId,
    timezone: site.timezone,
    from: formatLocal(fromMs, site.timezone),
    to: formatLocal(toMs, site.timezone),
    now: list.reduce((n, z) => n + z.now, 0),
    zones: list,
  };
}

/** Dwell time per zone from zone_exit events that carry it: visits, mean, median, p95 and max. */
export async function dwellReport(
  db: Query,
  site: SiteRef,
  fromMs: number,
  toMs: number,
): Promise<DwellReport> {
  const rows = await db.query<{
    device_id: string;
    camera_id: string;
    rule_id: string;
    visits: string;
    mean: number;
    p50: number;
    p95: number;
    max: number;
  }>(
    `SELECT device_id, camera_id, rule_id, count(*) AS visits, avg(dwell_ms)::float8 AS mean,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY dwell_ms) AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY dwell_ms) AS p95, max(dwell_ms)::float8 AS max
       FROM events
      WHERE site_id = $1 AND ts >= to_timestamp($2 / 1000.0) AND ts < to_timestamp($3 / 1000.0)
        AND kind = 'zone_exit' AND dwell_ms IS NOT NULL
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    [site.siteId, fromMs, toMs],
  );
  return {
    siteId: site.siteId,
    from: formatLocal(fromMs, site.timezone),
    to: formatLocal(toMs, site.timezone),
    zones: rows.map((r) => ({
      deviceId: r.device_id,
      cameraId: r.camera_id,
      zoneId: r.rule_id,
      visits: Number(r.visits),
      meanMs: Number(r.mean),
      p50Ms: Number(r.p50),
      p95Ms: Number(r.p95),
      maxMs: Number(r.max),
    })),
  };
}
