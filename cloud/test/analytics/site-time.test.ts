import { describe, expect, it } from 'vitest';
import { localDate, startOfLocalDay } from '../../src/analytics/site-time';

/**
 * Regression (issue 9, item 14): a local day with two midnights (clocks go back over midnight) must start at the
 * FIRST one. Expected instants are worked out by hand from the tz database's own rules, not from the code:
 * - Africa/Tunis 1977: DST (+02) ended on 24 September at 00:00 standard time, i.e. 01:00 DST back to 00:00 (+01),
 *   so 24 September 00:00 happened at 22:00Z (+02) and again at 23:00Z (+01).
 * - Antarctica/Casey 2023: +11 became +08 on 9 March at 03:00, back to 00:00, so 9 March 00:00 happened at 13:00Z
 *   on the 8th (+11) and again at 16:00Z (+08).
 * - America/Havana 2023: DST (-04) ended on 5 November at 01:00, back to 00:00 (-05): 04:00Z, then 05:00Z.
 */
describe('startOfLocalDay', () => {
  it.each([
    ['Africa/Tunis', '1977-09-24', '1977-09-23T22:00:00.000Z'],
    ['Antarctica/Casey', '2023-03-09', '2023-03-08T13:00:00.000Z'],
    ['America/Havana', '2023-11-05', '2023-11-05T04:00:00.000Z'],
  ])('%s %s (two midnights) starts at the first one', (zone, date, expected) => {
    expect(new Date(startOfLocalDay(date, zone)).toISOString()).toBe(expected);
  });

  it.each([
    // Midnight skipped: America/Santiago 2022-09-11, 00:00 (-04) jumped to 01:00 (-03) at 04:00Z.
    ['America/Santiago', '2022-09-11', '2022-09-11T04:00:00.000Z'],
    // Clocks back to the previous day: Asia/Beirut 2023-10-29, 00:00 (+03) back to 23:00 on the 28th; the 29th
    // begins an hour later, at 00:00 (+02) = 22:00Z.
    ['Asia/Beirut', '2023-10-29', '2023-10-28T22:00:00.000Z'],
    // Ordinary days.
    ['Europe/Berlin', '2026-03-29', '2026-03-28T23:00:00.000Z'],
    ['Asia/Kathmandu', '2026-01-15', '2026-01-14T18:15:00.000Z'],
  ])('%s %s starts at its first local moment', (zone, date, expected) => {
    const start = startOfLocalDay(date, zone);
    expect(new Date(start).toISOString()).toBe(expected);
    expect(localDate(start, zone)).toBe(date);
    expect(localDate(start - 1000, zone)).not.toBe(date);
  });
});
