import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LIVE_PROTOCOL, LIVE_TOKEN_PROTOCOL_PREFIX, type LiveMessage } from '@tally/proto';
import { createLogger } from '@tally/proto/log';
import { generateDeviceSecret, hashDeviceSecret } from '../../src/auth/device-secret';
import { startServer, type RunningServer } from '../../src/server';
import { testConfig } from '../app/build';
import { seedOrg, signedIn } from '../app/seed';
import { FakeDevice, range, waitFor } from '../ingest/support';

/**
 * End to end through `startServer` (PGlite, embedded aedes with device auth): a device publishes over MQTT with
 * its credentials, ingest stores the events, and the live WebSocket pushes them to the users who may see that site
 * and to nobody else.
 */
describe('live WebSocket', () => {
  let server: RunningServer;
  let device: FakeDevice;
  let siteA1: string;
  const sockets: { ws: WebSocket; messages: LiveMessage[]; closed?: number }[] = [];
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    const config = testConfig({ port: 0, host: '127.0.0.1', mqttPort: 0, mqttWsPort: 0 });
    server = await startServer(config, {
      log: createLogger('live-test', 'silent'),
    });
    const { database } = server.ctx;
    const db = database.db;
    const a = await seedOrg(db, 'A');
    const b = await seedOrg(db, 'B');
    const site = async (orgId: string) =>
      (
        await database.query<{ id: string }>(
          `INSERT INTO sites (org_id, name, timezone) VALUES ($1, 'S', 'Europe/Berlin') RETURNING id`,
          [orgId],
        )
      )[0]!.id;
    siteA1 = await site(a);
    const siteA2 = await site(a);
    await site(b);
    const secret = generateDeviceSecret();
    await database.query(
      `INSERT INTO devices (id, org_id, site_id, name, secret_hash) VALUES ('live-dev-1', $1, $2, 'gate', $3)`,
      [a, siteA1, hashDeviceSecret(secret)],
    );
    const bearer = async (orgId: string, role: 'owner' | 'site_manager', sites: string[] = []) =>
      (await signedIn(server.app, db, orgId, role, sites)).headers.authorization.slice('Bearer '.length);
    tokens.ownerA = await bearer(a, 'owner');
    tokens.managerA1 = await bearer(a, 'site_manager', [siteA1]);
    tokens.managerA2 = await bearer(a, 'site_manager', [siteA2]);
    tokens.ownerB = await bearer(b, 'owner');
    const port = server.ctx.broker!.ports.mqtt;
    device = await FakeDevice.connect(`mqtt://127.0.0.1:${port}`, 'live-dev-1', {
      username: 'live-dev-1',
      password: secret,
    });
  });
  afterAll(async () => {
    for (const s of sockets) s.ws.terminate();
    await device?.close();
    await server?.stop();
  });

  async function open(token: string) {
    // As a browser does: the token as a subprotocol, never in the URL.
    const url = `${server.url.replace('http', 'ws')}/api/live`;
    const entry: (typeof sockets)[number] = {
      ws: new WebSocket(url, [LIVE_PROTOCOL, `${LIVE_TOKEN_PROTOCOL_PREFIX}${token}`]),
      messages: [],
    };
    entry.ws.on('message', (data) => entry.messages.push(JSON.parse(data.toString()) as LiveMessage));
    entry.ws.on('close', (code) => (entry.closed = code));
    sockets.push(entry);
    await waitFor(() => entry.messages.length > 0 || entry.closed !== undefined, 'hello or close');
    return entry;
  }

  it('pushes new counts to users who may read the site, and nothing to anyone else', async () => {
    const owner = await open(tokens.ownerA!);
    const manager = await open(tokens.managerA1!);
    const otherSite = await open(tokens.managerA2!);
    const otherOrg = await open(tokens.ownerB!);
    expect(owner.messages[0]).toMatchObject({ type: 'hello', siteIds: 'all' });
    expect(manager.messages[0]).toMatchObject({ type: 'hello', siteIds: [siteA1] });

    await device.sendEvents(range(1, 3));
    await waitFor(() => owner.messages.some((m) => m.type === 'counts'), 'counts on the owner socket');
    await waitFor(() => manager.messages.some((m) => m.type === 'counts'), 'counts on the manager socket');
    const counts = owner.messages.filter((m) => m.type === 'counts');
    const total = counts
      .flatMap((m) => (m.type === 'counts' ? m.items : []))
      .reduce((n, i) => n + i.count, 0);
    expect(total).toBe(3);
    expect(counts.every((m) => m.siteId === siteA1)).toBe(true);
    // Same bus emission, same tick: had they been eligible, they would have it by now.
    expect(otherSite.messages.map((m) => m.type)).toEqual(['hello']);
    expect(otherOrg.messages.map((m) => m.type)).toEqual(['hello']);

    // A replayed batch is acked again but is not news.
    await device.sendEvents(range(1, 3));
    await waitFor(() => device.acks.length >= 2, 'second ack');
    await device.sendEvents([4]);
    await waitFor(
      () => owner.messages.filter((m) => m.type === 'counts').length >= counts.length + 1,
      'seq 4',
    );
    const after = owner.messages.filter((m) => m.type === 'counts').slice(counts.length);
    expect(after.flatMap((m) => (m.type === 'counts' ? m.items : [])).reduce((n, i) => n + i.count, 0)).toBe(
      1,
    );
  });

  it('pushes device status changes', async () => {
    const owner = await open(tokens.ownerA!);
    await device.sendRaw(`tally/v1/live-dev-1/status`, {
      v: 1,
      deviceId: 'live-dev-1',
      state: 'online',
      ts: Date.now(),
    });
    await waitFor(
      () => owner.messages.some((m) => m.type === 'device_status' && m.state === 'online'),
      'status',
    );
  });

  it('exports ingest counters on /metrics', async () => {
    const body = await waitFor(async () => {
      const res = await server.app.inject({ method: 'GET', url: '/metrics' });
      return /tally_ingest_events_total\{result="inserted"\} 4\b/.test(res.body) ? res.body : null;
    }, 'ingest counters');
    expect(body).toMatch(/tally_ingest_events_total\{result="duplicate"\} 3\b/);
    expect(body).toMatch(/tally_ingest_backlog_events 0\b/);
  });

  it('refuses a socket without a valid token (close code 4001)', async () => {
    const bad = await open('not-a-token');
    await waitFor(() => bad.closed !== undefined, 'close');
    expect(bad.closed).toBe(4001);
  });
});
