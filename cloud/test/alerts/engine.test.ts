import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRulePatch } from '@tally/proto';
import { validMessages } from '@tally/proto/fixtures';
import { createLogger } from '@tally/proto/log';
import { Deliverer, smtpMailer } from '../../src/alerts/delivery';
import { AlertEngine } from '../../src/alerts/engine';
import { updateAlertRule } from '../../src/db/queries/alerts';
import { sendDueReports } from '../../src/alerts/reports';
import { EventWriter } from '../../src/ingest/event-writer';
import { recordHeartbeat, recordOccupancy, recordStatus } from '../../src/ingest/records';
import { CloudBus, type BusEvents } from '../../src/live/bus';
import { DATABASES, type TestDatabase } from '../helpers/databases';
import { event, seedDevice, seedSite, waitFor } from '../ingest/support';

const log = createLogger('alerts-test', 'silent');
const MIN = 60_000;

/** A real HTTP webhook receiver; answers 500 to the first `failFirst` requests of each path. */
async function webhookReceiver(failFirst: number) {
  const received: { path: string; body: unknown }[] = [];
  const seen = new Map<string, number>();
  const server: Server = createServer((req: IncomingMessage, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      const n = (seen.get(req.url!) ?? 0) + 1;
      seen.set(req.url!, n);
      if (n <= failFirst || req.url === '/always-fails') {
        res.writeHead(500).end();
        return;
      }
      received.push({ path: req.url!, body: JSON.parse(data) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A real SMTP listener (smtp-server) that keeps every message it is given; no TLS or auth, as on a test relay. */
async function smtpReceiver() {
  const mails: { to: string[]; data: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (c: Buffer) => (data += c.toString()));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe.each(DATABASES)('alert engine on $kind', ({ fresh }) => {
  let db: TestDatabase;
  let hooks: Awaited<ReturnType<typeof webhookReceiver>>;
  let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
  let site: { orgId: string; siteId: string };
  let deviceId: string;
  let clock = Date.parse('2026-05-04T12:00:00Z');
  const bus = new CloudBus();
  const pushed: BusEvents['alert'][] = [];
  let deliverer: Deliverer;
  let engine: AlertEngine;

  async function rule(name: string, params: object, target: { webhook?: string; email?: string } = {}) {
    const [row] = await db.query<{ id: string }>(
      `INSERT INTO alert_rules (org_id, site_id, name, kind, params, webhook_url, email_to)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        site.orgId,
        site.siteId,
        name,
        (params as { kind: string }).kind,
        JSON.stringify(params),
        target.webhook ?? null,
        target.email ?? null,
      ],
    );
    return row!.id;
  }
  const events = (ruleId: string) =>
    db.query<{ state: string; subject: string; message: string }>(
      `SELECT state, subject, message FROM alert_events WHERE rule_id = $1 ORDER BY started_at`,
      [ruleId],
    );
  const tick = async () => {
    await engine.tick();
    await engine.settled();
  };

  beforeAll(async () => {
    db = await fresh();
    hooks = await webhookReceiver(1);
    smtp = await smtpReceiver();
    site = await seedSite(db, 'Europe/Berlin');
    deviceId = await seedDevice(db, site);
    bus.on('alert', (e) => pushed.push(e));
    deliverer = new Deliverer({
      database: db,
      log,
      mailer: smtpMailer(smtp.url, 'tally@test.invalid'),
      retryDelaysMs: [20, 20],
      // The receiver listens on 127.0.0.1, which webhooks may reach only when allowed.
      allowPrivateTargets: true,
    });
    engine = new AlertEngine({ database: db, deliverer, bus, log, now: () => clock });
  });
  afterAll(async () => {
    await hooks?.close();
    await smtp?.close();
    await db?.destroy();
  });

  it('fires occupancy above N only after M minutes, delivers by webhook (retried) and email, and resolves', async () => {
    const id = await rule(
      'Queue too long',
      { kind: 'occupancy_above', threshold: 5, forMinutes: 2, zoneId: 'queue' },
      { webhook: `${hooks.url}/occ`, email: 'ops@example.com' },
    );
    const info = { deviceId, orgId: site.orgId, siteId: site.siteId, timezone: 'Europe/Berlin' };
    const sample = (ts: number, person: number) => ({
      v: 1 as const,
      deviceId,
      sentAt: ts,
      samples: [{ cameraId: 'cam-1', zoneId: 'queue', ts, counts: { person } }],
    });
    await recordOccupancy(db, info, sample(clock, 7));
    await tick();
    expect(await events(id)).toEqual([]);
    // The agent samples every second: the latest sample is always current while it runs.
    clock += 3 * MIN;
    await recordOccupancy(db, info, sample(clock, 7));
    await tick();
    expect(await events(id)).toMatchObject([
      { state: 'firing', subject: 'queue', message: expect.stringContaining('occupancy of zone queue is 7') },
    ]);
    expect(pushed.at(-1)).toMatchObject({ ruleId: id, state: 'firing', siteId: site.siteId });
    // The receiver refused the first POST: delivered on the second attempt.
    expect(hooks.received.filter((r) => r.path === '/occ')).toHaveLength(1);
    expect(hooks.received[0]!.body).toMatchObject({
      type: 'alert',
      ruleName: 'Queue too long',
      alert: { state: 'firing' },
    });
    const [delivery] = await db.query<{ status: string; attempts: number }>(
      `SELECT status, attempts FROM alert_deliveries WHERE channel = 'webhook' AND target = $1`,
      [`${hooks.url}/occ`],
    );
    expect(delivery).toEqual({ status: 'delivered', attempts: 2 });
    await waitFor(() => smtp.mails.length >= 1, 'alert email');
    expect(smtp.mails[0]!.to).toEqual(['ops@example.com']);
    expect(smtp.mails[0]!.data).toMatch(/Subject: \[Tally\] ALERT: Queue too long/);

    // Still above: nothing new. Below: resolved, pushed and delivered.
    clock += MIN;
    await recordOccupancy(db, info, sample(clock, 7));
    await tick();
    expect(await events(id)).toHaveLength(1);
    await recordOccupancy(db, info, sample(clock, 1));
    await tick();
    expect(await events(id)).toMatchObject([{ state: 'resolved' }]);
    expect(pushed.at(-1)).toMatchObject({ ruleId: id, state: 'resolved' });
    expect(hooks.received.filter((r) => r.path === '/occ')).toHaveLength(2);
  });

  it('fires for an offline device from its status time and for a stalled camera, and survives a restart', async () => {
    const offline = await rule('Device offline', { kind: 'device_offline', forMinutes: 5 });
    const stalled = await rule('Camera stalled', { kind: 'camera_stalled', forMinutes: 5 });
    await recordStatus(db, { v: 1, deviceId, state: 'offline', ts: clock - 10 * MIN });
    const hb = validMessages.heartbeat;
    const info = { deviceId, orgId: site.orgId, siteId: site.siteId, timezone: 'Europe/Berlin' };
    await recordHeartbeat(db, info, {
      ...hb,
      deviceId,
      ts: clock,
      cameras: [{ ...hb.cameras[0]!, cameraId: 'cam-1', state: 'stalled', lastFrameAt: clock - 6 * MIN }],
    });
    await tick();
    expect(await events(offline)).toMatchObject([{ state: 'firing', subject: deviceId }]);
    expect(await events(stalled)).toMatchObject([{ state: 'firing', subject: `${deviceId}/cam-1` }]);

    // A new engine (a restart) reloads open alerts: it neither fires them again nor forgets to resolve them.
    engine = new AlertEngine({ database: db, deliverer, bus, log, now: () => clock });
    await tick();
    expect(await events(offline)).toHaveLength(1);
    await recordStatus(db, { v: 1, deviceId, state: 'online', ts: clock });
    await tick();
    expect(await events(offline)).toMatchObject([{ state: 'resolved' }]);
  });

  it('fires when counts over the period are below the threshold; records a webhook that never answers as failed', async () => {
    const id = await rule(
      'Too quiet',
      { kind: 'count_below', threshold: 1, periodMinutes: 60 },
      { webhook: `${hooks.url}/always-fails` },
    );
    await tick();
    expect(await events(id)).toMatchObject([
      { state: 'firing', message: expect.stringContaining('0 counted in the last 60 min') },
    ]);
    const [delivery] = await db.query<{ status: string; attempts: number; last_error: string }>(
      `SELECT status, attempts, last_error FROM alert_deliveries WHERE target = $1`,
      [`${hooks.url}/always-fails`],
    );
    expect(delivery).toMatchObject({
      status: 'failed',
      attempts: 3,
      last_error: expect.stringContaining('HTTP 500'),
    });
  });

  it('sends each daily report once, with totals and the previous period, by webhook and email', async () => {
    // A site of its own with counts, stored by the real ingest statement. Berlin is +02:00 in May, so the report
    // for 3 May covers [2 May 22:00Z, 3 May 22:00Z). Expected values are counted by hand from this list.
    const counted = await seedSite(db, 'Europe/Berlin');
    const counter = await seedDevice(db, counted);
    const at = (seq: number, iso: string, direction: 'in' | 'out') =>
      event(counter, seq, Date.parse(iso), { direction });
    const writer = new EventWriter(db, { log, onFlushed: () => undefined, onError: () => undefined });
    writer.enqueue({ deviceId: counter, ...counted, timezone: 'Europe/Berlin' }, [
      at(1, '2026-05-01T22:30:00Z', 'out'), // 2 May 00:30 local: previous period
      at(2, '2026-05-02T10:00:00Z', 'in'), // previous period
      at(3, '2026-05-02T22:30:00Z', 'in'), // 3 May 00:30 local: in the report
      at(4, '2026-05-03T10:00:00Z', 'in'), // 12:00 local, the busiest hour
      at(5, '2026-05-03T10:01:00Z', 'out'),
      at(6, '2026-05-03T22:30:00Z', 'in'), // 4 May 00:30 local: after the report
    ]);
    await writer.idle();
    await db.query(
      `INSERT INTO report_schedules (org_id, site_id, period, webhook_url, email_to) VALUES ($1, $2, 'daily', $3, 'boss@example.com')`,
      [counted.orgId, counted.siteId, `${hooks.url}/report`],
    );
    const mailsBefore = smtp.mails.length;
    expect(await sendDueReports(db, deliverer, clock)).toBe(1);
    expect(await sendDueReports(db, deliverer, clock)).toBe(0);
    const report = hooks.received.find((r) => r.path === '/report')!.body;
    expect(report).toMatchObject({
      type: 'report',
      period: 'daily',
      from: '2026-05-03T00:00:00+02:00',
      to: '2026-05-04T00:00:00+02:00',
      siteId: counted.siteId,
      totals: { total: 3, in: 2, out: 1, net: 1 },
      previousTotals: { total: 2, in: 1, out: 1, net: 0 },
      peak: { start: '2026-05-03T12:00:00+02:00', total: 2 },
    });
    await waitFor(() => smtp.mails.length > mailsBefore, 'report email');
    expect(smtp.mails.at(-1)!.data).toMatch(/Daily report for/);
  });

  it('does not keep an occupancy alert firing on the last value of a box that went offline', async () => {
    const id = await rule('Hall full', { kind: 'occupancy_above', threshold: 5, zoneId: 'hall' });
    const info = { deviceId, orgId: site.orgId, siteId: site.siteId, timezone: 'Europe/Berlin' };
    await recordStatus(db, { v: 1, deviceId, state: 'online', ts: clock });
    await recordOccupancy(db, info, {
      v: 1,
      deviceId,
      sentAt: clock,
      samples: [{ cameraId: 'cam-1', zoneId: 'hall', ts: clock, counts: { person: 9 } }],
    });
    await tick();
    expect(await events(id)).toMatchObject([{ state: 'firing', subject: 'hall' }]);
    // The box drops off (its last will): 9 is what it last saw, not what is there now.
    clock += MIN;
    await recordStatus(db, { v: 1, deviceId, state: 'offline', ts: clock });
    await tick();
    expect(await events(id)).toMatchObject([{ state: 'resolved', subject: 'hall' }]);
    clock += 10 * MIN;
    await tick();
    expect(await events(id)).toHaveLength(1);
  });

  it('starts an edited condition over and stops evaluating a disabled rule (their open alerts resolved by the change)', async () => {
    const id = await rule('Box gone', { kind: 'device_offline', forMinutes: 5 });
    const change = (patch: AlertRulePatch) => updateAlertRule(db, site.orgId, site.siteId, id, patch);
    await recordStatus(db, { v: 1, deviceId, state: 'offline', ts: clock });
    clock += 10 * MIN;
    await tick();
    expect(await events(id)).toMatchObject([{ state: 'firing', subject: deviceId }]);
    // Offline for 10 minutes, now asked for 30: the old alert is resolved, and nothing fires until 30 minutes pass.
    await change({ condition: { kind: 'device_offline', forMinutes: 30 } });
    await tick();
    expect(await events(id)).toMatchObject([{ state: 'resolved' }]);
    clock += 25 * MIN;
    await tick();
    expect(await events(id)).toMatchObject([{ state: 'resolved' }, { state: 'firing', subject: deviceId }]);
    await change({ enabled: false });
    clock += 60 * MIN;
    await tick();
    expect(await events(id)).toMatchObject([{ state: 'resolved' }, { state: 'resolved' }]);
  });
});
