import type { AnalyticsBucket, AnalyticsGroupBy, CountsQuery } from '@tally/proto';
import {
  bucketFits,
  customRange,
  defaultBucket,
  isoRange,
  presetRange,
  previousRange,
  type Preset,
  type TimeRange,
} from '../../../lib/time-range';

export type CountKind = NonNullable<CountsQuery['kind']>;

/** What the chart shows. Kept in the page's URL, so a reload, a shared link or a new sign-in shows the same. */
export interface ChartSettings {
  preset: Preset;
  from: string;
  to: string;
  bucket: AnalyticsBucket | null;
  groupBy: AnalyticsGroupBy;
  kind: CountKind;
}

export const KINDS: { value: CountKind; label: string }[] = [
  { value: 'line_cross', label: 'Line crossings' },
  { value: 'zone_enter', label: 'Zone entries' },
  { value: 'zone_exit', label: 'Zone exits' },
  { value: 'dwell_exceeded', label: 'Dwell exceeded' },
];

export const BREAKDOWNS: { value: AnalyticsGroupBy; label: string }[] = [
  { value: 'none', label: 'No breakdown' },
  { value: 'rule', label: 'By line / zone' },
  { value: 'class', label: 'By class' },
  { value: 'direction', label: 'By direction' },
];

export const BUCKETS: { value: AnalyticsBucket; label: string }[] = [
  { value: '15m', label: '15 min' },
  { value: 'hour', label: 'Hour' },
  { value: 'day', label: 'Day' },
  { value: 'week', label: 'Week' },
  { value: 'month', label: 'Month' },
];

const oneOf = <T extends string>(value: string | null, options: { value: T }[], fallback: T): T =>
  options.find((o) => o.value === value)?.value ?? fallback;

const PRESET_VALUES: { value: Preset }[] = [
  { value: 'today' },
  { value: 'yesterday' },
  { value: 'this-week' },
  { value: 'last-7-days' },
  { value: 'this-month' },
  { value: 'custom' },
];

export function readSettings(params: URLSearchParams): ChartSettings {
  return {
    preset: oneOf(params.get('range'), PRESET_VALUES, 'today'),
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    bucket: params.get('bucket') ? oneOf(params.get('bucket'), BUCKETS, 'hour') : null,
    groupBy: oneOf(params.get('by'), BREAKDOWNS, 'none'),
    kind: oneOf(params.get('kind'), KINDS, 'line_cross'),
  };
}

export function writeSettings(s: ChartSettings): URLSearchParams {
  const p = new URLSearchParams({ range: s.preset, by: s.groupBy, kind: s.kind });
  if (s.bucket) p.set('bucket', s.bucket);
  if (s.preset === 'custom') {
    p.set('from', s.from);
    p.set('to', s.to);
  }
  return p;
}

/** The range, bucket and API queries the settings mean for a site; null range: the custom dates are not valid. */
export function resolveSettings(
  s: ChartSettings,
  timezone: string,
  nowMs: number,
): { range: TimeRange; bucket: AnalyticsBucket; query: CountsQuery; previousQuery: CountsQuery } | null {
  const range =
    s.preset === 'custom' ? customRange(s.from, s.to, timezone) : presetRange(s.preset, timezone, nowMs);
  if (!range) return null;
  const wanted = s.bucket ?? defaultBucket(range);
  const bucket = bucketFits(wanted, range) ? wanted : 'day';
  const common = { bucket, kind: s.kind } as const;
  return {
    range,
    bucket,
    query: { ...isoRange(range), ...common, groupBy: s.groupBy, compare: true },
    previousQuery: { ...isoRange(previousRange(range)), ...common, groupBy: 'none' },
  };
}
