import { TZDate } from '@date-fns/tz';
import { format, formatDistanceStrict } from 'date-fns';

/** Numbers in the reader's locale (1,234 or 1 234 or 1.234). */
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat(undefined, {
  style: 'percent',
  maximumFractionDigits: 1,
  signDisplay: 'exceptZero',
});

export const formatCount = (n: number): string => integer.format(n);
export const formatDecimal = (n: number): string => decimal.format(n);
/** A relative change (0.25 → +25%); null (from zero) shows as a dash. */
export const formatChange = (ratio: number | null | undefined): string =>
  ratio === null || ratio === undefined ? '—' : percent.format(ratio);

/** An instant as the site's wall clock, e.g. "14:15" or "Mon 3 Mar". */
export function formatInZone(ms: number, timezone: string, pattern: string): string {
  return format(new TZDate(ms, timezone), pattern);
}

/** "3 minutes" between then and now. */
export function formatAge(fromMs: number, nowMs: number = Date.now()): string {
  return formatDistanceStrict(fromMs, nowMs);
}

/** Milliseconds as "1 min 5 s" / "42 s". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${formatCount(s)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${formatCount(m)} min ${s % 60} s` : `${formatCount(Math.floor(m / 60))} h ${m % 60} min`;
}
