import { TZDate } from '@date-fns/tz';
import { addDays, startOfDay, startOfMonth, startOfWeek } from 'date-fns';
import type { AnalyticsBucket } from '@tally/proto';

/** A half-open range [fromMs, toMs) of instants. */
export interface TimeRange {
  fromMs: number;
  toMs: number;
}

export type Preset = 'today' | 'yesterday' | 'this-week' | 'last-7-days' | 'this-month' | 'custom';

export const PRESETS: { value: Preset; label: string }[] = [
  { value: 'today', label: 'Today' },
  { value: 'yesterday', label: 'Yesterday' },
  { value: 'this-week', label: 'This week' },
  { value: 'last-7-days', label: 'Last 7 days' },
  { value: 'this-month', label: 'This month' },
  { value: 'custom', label: 'Custom' },
];

const range = (from: Date, to: Date): TimeRange => ({ fromMs: from.getTime(), toMs: to.getTime() });

/**
 * A preset's range in the SITE's time zone (a site in Tokyo viewed from Paris: "today" is Tokyo's day), so the
 * chart's buckets line up with the analytics API's. Weeks start on Monday like the API's week buckets.
 */
export function presetRange(preset: Exclude<Preset, 'custom'>, timezone: string, nowMs: number): TimeRange {
  const today = startOfDay(new TZDate(nowMs, timezone));
  switch (preset) {
    case 'today':
      return range(today, addDays(today, 1));
    case 'yesterday':
      return range(addDays(today, -1), today);
    case 'this-week':
      return range(startOfWeek(today, { weekStartsOn: 1 }), addDays(today, 1));
    case 'last-7-days':
      return range(addDays(today, -6), addDays(today, 1));
    case 'this-month':
      return range(startOfMonth(today), addDays(today, 1));
  }
}

/** Local dates `yyyy-MM-dd` (both included) in the site's time zone. */
export function customRange(fromDate: string, toDate: string, timezone: string): TimeRange | null {
  const parse = (d: string) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
    return m ? new TZDate(Number(m[1]), Number(m[2]) - 1, Number(m[3]), timezone) : null;
  };
  const from = parse(fromDate);
  const to = parse(toDate);
  if (!from || !to || to < from) return null;
  return range(from, addDays(to, 1));
}

/** The period of the same length just before, for comparison. */
export function previousRange(r: TimeRange): TimeRange {
  return { fromMs: r.fromMs - (r.toMs - r.fromMs), toMs: r.fromMs };
}

/** The bucket a preset opens with: hours for a day, days for longer. */
export function defaultBucket(r: TimeRange): AnalyticsBucket {
  return r.toMs - r.fromMs <= 2 * 86_400_000 ? 'hour' : 'day';
}

/** The API's longest range per bucket (cloud/src/routes/api/analytics.ts); smaller buckets are not offered. */
const MAX_DAYS: Record<AnalyticsBucket, number> = { '15m': 31, hour: 93, day: 1100, week: 1100, month: 3700 };

export function bucketFits(bucket: AnalyticsBucket, r: TimeRange): boolean {
  return r.toMs - r.fromMs <= MAX_DAYS[bucket] * 86_400_000;
}

export const isoRange = (r: TimeRange) => ({
  from: new Date(r.fromMs).toISOString(),
  to: new Date(r.toMs).toISOString(),
});
