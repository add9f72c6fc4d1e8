import type {
  AnalyticsBucket,
  CountsQuery,
  CountsReport,
  DwellReport,
  KindTotals,
  OccupancyPoint,
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
import { fillOccupancy } from '../../analytics/occupancy-series';
import { occupancyFreshness } from '../../analytics/occupancy-freshness';
import { previousPeriod, shiftedPeriod } from '../../analytics/previous-period';
import { deviceLiveness, wentQuiet } from '../../devices/liveness';
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

/**
 * Occupancy per zone: the latest sample before `to` (now, with its age and whether it is stale), the highest in the range
 * (peak) and, with a bucket, the series (mean, max, last per bucket), all classes summed. Stale zones are left out
 * of the site's `now`.
 */
export async function occupancyReport(
  db: Query,
  site: SiteRef,
  fromMs: number,
  toMs: number,
  options: { bucket?: AnalyticsBucket; now?: number } = {},
): Promise<OccupancyReport> {
  const now = options.now ?? Date.now();
  const latest = await db.query<{
    device_id: string;
    camera_id: string;
    zone_id: string;
    ts_ms: number;
    by_class: Record<string, number>;
    status: string | null;
    status_at: number | null;
    seen: number | null;
  }>(
    `WITH last AS (
       SELECT DISTINCT ON (device_id, camera_id, zone_id) device_id, camera_id, zone_id, ts
         FROM occupancy_samples WHERE site_id = $1 AND ts < to_timestamp($2 / 1000.0)
        ORDER BY device_id, camera_id, zone_id, ts DESC)
     SELECT o.device_id, o.camera_id, o.zone_id, (extract(epoch FROM o.ts) * 1000)::float8 AS ts_ms,
            jsonb_object_agg(o.object_class, o.count) AS by_class, d.status,
            (extract(epoch FROM d.status_at) * 1000)::float8 AS status_at,
            (extract(epoch FROM d.last_seen_at) * 1000)::float8 AS seen
       FROM occupancy_samples o JOIN last l USING (device_id, camera_id, zone_id, ts)
       LEFT JOIN devices d ON d.id = o.device_id
      WHERE o.site_id = $1
      GROUP BY 1, 2, 3, 4, d.status, d.status_at, d.last_seen_at`,
    [site.siteId, toMs],
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
        stale: true,
        ageMs: null,
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
    if (toMs <= now) {
      // A range that ended in the past: its "now" is the last value before `to`; staleness is a live notion.
      Object.assign(z, { stale: false, ageMs: Math.max(0, Math.round(toMs - Number(r.ts_ms))) });
      continue;
    }
    const device = deviceLiveness(
      { status: r.status, statusAt: num(r.status_at), lastSeenAt: num(r.seen) },
      now,
    );
    Object.assign(z, occupancyFreshness(Number(r.ts_ms), !wentQuiet(device), now));
  }
  for (const r of peaks) {
    const z = zone(r);
    z.peak = Number(r.n);
    z.peakAt = formatLocal(Number(r.ts_ms), site.timezone);
  }
  if (options.bucket) {
    const series = await occupancySeries(db, site, fromMs, toMs, options.bucket);
    for (const z of zones.values()) z.series = series.get(`${z.deviceId}/${z.cameraId}/${z.zoneId}`) ?? [];
    for (const [id, points] of series) {
      if (zones.has(id)) continue;
      const [deviceId, cameraId, zoneId] = id.split('/') as [string, string, string];
      zone({ device_id: deviceId, camera_id: cameraId, zone_id: zoneId }).series = points;
    }
  }
  const list = [...zones.values()];
  return {
    siteId: site.siteId,
    timezone: site.timezone,
    from: formatLocal(fromMs, site.timezone),
    to: formatLocal(toMs, site.timezone),
    ...(options.bucket ? { bucket: options.bucket } : {}),
    now: list.reduce((n, z) => n + (z.stale ? 0 : z.now), 0),
    zones: list,
  };
}

const num = (v: number | string | null) => (v === null ? null : Number(v));

/** Per zone (`device/camera/zone`), one point per bucket of the range: mean, max and last of the samples. */
async function occupancySeries(
  db: Query,
  site: SiteRef,
  fromMs: number,
  toMs: number,
  bucket: AnalyticsBucket,
): Promise<Map<string, OccupancyPoint[]>> {
  const key =
    bucket === '15m'
      ? `date_bin('15 minutes', ts, TIMESTAMPTZ '2000-01-01 00:00:00+00')`
      : `date_trunc('${bucket}', ts, $4)`;
  const rows = await db.query<{
    device_id: string;
    camera_id: string;
    zone_id: string;
    k_ms: number;
    mean: number;
    max: string;
    last: string;
    samples: string;
  }>(
    `SELECT device_id, camera_id, zone_id, (extract(epoch FROM ${key}) * 1000)::float8 AS k_ms,
            avg(n)::float8 AS mean, max(n) AS max, (array_agg(n ORDER BY ts DESC))[1] AS last, count(*) AS samples
       FROM (SELECT device_id, camera_id, zone_id, ts, sum(count) AS n FROM occupancy_samples
              WHERE site_id = $1 AND ts >= to_timestamp($2 / 1000.0) AND ts < to_timestamp($3 / 1000.0)
              GROUP BY 1, 2, 3, 4) s
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    bucket === '15m' ? [site.siteId, fromMs, toMs] : [site.siteId, fromMs, toMs, site.timezone],
  );
  return fillOccupancy(
    rows.map((r) => ({
      zone: `${r.device_id}/${r.camera_id}/${r.zone_id}`,
      startMs: Number(r.k_ms),
      mean: Number(r.mean),
      max: Number(r.max),
      last: Number(r.last),
      samples: Number(r.samples),
    })),
    bucketStarts(fromMs, toMs, bucket, site.timezone),
    site.timezone,
  );
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
