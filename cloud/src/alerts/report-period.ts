import { addDays, localDate, localParts, startOfLocalDay } from '../analytics/site-time';

/**
 * The last complete reporting period before `now`, in the site's timezone (pure): daily → yesterday; weekly → the
 * last full Monday-to-Sunday week. Returned as local dates [from, to) and the instants they start.
 */
export function lastCompletePeriod(now: number, timezone: string, period: 'daily' | 'weekly') {
  const today = localDate(now, timezone);
  let to = today;
  if (period === 'weekly') {
    const { year, month, day } = localParts(now, timezone);
    const weekday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7; // Monday 0
    to = addDays(today, -weekday);
  }
  const from = addDays(to, period === 'daily' ? -1 : -7);
  return { from, to, fromMs: startOfLocalDay(from, timezone), toMs: startOfLocalDay(to, timezone) };
}
