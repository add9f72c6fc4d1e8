import { describe, expect, it } from 'vitest';
import { track, type Observation, type SubjectState } from '../../src/alerts/condition-tracker';
import { lastCompletePeriod } from '../../src/alerts/report-period';

const obs = (holds: boolean, since?: number): Observation => ({
  holds,
  detail: 'x',
  ...(since ? { since } : {}),
});

describe('condition tracker', () => {
  it('fires only after the condition has held for the whole duration, once, and resolves when it clears', () => {
    const state = new Map<string, SubjectState>();
    const min = 60_000;
    expect(track(state, new Map([['z', obs(true)]]), 0, 2 * min)).toEqual([]);
    expect(track(state, new Map([['z', obs(true)]]), min, 2 * min)).toEqual([]);
    expect(track(state, new Map([['z', obs(true)]]), 2 * min, 2 * min)).toMatchObject([
      { subject: 'z', to: 'firing', since: 0 },
    ]);
    expect(track(state, new Map([['z', obs(true)]]), 3 * min, 2 * min)).toEqual([]);
    expect(track(state, new Map([['z', obs(false)]]), 4 * min, 2 * min)).toMatchObject([
      { subject: 'z', to: 'resolved' },
    ]);
    expect(track(state, new Map([['z', obs(false)]]), 5 * min, 2 * min)).toEqual([]);
  });

  it('restarts the clock when the condition clears before it fires', () => {
    const state = new Map<string, SubjectState>();
    track(state, new Map([['z', obs(true)]]), 0, 100);
    track(state, new Map([['z', obs(false)]]), 50, 100);
    expect(track(state, new Map([['z', obs(true)]]), 120, 100)).toEqual([]);
    expect(track(state, new Map([['z', obs(true)]]), 220, 100)).toHaveLength(1);
  });

  it('uses the time the data says the condition began, and resolves subjects that disappear', () => {
    const state = new Map<string, SubjectState>();
    expect(track(state, new Map([['dev-1', obs(true, 1000)]]), 10_000, 5000)).toMatchObject([
      { to: 'firing', since: 1000 },
    ]);
    expect(track(state, new Map(), 11_000, 5000)).toMatchObject([{ subject: 'dev-1', to: 'resolved' }]);
  });
});

describe('report periods in site time', () => {
  it('is yesterday for daily and the last Monday-to-Monday week for weekly, across DST', () => {
    const now = Date.parse('2026-03-31T09:00:00+02:00'); // a Tuesday
    expect(lastCompletePeriod(now, 'Europe/Berlin', 'daily')).toMatchObject({
      from: '2026-03-30',
      to: '2026-03-31',
    });
    const week = lastCompletePeriod(now, 'Europe/Berlin', 'weekly');
    expect(week).toMatchObject({ from: '2026-03-23', to: '2026-03-30' });
    // That week holds the spring-forward Sunday: 167 hours.
    expect((week.toMs - week.fromMs) / 3_600_000).toBe(167);
  });
});
