import type { AnalyticsBucket, AnalyticsGroupBy } from '@tally/proto';
import { isLocalMidnight, localDate, wholeHourOffsets } from './site-time';

/**
 * Builds the SQL for a counts report: which rollup table to read, how to bucket it in the site's timezone, and
 * the filters. Pure: the adapter (db/queries/analytics.ts) runs it.
 *
 * Choice of table (the cheapest that is exact):
 * - day, week, month with bounds on local midnights → `rollup_day` (already bucketed by site-local date);
 * - hour, or day+ with other bounds, when the zone's offsets are whole hours and the bounds whole UTC hours
 *   → `rollup_hour`;
 * - otherwise (15 minutes, half-hour zones, odd bounds) → `rollup_minute`.
 * Buckets come from `date_trunc(unit, instant, tz)`, which returns the instant the local bucket starts: on a
 * fall-back day the two local 02:00 hours stay two buckets (+02:00 and +01:00), and a local day is 23 or 25 hours
 * where DST changes. 15-minute buckets use `date_bin` in UTC: every zone's offset is a multiple of 15 minutes.
 */
export interface CountsParams {
  siteId: string;
  timezone: string;
  fromMs: number;
  toMs: number;
  bucket: AnalyticsBucket;
  groupBy: AnalyticsGroupBy;
  deviceId?: string;
  cameraId?: string;
  ruleId?: string;
  objectClass?: string;
  kind?: string;
  /** Only totals per kind, no buckets (the period comparisons). */
  totalsOnly?: boolean;
  /** Read this table whatever the planner would pick (benchmark baselines; it must be exact for the query). */
  table?: 'rollup_day' | 'rollup_hour' | 'rollup_minute';
}

export interface BuiltQuery {
  sql: string;
  values: unknown[];
  table: 'rollup_day' | 'rollup_hour' | 'rollup_minute';
}

/** Every grouping also splits by kind: a crossing, a zone entry, an exit and a dwell are never one number. */
const GROUP_COLUMNS: Record<AnalyticsGroupBy, string[]> = {
  none: ['kind'],
  kind: ['kind'],
  camera: ['kind', 'device_id', 'camera_id'],
  rule: ['kind', 'device_id', 'camera_id', 'rule_id'],
  class: ['kind', 'object_class'],
  direction: ['kind', 'direction'],
};

const UNIT: Record<Exclude<AnalyticsBucket, '15m'>, string> = {
  hour: 'hour',
  day: 'day',
  week: 'week',
  month: 'month',
};

export function chooseTable(p: CountsParams): BuiltQuery['table'] {
  const dayish = p.bucket === 'day' || p.bucket === 'week' || p.bucket === 'month' || p.totalsOnly;
  if (dayish && isLocalMidnight(p.fromMs, p.timezone) && isLocalMidnight(p.toMs, p.timezone))
    return 'rollup_day';
  const hourAligned = p.fromMs % 3_600_000 === 0 && p.toMs % 3_600_000 === 0;
  if (p.bucket !== '15m' && hourAligned && wholeHourOffsets(p.fromMs, p.toMs, p.timezone))
    return 'rollup_hour';
  return 'rollup_minute';
}

export function buildCountsQuery(p: CountsParams): BuiltQuery {
  const table = p.table ?? chooseTable(p);
  const values: unknown[] = [p.siteId];
  const arg = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const where = [`site_id = $1`];
  if (table === 'rollup_day') {
    where.push(
      `day >= ${arg(localDate(p.fromMs, p.timezone))}::date`,
      `day < ${arg(localDate(p.toMs, p.timezone))}::date`,
    );
  } else {
    where.push(
      `bucket >= to_timestamp(${arg(p.fromMs)} / 1000.0)`,
      `bucket < to_timestamp(${arg(p.toMs)} / 1000.0)`,
    );
  }
  const filters: [keyof CountsParams, string][] = [
    ['deviceId', 'device_id'],
    ['cameraId', 'camera_id'],
    ['ruleId', 'rule_id'],
    ['objectClass', 'object_class'],
    ['kind', 'kind'],
  ];
  for (const [key, column] of filters) {
    if (p[key] !== undefined) where.push(`${column} = ${arg(p[key])}`);
  }
  const groups = GROUP_COLUMNS[p.groupBy];
  const sums = `sum(count) FILTER (WHERE direction = 'in') AS n_in, sum(count) FILTER (WHERE direction = 'out') AS n_out, sum(count) AS n`;
  if (p.totalsOnly) {
    return {
      table,
      values,
      sql: `SELECT kind, ${sums} FROM ${table} WHERE ${where.join(' AND ')} GROUP BY kind`,
    };
  }
  // Group on a cheap key first (a local date, or the UTC bucket itself), then turn only the grouped rows into
  // instants and local wall-clock labels: per-row time-zone arithmetic is what makes such queries slow.
  const tz = arg(p.timezone);
  const key = bucketKey(table, p, tz);
  const instant = table === 'rollup_day' ? `(k AT TIME ZONE ${tz})` : 'k';
  const inner = [`${key} AS k`, ...groups, sums].join(', ');
  const innerGroup = ['1', ...groups].join(', ');
  const outer = [
    `(extract(epoch FROM ${instant}) * 1000)::float8 AS start_ms`,
    `to_char(${instant} AT TIME ZONE ${tz}, 'YYYY-MM-DD"T"HH24:MI:SS') AS local`,
    `extract(epoch FROM (${instant} AT TIME ZONE ${tz}) - (${instant} AT TIME ZONE 'UTC'))::int AS offset_s`,
    ...groups,
    'n_in',
    'n_out',
    'n',
  ].join(', ');
  return {
    table,
    values,
    sql:
      `SELECT ${outer} FROM (SELECT ${inner} FROM ${table} WHERE ${where.join(' AND ')} GROUP BY ${innerGroup}) g ` +
      `ORDER BY ${['k', ...groups].join(', ')}`,
  };
}

/**
 * The grouping key per table and bucket size. rollup_day: the local date truncated to its week or month (a
 * timestamp without zone: pure calendar arithmetic). rollup_hour read for hours: the UTC hour IS the local hour
 * (the planner only picks it for whole-hour offsets). Otherwise date_trunc in the zone, or date_bin for 15 minutes.
 */
function bucketKey(table: BuiltQuery['table'], p: CountsParams, tz: string): string {
  if (table === 'rollup_day') {
    const unit = p.bucket === 'week' ? 'week' : p.bucket === 'month' ? 'month' : 'day';
    return `date_trunc('${unit}', day::timestamp)`;
  }
  if (p.bucket === '15m') return `date_bin('15 minutes', bucket, TIMESTAMPTZ '2000-01-01 00:00:00+00')`;
  if (table === 'rollup_hour' && p.bucket === 'hour') return 'bucket';
  return `date_trunc('${UNIT[p.bucket]}', bucket, ${tz})`;
}
