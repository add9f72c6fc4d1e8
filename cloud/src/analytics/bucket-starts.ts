import type { AnalyticsBucket } from '@tally/proto';
import { addDays, localDate, localParts, startOfLocalDay } from './site-time';

const MINUTE = 60_000;
const QUARTER = 15 * MINUTE;

/**
 * Every bucket start of [fromMs, toMs) in the site's time zone, the first one being the start of the bucket that
 * holds `fromMs` (it may begin before it: a partial bucket). Pure, and the same boundaries the SQL uses:
 * 15 minutes on the UTC grid (every zone's offset is a multiple of 15 minutes), hours, days, weeks (Monday) and
 * months in local time, so a DST day has 23 or 25 hourly buckets and is still one day.
 */
export function bucketStarts(
  fromMs: number,
  toMs: number,
  bucket: AnalyticsBucket,
  timeZone: string,
): number[] {
  const starts: number[] = [];
  let start = bucketStart(fromMs, bucket, timeZone);
  while (start < toMs) {
    starts.push(start);
    start = nextBucketStart(start, bucket, timeZone);
  }
  return starts;
}

/** The start of the local bucket holding `ms`. */
export function bucketStart(ms: number, bucket: AnalyticsBucket, timeZone: string): number {
  switch (bucket) {
    case '15m':
      return Math.floor(ms / QUARTER) * QUARTER;
    case 'hour': {
      const p = localParts(ms, timeZone);
      return Math.floor(ms / 1000) * 1000 - (p.minute * 60 + p.second) * 1000;
    }
    case 'day':
      return startOfLocalDay(localDate(ms, timeZone), timeZone);
    case 'week': {
      const date = localDate(ms, timeZone);
      const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
      return startOfLocalDay(addDays(date, -weekday), timeZone);
    }
    case 'month':
      return startOfLocalDay(`${localDate(ms, timeZone).slice(0, 7)}-01`, timeZone);
  }
}

function nextBucketStart(start: number, bucket: AnalyticsBucket, timeZone: string): number {
  switch (bucket) {
    case '15m':
      return start + QUARTER;
    case 'hour':
      // Re-truncated: after a half-hour DST shift the next local hour starts 30 minutes later.
      return Math.max(start + 30 * MINUTE, bucketStart(start + 60 * MINUTE, 'hour', timeZone));
    case 'day':
      return startOfLocalDay(addDays(localDate(start, timeZone), 1), timeZone);
    case 'week':
      return startOfLocalDay(addDays(localDate(start, timeZone), 7), timeZone);
    case 'month': {
      const [y, m] = localDate(start, timeZone).split('-').map(Number) as [number, number];
      const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
      return startOfLocalDay(next, timeZone);
    }
  }
}

/** Index of the bucket holding `ms` in ascending `starts` (binary search), or -1 when before the first. */
export function bucketIndex(starts: readonly number[], ms: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= ms) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
