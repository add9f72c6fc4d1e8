import { addDays, daysBetween, isLocalMidnight, localDate, startOfLocalDay } from './site-time';

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
