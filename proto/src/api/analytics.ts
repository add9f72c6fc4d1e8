import { Type, type Static } from '@sinclair/typebox';
import { Direction, Id } from '../common';
import { EventKind } from '../messages/count-event';

/**
 * Analytics API shapes (`/api/sites/:siteId/analytics/…`). Buckets are in the SITE's timezone: a local day is one
 * bucket whether it has 23, 24 or 25 hours; hours on a fall-back day are told apart by their UTC offset.
 */
export const AnalyticsBucket = Type.Union(
  [
    Type.Literal('15m'),
    Type.Literal('hour'),
    Type.Literal('day'),
    Type.Literal('week'),
    Type.Literal('month'),
  ],
  { description: 'Bucket size, in site-local time (weeks start on Monday)' },
);
export type AnalyticsBucket = Static<typeof AnalyticsBucket>;

export const AnalyticsGroupBy = Type.Union(
  [
    Type.Literal('none'),
    Type.Literal('camera'),
    Type.Literal('rule'),
    Type.Literal('class'),
    Type.Literal('direction'),
    Type.Literal('kind'),
  ],
  {
    description:
      'One series per camera, counting rule, object class or direction, always also split by kind (crossings, zone entries, exits and dwells are never added together); `none` and `kind`: one series per kind',
  },
);
export type AnalyticsGroupBy = Static<typeof AnalyticsGroupBy>;

const Instant = Type.String({
  format: 'date-time',
  description: 'ISO 8601 instant with an offset or Z, e.g. 2026-03-29T00:00:00+01:00',
});

/** Query string of the counts and export routes. `from` is inclusive, `to` exclusive. */
export const CountsQuery = Type.Object(
  {
    from: Instant,
    to: Instant,
    bucket: Type.Optional(AnalyticsBucket),
    groupBy: Type.Optional(AnalyticsGroupBy),
    deviceId: Type.Optional(Id),
    cameraId: Type.Optional(Id),
    ruleId: Type.Optional(Id),
    objectClass: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    kind: Type.Optional(
      Type.Union([
        Type.Literal('line_cross'),
        Type.Literal('zone_enter'),
        Type.Literal('zone_exit'),
        Type.Literal('dwell_exceeded'),
      ]),
    ),
    compare: Type.Optional(
      Type.Boolean({
        description:
          'Also total the previous period of the same length, the same period last week and last year (`previous`, `lastWeek`, `lastYear`)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CountsQuery = Static<typeof CountsQuery>;

export const CountTotals = Type.Object({
  in: Type.Integer({ description: 'Crossings in the `in` direction' }),
  out: Type.Integer({ description: 'Crossings in the `out` direction' }),
  total: Type.Integer({ description: 'Every event counted, whatever its direction' }),
  net: Type.Integer({ description: 'Net flow: in − out' }),
});
export type CountTotals = Static<typeof CountTotals>;

export const CountPoint = Type.Object({
  start: Type.String({
    description: 'Bucket start in site-local time with its offset, e.g. 2026-10-25T02:00:00+01:00',
  }),
  startMs: Type.Integer({ description: 'Bucket start, ms since the epoch' }),
  ...CountTotals.properties,
});
export type CountPoint = Static<typeof CountPoint>;

export const SeriesKey = Type.Object({
  kind: EventKind,
  deviceId: Type.Optional(Type.String()),
  cameraId: Type.Optional(Type.String()),
  ruleId: Type.Optional(Type.String()),
  objectClass: Type.Optional(Type.String()),
  direction: Type.Optional(Type.String()),
});
export type SeriesKey = Static<typeof SeriesKey>;

export const CountSeries = Type.Object({
  key: SeriesKey,
  points: Type.Array(CountPoint),
  totals: CountTotals,
});
export type CountSeries = Static<typeof CountSeries>;

/** Totals of each event kind, never added together (zeros for a kind with no events). */
export const KindTotals = Type.Object({
  line_cross: CountTotals,
  zone_enter: CountTotals,
  zone_exit: CountTotals,
  dwell_exceeded: CountTotals,
});
export type KindTotals = Static<typeof KindTotals>;

const Ratio = Type.Union([Type.Number(), Type.Null()], {
  description: 'Relative change, e.g. 0.25 for +25 %; null when the earlier value was 0',
});
export const TotalsChange = Type.Object({ total: Ratio, in: Ratio, out: Ratio });
export type TotalsChange = Static<typeof TotalsChange>;

/** An earlier period's totals per kind and the relative change from it to the requested one. */
export const PeriodComparison = Type.Object({
  from: Type.String(),
  to: Type.String(),
  byKind: KindTotals,
  change: Type.Object({
    line_cross: TotalsChange,
    zone_enter: TotalsChange,
    zone_exit: TotalsChange,
    dwell_exceeded: TotalsChange,
  }),
});
export type PeriodComparison = Static<typeof PeriodComparison>;

/**
 * A counts report. With `compare`: `previous` is the period of the same length just before (the same number of local
 * days when the bounds are local midnights), `lastWeek` the same local dates and times 7 days earlier, `lastYear`
 * the same local calendar dates and times one year earlier (29 February maps to 28 February).
 */
export const CountsReport = Type.Object({
  siteId: Type.String(),
  timezone: Type.String(),
  from: Type.String(),
  to: Type.String(),
  bucket: AnalyticsBucket,
  groupBy: AnalyticsGroupBy,
  series: Type.Array(CountSeries, {
    description:
      'Each series has one point per bucket of the range (zeros where nothing was counted), in order; with a `kind` filter and groupBy none or kind, that kind’s series is there even when empty',
  }),
  byKind: KindTotals,
  previous: Type.Optional(PeriodComparison),
  lastWeek: Type.Optional(PeriodComparison),
  lastYear: Type.Optional(PeriodComparison),
});
export type CountsReport = Static<typeof CountsReport>;

/** A zone's latest occupancy is stale after this long without a sample (the agent samples every second). */
export const OCCUPANCY_STALE_AFTER_MS = 120_000;

export const RangeQuery = Type.Object({ from: Instant, to: Instant }, { additionalProperties: false });
export type RangeQuery = Static<typeof RangeQuery>;

/** Query string of the occupancy route: with `bucket`, each zone also has a time series. */
export const OccupancyQuery = Type.Object(
  { from: Instant, to: Instant, bucket: Type.Optional(AnalyticsBucket) },
  { additionalProperties: false },
);
export type OccupancyQuery = Static<typeof OccupancyQuery>;

/** Occupancy in one bucket, all classes summed; null where the box sent no sample in it (unknown, not 0). */
export const OccupancyPoint = Type.Object({
  start: Type.String({ description: 'Bucket start in site-local time with its offset' }),
  startMs: Type.Integer(),
  mean: Type.Union([Type.Number(), Type.Null()], {
    description: 'Mean of the samples (the agent samples every second, so the time mean while it reported)',
  }),
  max: Type.Union([Type.Integer(), Type.Null()]),
  last: Type.Union([Type.Integer(), Type.Null()], { description: 'The last sample in the bucket' }),
  samples: Type.Integer(),
});
export type OccupancyPoint = Static<typeof OccupancyPoint>;

export const ZoneOccupancy = Type.Object({
  deviceId: Type.String(),
  cameraId: Type.String(),
  zoneId: Type.String(),
  now: Type.Integer({ description: 'Objects in the zone at the latest sample, all classes (see `stale`)' }),
  nowAt: Type.Union([Type.String(), Type.Null()], { description: 'When the latest sample was taken' }),
  stale: Type.Boolean({
    description:
      'The latest sample is not current: its device is offline or has sent no sample for OCCUPANCY_STALE_AFTER_MS. A stale `now` is left out of the site total and of occupancy alerts',
  }),
  ageMs: Type.Union([Type.Integer(), Type.Null()], { description: 'Age of the latest sample when answered' }),
  series: Type.Optional(Type.Array(OccupancyPoint, { description: 'Per bucket of the range, when asked' })),
  byClass: Type.Record(Type.String(), Type.Integer()),
  peak: Type.Integer({ description: 'Highest occupancy in the range' }),
  peakAt: Type.Union([Type.String(), Type.Null()]),
});
export type ZoneOccupancy = Static<typeof ZoneOccupancy>;

export const OccupancyReport = Type.Object({
  siteId: Type.String(),
  timezone: Type.String(),
  from: Type.String(),
  to: Type.String(),
  bucket: Type.Optional(AnalyticsBucket),
  now: Type.Integer({ description: 'Sum of every zone now whose value is current (stale zones left out)' }),
  zones: Type.Array(ZoneOccupancy),
});
export type OccupancyReport = Static<typeof OccupancyReport>;

export const DwellStats = Type.Object({
  deviceId: Type.String(),
  cameraId: Type.String(),
  zoneId: Type.String(),
  visits: Type.Integer(),
  meanMs: Type.Number(),
  p50Ms: Type.Number(),
  p95Ms: Type.Number(),
  maxMs: Type.Number(),
});
export type DwellStats = Static<typeof DwellStats>;

export const DwellReport = Type.Object({
  siteId: Type.String(),
  from: Type.String(),
  to: Type.String(),
  zones: Type.Array(DwellStats),
});
export type DwellReport = Static<typeof DwellReport>;

export const ExportQuery = Type.Object(
  {
    ...CountsQuery.properties,
    format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('json')])),
  },
  { additionalProperties: false },
);
export type ExportQuery = Static<typeof ExportQuery>;

/** A direction as stored: `in`, `out`, or '' for kinds without one. */
export const StoredDirection = Type.Union([Direction, Type.Literal('')]);
