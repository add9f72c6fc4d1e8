import {
  addDays,
  daysBetween,
  isLocalMidnight,
  localDate,
  localInstant,
  localParts,
  startOfLocalDay,
} from './site-time';

/**
 * The period just before [from, to) to compare with. When both bounds are local midnights it is the same number of
 * local calendar days (a week containing a 23-hour day compares with a full week before it, not 167 hours);
 * otherwise the same duration.
 */
export function previousPeriod(
  fromMs: number,
  toMs: number,
  timezone: string,
): { fromMs: number; toMs: number } {
  if (isLocalMidnight(fromMs, timezone) && isLocalMidnight(toMs, timezone)) {
    const from = localDate(fromMs, timezone);
    const days = daysBetween(from, localDate(toMs, timezone));
    return { fromMs: startOfLocalDay(addDays(from, -days), timezone), toMs: fromMs };
  }
  return { fromMs: fromMs - (toMs - fromMs), toMs: fromMs };
}

/**
 * The same local wall-clock period shifted back by whole calendar days or years: "this Tuesday 09:00–17:00" last week
 * is last Tuesday 09:00–17:00 in the site's zone, whatever DST did in between. 29 February a year back is
 * 28 February.
 */
export function shiftedPeriod(
  fromMs: number,
  toMs: number,
  timezone: string,
  back: { days: number } | { years: number },
): { fromMs: number; toMs: number } {
  return { fromMs: shiftInstant(fromMs, timezone, back), toMs: shiftInstant(toMs, timezone, back) };
}

function shiftInstant(ms: number, timezone: string, back: { days: number } | { years: number }): number {
  const p = localParts(ms, timezone);
  let { year, month, day } = p;
  if ('days' in back) {
    const d = new Date(Date.UTC(year, month - 1, day - back.days));
    [year, month, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  } else {
    year -= back.years;
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    day = Math.min(day, lastDay);
  }
  return localInstant(Date.UTC(year, month - 1, day, p.hour, p.minute, p.second) + (ms % 1000), timezone);
}
