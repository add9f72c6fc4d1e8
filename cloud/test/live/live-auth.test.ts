import { EventEmitter } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LIVE_PROTOCOL, LIVE_TOKEN_PROTOCOL_PREFIX, type LiveMessage } from '@tally/proto';
import type { BusEvents } from '../../src/live/bus';
import { freshPglite, type TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from '../app/build';
import { seedOrg, signedIn } from '../app/seed';
import { waitFor } from '../ingest/support';

interface Client {
  ws: WebSocket;
  messages: LiveMessage[];
  closed?: number;
  refused?: number;
}

/**
 * The live socket's authentication without a token in the URL (first message, subprotocol), extending a session
 * with a fresh token, and backpressure: a client that stops reading is closed (4008) instead of buffering without
 * bound. A real listening app and real `ws` clients over TCP; the bus events are emitted directly.
 */
describe('live socket: auth and backpressure', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;
  let orgId: string;
  let siteId: string;
  let token: string;
  let userId: string;
  const bus = new EventEmitter();
  const clients: Client[] = [];

  beforeAll(async () => {
    database = await freshPglite();
    t = await buildTestApp(database, { bus, configOverrides: { liveMaxBufferedBytes: 64 * 1024 } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `ws://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/api/live`;
    orgId = await seedOrg(database.db);
    [{ id: siteId }] = (await database.query<{ id: string }>(
      `INSERT INTO sites (org_id, name, timezone) VALUES ($1, 'S', 'Europe/Berlin') RETURNING id`,
      [orgId],
    )) as [{ id: string }];
    const owner = await signedIn(t.app, database.db, orgId, 'owner');
    token = owner.headers.authorization.slice('Bearer '.length);
    userId = owner.id;
  });
  afterAll(async () => {
    for (const c of clients) c.ws.terminate();
    await t?.close();
    await database?.destroy();
  });

  function connect(url: string, protocols?: string[]): Client {
    const client: Client = { ws: new WebSocket(url, protocols), messages: [] };
    client.ws.on('message', (d) => client.messages.push(JSON.parse(d.toString()) as LiveMessage));
    client.ws.on('close', (code) => (client.closed = code));
    client.ws.on('unexpected-response', (_req, res) => (client.refused = res.statusCode));
    client.ws.on('error', () => {});
    clients.push(client);
    return client;
  }
  const opened = (c: Client) =>
    waitFor(() => c.ws.readyState === WebSocket.OPEN || c.refused !== undefined, 'open');
  const counts = (n: number): BusEvents['counts'] => ({
    siteId,
    orgId,
    items: [
      {
        siteId,
        deviceId: 'd1',
        cameraId: 'c1',
        ruleId: 'r1',
        kind: 'line_cross',
        direction: 'in',
        objectClass: 'person',
        count: n,
        lastTs: Date.now(),
      },
    ],
  });
  const hellos = (c: Client) => c.messages.filter((m) => m.type === 'hello');
  /** An access token of `sub` that expires in `ttlS` seconds, signed with the app's key. */
  const tokenFor = (sub: string, ttlS: number) =>
    t.app.jwt.sign({ sub, org: orgId, typ: 'access' }, { expiresIn: ttlS });

  it('authenticates with the first message, then pushes events', async () => {
    const c = connect(base);
    await opened(c);
    c.ws.send(JSON.stringify({ type: 'auth', token }));
    await waitFor(() => hellos(c).length === 1, 'hello');
    expect(hellos(c)[0]).toMatchObject({ siteIds: 'all' });
    bus.emit('counts', counts(2));
    await waitFor(() => c.messages.some((m) => m.type === 'counts'), 'counts');
  });

  it('authenticates with the token subprotocol and answers only the tally protocol', async () => {
    const c = connect(base, [LIVE_PROTOCOL, `${LIVE_TOKEN_PROTOCOL_PREFIX}${token}`]);
    await waitFor(() => hellos(c).length === 1, 'hello');
    expect(c.ws.protocol).toBe(LIVE_PROTOCOL);
  });

  it('refuses a token in the URL (URLs are logged)', async () => {
    const c = connect(`${base}?token=${encodeURIComponent(token)}`);
    await waitFor(() => c.refused !== undefined || c.closed !== undefined, 'refusal');
    expect(c.refused).toBe(400);
  });

  it('closes with 4001 when the first message is not an auth message', async () => {
    const c = connect(base);
    await opened(c);
    c.ws.send(JSON.stringify({ hello: 'there' }));
    await waitFor(() => c.closed !== undefined, 'close');
    expect(c.closed).toBe(4001);
    expect(c.messages).toEqual([]);
  });

  it('extends the session with a fresh token of the same user, and closes on another user’s', async () => {
    const c = connect(base);
    await opened(c);
    const short = tokenFor(userId, 60);
    const long = tokenFor(userId, 3600);
    c.ws.send(JSON.stringify({ type: 'auth', token: short }));
    await waitFor(() => hellos(c).length === 1, 'first hello');
    c.ws.send(JSON.stringify({ type: 'auth', token: long }));
    await waitFor(() => hellos(c).length === 2, 'second hello');
    const exp = (jwt: string) => (t.app.jwt.decode<{ exp: number }>(jwt)!.exp ?? 0) * 1000;
    const [first, second] = hellos(c) as { expiresAt: number }[];
    expect(first!.expiresAt).toBe(exp(short));
    expect(second!.expiresAt).toBe(exp(long));
    expect(c.closed).toBeUndefined();

    const other = await signedIn(t.app, database.db, orgId, 'owner');
    c.ws.send(JSON.stringify({ type: 'auth', token: other.headers.authorization.slice(7) }));
    await waitFor(() => c.closed !== undefined, 'close');
    expect(c.closed).toBe(4001);
  });

  it('closes a client that stops reading (4008) instead of buffering without bound', async () => {
    const c = connect(base, [LIVE_PROTOCOL, `${LIVE_TOKEN_PROTOCOL_PREFIX}${token}`]);
    await waitFor(() => hellos(c).length === 1, 'hello');
    const listeners = bus.listenerCount('counts');
    // The browser stops reading: TCP buffers fill, then the server's own buffer would grow.
    const raw = (c.ws as unknown as { _socket: Socket })._socket;
    raw.pause();
    // Each message is ~20 kB; 4,000 of them (80 MB) is far past what the kernel's buffers can hold.
    const big = counts(1);
    big.items = Array.from({ length: 100 }, () => big.items[0]!);
    let sent = 0;
    await waitFor(
      async () => {
        for (let i = 0; i < 100 && sent < 4000; i++, sent++) bus.emit('counts', big);
        await new Promise((r) => setImmediate(r));
        return bus.listenerCount('counts') < listeners || sent >= 4000;
      },
      'the server to give up on the slow client',
      60_000,
    );
    // Its listener is gone: nothing more is buffered for it.
    expect(bus.listenerCount('counts')).toBe(listeners - 1);
    raw.resume();
    await waitFor(() => c.closed !== undefined, 'close', 60_000);
    expect(c.closed).toBe(4008);
  });
});
