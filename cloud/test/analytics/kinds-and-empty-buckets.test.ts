import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountEvent, CountsReport, EventKind } from '@tally/proto';
import { bucketStarts } from '../../src/analytics/bucket-starts';
import { countsReport } from '../../src/db/queries/analytics';
import { eventColumns, INSERT_EVENTS_SQL } from '../../src/ingest/event-statement';
import { DATABASES, type TestDatabase } from '../helpers/databases';
import { seedDevice, seedSite } from '../ingest/support';

const TZ = 'America/New_York';
/** 10 June 2026 in New York (EDT, UTC−4). */
const at = (hhmmss: string) => Date.parse(`2026-06-10T${hhmmss}-04:00`);
const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * Regression for issue 10: a site whose one line counted 15 reported `total` 105, because zone entries, exits and
 * dwells were added to the crossings; and a 24 h range by 15 minutes came back as 1–2 points. The events here are
 * hand-made, so every expected number is counted by hand from the list below.
 */
describe.each(DATABASES)('counts never mix kinds, empty buckets are zeros, trends on $kind', ({ fresh }) => {
  let db: TestDatabase;
  let site: { siteId: string; timezone: string };
  let seq = 1;
  const events: CountEvent[] = [];
  const add = (kind: EventKind, ruleId: string, ts: number, direction?: 'in' | 'out') =>
    events.push({
      deviceId: '',
      seq: seq++,
      cameraId: 'cam-1',
      ruleId,
      kind,
      ...(direction ? { direction } : {}),
      objectClass: 'person',
      trackId: seq,
      ts,
      confidence: 0.9,
      ...(kind === 'zone_exit' || kind === 'dwell_exceeded' ? { dwellMs: 30_000 } : {}),
    });

  beforeAll(async () => {
    db = await fresh();
    const s = await seedSite(db, TZ);
    site = { siteId: s.siteId, timezone: TZ };
    const deviceId = await seedDevice(db, s);
    // The line: 10 in between 09:00 and 09:18 (8 in the 09:00 quarter, 2 in 09:15), 5 out at 17:40–17:44.
    for (let i = 0; i < 10; i++) add('line_cross', 'door', at('09:00:00') + i * 2 * MINUTE, 'in');
    for (let i = 0; i < 5; i++) add('line_cross', 'door', at('17:40:00') + i * MINUTE, 'out');
    // The zone: 40 entries 12:00:00–12:06:30, 10 dwells 12:10:00–12:11:30, 40 exits 12:20:00–12:26:30.
    for (let i = 0; i < 40; i++) add('zone_enter', 'plaza', at('12:00:00') + i * 10 * SECOND);
    for (let i = 0; i < 10; i++) add('dwell_exceeded', 'plaza', at('12:10:00') + i * 10 * SECOND);
    for (let i = 0; i < 40; i++) add('zone_exit', 'plaza', at('12:20:00') + i * 10 * SECOND);
    // Trends: 3 crossings the same day last week (3 June), 7 on the same date last year (10 June 2025).
    for (let i = 0; i < 3; i++) add('line_cross', 'door', at('10:00:00') - 7 * 86_400_000 + i * MINUTE, 'in');
    for (let i = 0; i < 7; i++)
      add('line_cross', 'door', Date.parse('2025-06-10T10:00:00-04:00') + i * MINUTE, 'out');
    // And 4 on 9 June (the previous period of a one-day range).
    for (let i = 0; i < 4; i++) add('line_cross', 'door', at('10:00:00') - 86_400_000 + i * MINUTE, 'in');
    for (const e of events) e.deviceId = deviceId;
    const info = { deviceId, orgId: s.orgId, siteId: s.siteId, timezone: TZ };
    await db.query(INSERT_EVENTS_SQL, eventColumns([{ device: info, events }]));
  });
  afterAll(() => db?.destroy());

  const day = (extra: Partial<Parameters<typeof countsReport>[2]> = {}): Promise<CountsReport> =>
    countsReport(db, site, {
      from: '2026-06-10T00:00:00-04:00',
      to: '2026-06-11T00:00:00-04:00',
      bucket: '15m',
      ...extra,
    });

  it('totals each kind apart: the line counted 15, not 105', async () => {
    const r = await day();
    expect(r.byKind).toEqual({
      line_cross: { in: 10, out: 5, total: 15, net: 5 },
      zone_enter: { in: 0, out: 0, total: 40, net: 0 },
      zone_exit: { in: 0, out: 0, total: 40, net: 0 },
      dwell_exceeded: { in: 0, out: 0, total: 10, net: 0 },
    });
    expect(r).not.toHaveProperty('totals');
    // groupBy=none still never mixes: one series per kind.
    expect(r.series.map((s) => [s.key.kind, s.totals.total]).sort()).toEqual([
      ['dwell_exceeded', 10],
      ['line_cross', 15],
      ['zone_enter', 40],
      ['zone_exit', 40],
    ]);
    const byRule = await day({ groupBy: 'rule' });
    expect(byRule.series.map((s) => [s.key.ruleId, s.key.kind, s.totals.total]).sort()).toEqual([
      ['door', 'line_cross', 15],
      ['plaza', 'dwell_exceeded', 10],
      ['plaza', 'zone_enter', 40],
      ['plaza', 'zone_exit', 40],
    ]);
  });

  it('returns all 96 quarter hours of the day, zeros included, in site time', async () => {
    const r = await day({ groupBy: 'kind' });
    const line = r.series.find((s) => s.key.kind === 'line_cross')!;
    expect(line.points).toHaveLength(96);
    expect(line.points[0]).toEqual({
      start: '2026-06-10T00:00:00-04:00',
      startMs: at('00:00:00'),
      in: 0,
      out: 0,
      total: 0,
      net: 0,
    });
    expect(line.points[95]!.start).toBe('2026-06-10T23:45:00-04:00');
    const nonZero = line.points.filter((p) => p.total > 0).map((p) => [p.start, p.in, p.out]);
    expect(nonZero).toEqual([
      ['2026-06-10T09:00:00-04:00', 8, 0],
      ['2026-06-10T09:15:00-04:00', 2, 0],
      ['2026-06-10T17:30:00-04:00', 0, 5],
    ]);
    const exits = r.series.find((s) => s.key.kind === 'zone_exit')!;
    expect(exits.points.filter((p) => p.total > 0).map((p) => [p.start, p.total])).toEqual([
      ['2026-06-10T12:15:00-04:00', 40],
    ]);
  });

  it('gives a kind with no events in the range its zero series when filtered by it', async () => {
    const r = await countsReport(db, site, {
      from: '2026-06-12T00:00:00-04:00',
      to: '2026-06-13T00:00:00-04:00',
      bucket: 'hour',
      kind: 'line_cross',
    });
    expect(r.series).toHaveLength(1);
    expect(r.series[0]!.key).toEqual({ kind: 'line_cross' });
    expect(r.series[0]!.points).toHaveLength(24);
    expect(r.series[0]!.points.every((p) => p.total === 0)).toBe(true);
  });

  it('compares with the previous period, the same day last week and the same date last year', async () => {
    const r = await day({ bucket: 'hour', kind: 'line_cross', compare: true });
    expect(r.previous).toMatchObject({
      from: '2026-06-09T00:00:00-04:00',
      byKind: { line_cross: { in: 4, out: 0, total: 4 } },
      change: { line_cross: { total: (15 - 4) / 4 } },
    });
    // Ratios are rounded to 4 decimals.
    expect(r.lastWeek).toMatchObject({
      from: '2026-06-03T00:00:00-04:00',
      to: '2026-06-04T00:00:00-04:00',
      byKind: { line_cross: { in: 3, out: 0, total: 3 } },
      change: { line_cross: { total: 4, out: null } },
    });
    expect(r.lastWeek!.change.line_cross.in).toBeCloseTo((10 - 3) / 3, 4);
    expect(r.lastYear).toMatchObject({
      from: '2025-06-10T00:00:00-04:00',
      to: '2025-06-11T00:00:00-04:00',
      byKind: { line_cross: { in: 0, out: 7, total: 7 } },
    });
    expect(r.lastYear!.change.line_cross.total).toBeCloseTo((15 - 7) / 7, 4);
  });
});

describe('bucket starts in site time (pure)', () => {
  it('has 25 hours on a fall-back day and 23 on a spring-forward day', () => {
    const fall = bucketStarts(
      Date.parse('2026-10-25T00:00:00+02:00'),
      Date.parse('2026-10-26T00:00:00+01:00'),
      'hour',
      'Europe/Berlin',
    );
    expect(fall).toHaveLength(25);
    const spring = bucketStarts(
      Date.parse('2026-03-29T00:00:00+01:00'),
      Date.parse('2026-03-30T00:00:00+02:00'),
      'hour',
      'Europe/Berlin',
    );
    expect(spring).toHaveLength(23);
  });

  it('starts weeks on Monday and months on the 1st, from a bound inside the bucket', () => {
    // Wednesday 10 June 2026, 15:00 in New York: its week starts Monday 8 June.
    const weeks = bucketStarts(at('15:00:00'), at('15:00:00') + 8 * 86_400_000, 'week', TZ);
    expect(weeks).toEqual([Date.parse('2026-06-08T00:00:00-04:00'), Date.parse('2026-06-15T00:00:00-04:00')]);
    const months = bucketStarts(
      Date.parse('2026-10-15T00:00:00-04:00'),
      Date.parse('2027-01-01T00:00:00-05:00'),
      'month',
      TZ,
    );
    expect(months).toEqual([
      Date.parse('2026-10-01T00:00:00-04:00'),
      Date.parse('2026-11-01T00:00:00-04:00'),
      Date.parse('2026-12-01T00:00:00-05:00'),
    ]);
  });

  it('has 30-minute-offset hours in Kolkata', () => {
    const hours = bucketStarts(
      Date.parse('2026-06-01T00:00:00+05:30'),
      Date.parse('2026-06-01T03:00:00+05:30'),
      'hour',
      'Asia/Kolkata',
    );
    expect(hours).toEqual([0, 1, 2].map((h) => Date.parse(`2026-06-01T0${h}:00:00+05:30`)));
  });
});
