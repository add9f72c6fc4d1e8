/**
 * Site-local time without a date library: the platform's IANA database through Intl. Every function is pure.
 * A local calendar date is a `YYYY-MM-DD` string; an instant is ms since the epoch.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localParts(ms: number, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** The zone's offset from UTC at that instant, in minutes (Berlin in summer: 120). */
export function offsetMinutes(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The local calendar date of an instant, `YYYY-MM-DD`. */
export function localDate(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** ISO 8601 in local time with the offset in force then, e.g. `2026-10-25T02:00:00+01:00`. */
export function formatLocal(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const off = Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${formatOffset(off)}`;
}

/** `+01:00`, `-03:30`, `+05:45` from an offset in minutes. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(Math.round(minutes));
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The zone's offset at that instant in ms (seconds kept: historical LMT offsets are not whole minutes). */
function offsetMs(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a local wall-clock time (given as if it were UTC, `Date.UTC(y, m, d, h, min, s)`) happens in the zone.
 * A wall time skipped by DST maps to the instant one offset later; a repeated one to its first occurrence.
 */
export function localInstant(wallMs: number, timeZone: string): number {
  // Two refinements settle the offset even when the guess falls on the other side of a transition.
  let ms = wallMs - offsetMinutes(wallMs, timeZone) * 60_000;
  ms = wallMs - offsetMinutes(ms, timeZone) * 60_000;
  return ms;
}

/**
 * The instant a local date starts: its FIRST local moment. Usually midnight; later where midnight is skipped
 * (the day starts at the transition); and the earlier of two where clocks go back over midnight (a DST end at
 * 01:00 back to 00:00, e.g. Africa/Tunis 1977, Antarctica/Casey 2023: the day has two midnights).
 *
 * Candidates are the local midnight under every offset the zone uses within 15 hours of the date, and every
 * transition instant there (found by bisection to the second); the answer is the earliest candidate that is in
 * the date while the second before it is not. Offsets change at most every few hours, so hourly sampling finds
 * each transition.
 */
export function startOfLocalDay(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  const candidates: number[] = [];
  let prevT = wall - 15 * HOUR;
  let prevOff = offsetMs(prevT, timeZone);
  candidates.push(wall - prevOff);
  for (let t = prevT + HOUR; t <= wall + 15 * HOUR; t += HOUR) {
    const off = offsetMs(t, timeZone);
    if (off !== prevOff) {
      candidates.push(wall - off, transitionBetween(prevT, t, prevOff, timeZone));
    }
    prevT = t;
    prevOff = off;
  }
  const starts = candidates.filter(
    (c) => localDate(c, timeZone) === date && localDate(c - 1000, timeZone) !== date,
  );
  // A date the zone skipped entirely (Pacific/Apia, 2011-12-30) has no first moment: the next date starts then.
  return starts.length > 0 ? Math.min(...starts) : startOfLocalDay(addDays(date, 1), timeZone);
}

/** The first second in (from, to] whose offset is not `fromOffset` (one transition in between). */
function transitionBetween(from: number, to: number, fromOffset: number, timeZone: string): number {
  let a = from;
  let b = to;
  while (b - a > 1000) {
    const mid = a + Math.floor((b - a) / 2000) * 1000;
    if (offsetMs(mid, timeZone) === fromOffset) a = mid;
    else b = mid;
  }
  return b;
}

export function isLocalMidnight(ms: number, timeZone: string): boolean {
  return startOfLocalDay(localDate(ms, timeZone), timeZone) === ms;
}

/** `date` plus `days` calendar days (negative: earlier). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole local days from `a` to `b`. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * Whether every offset the zone uses between the two instants is a whole number of hours, sampled daily (zone
 * rules change at most a few times a year): if so, UTC hour buckets are also local hour buckets.
 */
export function wholeHourOffsets(fromMs: number, toMs: number, timeZone: string): boolean {
  for (let t = fromMs; t <= toMs; t += 86_400_000) {
    if (offsetMinutes(t, timeZone) % 60 !== 0) return false;
  }
  return offsetMinutes(toMs, timeZone) % 60 === 0;
}
