import { describe, expect, it } from 'vitest';
import { customRange, presetRange, previousRange } from '../../src/lib/time-range';

const iso = (r: { fromMs: number; toMs: number }) => [
  new Date(r.fromMs).toISOString(),
  new Date(r.toMs).toISOString(),
];

describe('range presets in the site time zone', () => {
  // Expected instants worked out by hand from the zones' offsets (Paris: +01:00 in winter, +02:00 from 29 March 2026
  // 02:00 local; Tokyo: +09:00 all year).
  it('today on the day Paris springs forward is 23 hours long', () => {
    const now = Date.parse('2026-03-29T12:00:00Z');
    expect(iso(presetRange('today', 'Europe/Paris', now))).toEqual([
      '2026-03-28T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
    ]);
  });

  it("today is the site's day, not the viewer's (Tokyo is already on 3 March)", () => {
    const now = Date.parse('2026-03-02T20:00:00Z');
    expect(iso(presetRange('today', 'Asia/Tokyo', now))).toEqual([
      '2026-03-02T15:00:00.000Z',
      '2026-03-03T15:00:00.000Z',
    ]);
  });

  it('this week starts on Monday; last 7 days ends tomorrow at midnight', () => {
    const now = Date.parse('2026-03-05T10:00:00Z'); // a Thursday
    expect(iso(presetRange('this-week', 'Europe/Paris', now))).toEqual([
      '2026-03-01T23:00:00.000Z',
      '2026-03-05T23:00:00.000Z',
    ]);
    // 27 Feb … 5 Mar (2026 is not a leap year): 27 Feb 00:00 in Paris is 26 Feb 23:00 UTC.
    expect(iso(presetRange('last-7-days', 'Europe/Paris', now))).toEqual([
      '2026-02-26T23:00:00.000Z',
      '2026-03-05T23:00:00.000Z',
    ]);
  });

  it('yesterday and this month', () => {
    const now = Date.parse('2026-03-05T10:00:00Z');
    expect(iso(presetRange('yesterday', 'Europe/Paris', now))).toEqual([
      '2026-03-03T23:00:00.000Z',
      '2026-03-04T23:00:00.000Z',
    ]);
    expect(iso(presetRange('this-month', 'Europe/Paris', now))).toEqual([
      '2026-02-28T23:00:00.000Z',
      '2026-03-05T23:00:00.000Z',
    ]);
  });

  it('custom dates include both days; an end before the start is refused', () => {
    expect(iso(customRange('2026-03-28', '2026-03-29', 'Europe/Paris')!)).toEqual([
      '2026-03-27T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
    ]);
    expect(customRange('2026-03-29', '2026-03-28', 'Europe/Paris')).toBeNull();
    expect(customRange('bad', '2026-03-28', 'Europe/Paris')).toBeNull();
  });

  it('the previous period has the same length just before', () => {
    expect(previousRange({ fromMs: 100, toMs: 250 })).toEqual({ fromMs: -50, toMs: 100 });
  });
});
