import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CountEvent } from '@tally/proto';
import { buildCountsQuery } from '../../src/analytics/counts-query';
import { countsReport, dwellReport, occupancyReport } from '../../src/db/queries/analytics';
import { eventColumns, INSERT_EVENTS_SQL } from '../../src/ingest/event-statement';
import { recordOccupancy } from '../../src/ingest/records';
import { DATABASES, type TestDatabase } from '../helpers/databases';
import { seedDevice, seedSite } from '../ingest/support';

const HALF_HOUR = 30 * 60_000;

/** One event every half hour over [fromMs, toMs): seq%3 === 0 goes out, the rest in (2 in, 1 out). */
function halfHourly(deviceId: string, fromMs: number, toMs: number, firstSeq: number): CountEvent[] {
  const events: CountEvent[] = [];
  for (let t = fromMs, seq = firstSeq; t < toMs; t += HALF_HOUR, seq += 1) {
    events.push({
      deviceId,
      seq,
      cameraId: 'cam-1',
      ruleId: 'door',
      kind: 'line_cross',
      direction: seq % 3 === 0 ? 'out' : 'in',
      objectClass: seq % 2 === 0 ? 'person' : 'bicycle',
      trackId: seq,
      ts: t,
      confidence: 0.9,
    });
  }
  return events;
}

describe.each(DATABASES)('counts in site time on $kind', ({ fresh }) => {
  let db: TestDatabase;
  let berlin: { siteId: string; timezone: string };
  let kolkata: { siteId: string; timezone: string };
  let deviceId: string;
  let seq = 1;

  async function store(device: string, site: { orgId: string; siteId: string }, events: CountEvent[]) {
    const info = { deviceId: device, orgId: site.orgId, siteId: site.siteId, timezone: '' };
    await db.query(INSERT_EVENTS_SQL, eventColumns([{ device: info, events }]));
  }

  beforeAll(async () => {
    db = await fresh();
    const b = await seedSite(db, 'Europe/Berlin');
    berlin = { siteId: b.siteId, timezone: 'Europe/Berlin' };
    deviceId = await seedDevice(db, b);
    // Spring forward: 2026-03-29 02:00 CET → 03:00 CEST. Fall back: 2026-10-25 03:00 CEST → 02:00 CET.
    for (const [from, to] of [
      ['2026-03-27T00:00:00+01:00', '2026-04-01T00:00:00+02:00'],
      ['2026-10-23T00:00:00+02:00', '2026-10-28T00:00:00+01:00'],
    ] as const) {
      const events = halfHourly(deviceId, Date.parse(from), Date.parse(to), seq);
      seq += events.length;
      await store(deviceId, b, events);
    }
    const k = await seedSite(db, 'Asia/Kolkata');
    kolkata = { siteId: k.siteId, timezone: 'Asia/Kolkata' };
    const kDevice = await seedDevice(db, k);
    await store(
      kDevice,
      k,
      halfHourly(
        kDevice,
        Date.parse('2026-06-01T00:00:00+05:30'),
        Date.parse('2026-06-02T00:00:00+05:30'),
        1,
      ),
    );
  });
  afterAll(() => db?.destroy());

  const days = (report: Awaited<ReturnType<typeof countsReport>>) =>
    report.series[0]!.points.map((p) => [p.start, p.total]);

  it('gives the spring-forward day 23 hours and the fall-back day 25, in day buckets', async () => {
    const spring = await countsReport(db, berlin, {
      from: '2026-03-28T00:00:00+01:00',
      to: '2026-03-31T00:00:00+02:00',
      bucket: 'day',
    });
    expect(days(spring)).toEqual([
      ['2026-03-28T00:00:00+01:00', 48],
      ['2026-03-29T00:00:00+01:00', 46],
      ['2026-03-30T00:00:00+02:00', 48],
    ]);
    const autumn = await countsReport(db, berlin, {
      from: '2026-10-24T00:00:00+02:00',
      to: '2026-10-27T00:00:00+01:00',
      bucket: 'day',
    });
    expect(days(autumn)).toEqual([
      ['2026-10-24T00:00:00+02:00', 48],
      ['2026-10-25T00:00:00+02:00', 50],
      ['2026-10-26T00:00:00+01:00', 48],
    ]);
  });

  it('splits a fall-back day into 25 local hours, the repeated 02:00 told apart by its offset', async () => {
    const r = await countsReport(db, berlin, {
      from: '2026-10-25T00:00:00+02:00',
      to: '2026-10-26T00:00:00+01:00',
      bucket: 'hour',
    });
    const starts = r.series[0]!.points.map((p) => p.start);
    expect(starts).toHaveLength(25);
    expect(starts.slice(1, 5)).toEqual([
      '2026-10-25T01:00:00+02:00',
      '2026-10-25T02:00:00+02:00',
      '2026-10-25T02:00:00+01:00',
      '2026-10-25T03:00:00+01:00',
    ]);
    expect(r.series[0]!.points.every((p) => p.total === 2)).toBe(true);
    const spring = await countsReport(db, berlin, {
      from: '2026-03-29T00:00:00+01:00',
      to: '2026-03-30T00:00:00+02:00',
      bucket: 'hour',
    });
    const springStarts = spring.series[0]!.points.map((p) => p.start);
    expect(springStarts).toHaveLength(23);
    expect(springStarts.slice(1, 3)).toEqual(['2026-03-29T01:00:00+01:00', '2026-03-29T03:00:00+02:00']);
  });

  it('agrees between the day rollup and the hour rollup when the bounds force the hour table', async () => {
    const q = { from: '2026-03-28T00:00:00+01:00', to: '2026-03-31T00:00:00+02:00', bucket: 'day' as const };
    expect(
      buildCountsQuery({
        ...berlin,
        fromMs: Date.parse(q.from),
        toMs: Date.parse(q.to),
        bucket: 'day',
        groupBy: 'none',
      }).table,
    ).toBe('rollup_day');
    // One hour later on both ends: not local midnights, so the hour table answers; the middle day is unchanged.
    const shifted = await countsReport(db, berlin, {
      ...q,
      from: '2026-03-28T01:00:00+01:00',
      to: '2026-03-31T01:00:00+02:00',
    });
    expect(days(shifted)[1]).toEqual(['2026-03-29T00:00:00+01:00', 46]);
    expect(shifted.byKind.line_cross.total).toBe(48 - 2 + 46 + 48 + 2);
  });

  it('buckets weeks from Monday and months by the local calendar, with totals and net flow', async () => {
    const week = await countsReport(db, berlin, {
      from: '2026-03-23T00:00:00+01:00',
      to: '2026-04-06T00:00:00+02:00',
      bucket: 'week',
    });
    // Events run from Fri 27 March to Tue 31 March: Fri–Sun in the week of 23 March, Mon–Tue in the next.
    expect(days(week)).toEqual([
      ['2026-03-23T00:00:00+01:00', 48 + 48 + 46],
      ['2026-03-30T00:00:00+02:00', 48 + 48],
    ]);
    const month = await countsReport(db, berlin, {
      from: '2026-01-01T00:00:00+01:00',
      to: '2027-01-01T00:00:00+01:00',
      bucket: 'month',
    });
    // Twelve local months, the ten without events as zeros.
    expect(days(month)).toHaveLength(12);
    expect(days(month)[0]).toEqual(['2026-01-01T00:00:00+01:00', 0]);
    expect(days(month).filter(([, n]) => n !== 0)).toEqual([
      ['2026-03-01T00:00:00+01:00', 48 * 4 + 46],
      ['2026-10-01T00:00:00+02:00', 48 * 4 + 50],
    ]);
    const totals = month.byKind.line_cross;
    expect(totals.total).toBe(48 * 8 + 46 + 50);
    expect(totals.in + totals.out).toBe(totals.total);
    expect(totals.net).toBe(totals.in - totals.out);
    expect(totals.in).toBeGreaterThan(totals.out);
  });

  it('groups by direction and class, and compares with the previous period', async () => {
    const r = await countsReport(db, berlin, {
      from: '2026-03-30T00:00:00+02:00',
      to: '2026-04-01T00:00:00+02:00',
      bucket: 'day',
      groupBy: 'direction',
      compare: true,
    });
    expect(r.series.map((s) => s.key.direction).sort()).toEqual(['in', 'out']);
    expect(r.previous!.from).toBe('2026-03-28T00:00:00+01:00');
    expect(r.previous!.byKind.line_cross.total).toBe(48 + 46);
    expect(r.previous!.change.line_cross.total).toBeCloseTo((96 - 94) / 94, 4);
    const byClass = await countsReport(db, berlin, {
      from: '2026-03-30T00:00:00+02:00',
      to: '2026-03-31T00:00:00+02:00',
      bucket: 'day',
      groupBy: 'class',
    });
    expect(Object.fromEntries(byClass.series.map((s) => [s.key.objectClass, s.totals.total]))).toEqual({
      person: 24,
      bicycle: 24,
    });
  });

  it('puts a backfilled event, days late, into its own day', async () => {
    const b = { orgId: '', siteId: berlin.siteId };
    const [row] = await db.query<{ org_id: string }>(`SELECT org_id FROM sites WHERE id = $1`, [
      berlin.siteId,
    ]);
    b.orgId = row!.org_id;
    await store(
      deviceId,
      b,
      halfHourly(
        deviceId,
        Date.parse('2026-03-29T12:10:00+02:00'),
        Date.parse('2026-03-29T12:20:00+02:00'),
        seq,
      ),
    );
    seq += 1;
    const spring = await countsReport(db, berlin, {
      from: '2026-03-29T00:00:00+01:00',
      to: '2026-03-30T00:00:00+02:00',
      bucket: 'day',
    });
    expect(days(spring)).toEqual([['2026-03-29T00:00:00+01:00', 47]]);
    const quarter = await countsReport(db, berlin, {
      from: '2026-03-29T12:00:00+02:00',
      to: '2026-03-29T12:30:00+02:00',
      bucket: '15m',
    });
    // The 15 minutes from 12:00 hold the regular 12:00 event and the late 12:10 one; 12:15 has none (a zero).
    expect(days(quarter)).toEqual([
      ['2026-03-29T12:00:00+02:00', 2],
      ['2026-03-29T12:15:00+02:00', 0],
    ]);
  });

  it('buckets hours on the half hour in a +05:30 zone (from the minute rollup)', async () => {
    const q = { from: '2026-06-01T00:00:00+05:30', to: '2026-06-02T00:00:00+05:30', bucket: 'hour' as const };
    expect(
      buildCountsQuery({
        ...kolkata,
        fromMs: Date.parse(q.from),
        toMs: Date.parse(q.to),
        bucket: 'hour',
        groupBy: 'none',
      }).table,
    ).toBe('rollup_minute');
    const r = await countsReport(db, kolkata, q);
    expect(r.series[0]!.points).toHaveLength(24);
    expect(r.series[0]!.points[0]!.start).toBe('2026-06-01T00:00:00+05:30');
    expect(r.series[0]!.points.every((p) => p.total === 2)).toBe(true);
  });

  it('reports occupancy now and peak per zone, and dwell statistics from zone exits', async () => {
    const site = await seedSite(db, 'Europe/Berlin');
    const dev = await seedDevice(db, site);
    const info = { deviceId: dev, orgId: site.orgId, siteId: site.siteId, timezone: 'Europe/Berlin' };
    const t0 = Date.parse('2026-05-01T10:00:00+02:00');
    const sample = (ts: number, person: number, bicycle: number) => ({
      cameraId: 'cam-1',
      zoneId: 'queue',
      ts,
      counts: { person, bicycle },
    });
    await recordOccupancy(db, info, {
      v: 1,
      deviceId: dev,
      sentAt: t0,
      samples: [sample(t0, 2, 1), sample(t0 + 60_000, 7, 2), sample(t0 + 120_000, 1, 0)],
    });
    const ref = { siteId: site.siteId, timezone: 'Europe/Berlin' };
    // Answered 30 s after the last sample: current.
    const occ = await occupancyReport(db, ref, t0, t0 + 3_600_000, { now: t0 + 150_000 });
    expect(occ.now).toBe(1);
    expect(occ.zones).toEqual([
      expect.objectContaining({
        zoneId: 'queue',
        now: 1,
        peak: 9,
        peakAt: '2026-05-01T10:01:00+02:00',
        nowAt: '2026-05-01T10:02:00+02:00',
      }),
    ]);
    const exits = [10_000, 20_000, 30_000, 40_000].map((dwellMs, i) => ({
      deviceId: dev,
      seq: i + 1,
      cameraId: 'cam-1',
      ruleId: 'queue',
      kind: 'zone_exit' as const,
      objectClass: 'person',
      trackId: i,
      ts: t0 + i * 1000,
      confidence: 0.9,
      dwellMs,
    }));
    await store(dev, site, exits);
    const dwell = await dwellReport(db, ref, t0, t0 + 3_600_000);
    expect(dwell.zones).toEqual([
      {
        deviceId: dev,
        cameraId: 'cam-1',
        zoneId: 'queue',
        visits: 4,
        meanMs: 25_000,
        p50Ms: 25_000,
        p95Ms: 38_500,
        maxMs: 40_000,
      },
    ]);
  });
});
