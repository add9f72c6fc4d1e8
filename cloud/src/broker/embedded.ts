import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import type { Logger } from 'pino';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { deviceMayPublish, deviceMaySubscribe, deviceMayUseClientId, readerMaySubscribe } from './acl';

/** Checks a device's MQTT credentials; resolves to its id, or null to refuse. */
export type DeviceAuthenticator = (username: string, password: string) => Promise<string | null>;

export interface EmbeddedBrokerOptions {
  host?: string;
  /** Bind address of the WebSocket listeners (ws, wss); default: loopback, browsers on this machine only. */
  wsHost?: string;
  /** MQTT over TCP; 0 picks a free port. */
  port: number;
  /** MQTT over WebSocket (for browsers); 0 picks a free port; null: off. */
  wsPort: number | null;
  /** With cert and key: also mqtts and wss. */
  tls?: { cert: string; key: string; port: number; wssPort: number | null };
  authenticateDevice: DeviceAuthenticator;
  log: Logger;
}

export interface EmbeddedBroker {
  aedes: Aedes;
  ports: { mqtt: number; ws: number | null; mqtts: number | null; wss: number | null };
  /** Credentials of the cloud's own in-process client, random per process and trusted by the ACL. */
  internal: { username: string; password: string };
  /** Closes every connection of a device now (revocation, rotated credentials). */
  disconnectDevice(deviceId: string): number;
  connectedDevices(): string[];
  /** A read-only login (integrations such as Home Assistant): may subscribe under `prefixes`, never publish. */
  addReader(reader: ReaderLogin): void;
  isUp(): boolean;
  close(): Promise<void>;
}

/** Device ids never start with `$`, so this username cannot collide with a device. */
const INTERNAL_USERNAME = '$tally-cloud';

export interface ReaderLogin {
  username: string;
  password: string;
  /** Topic prefixes it may subscribe under, e.g. `homeassistant/` and `tally/`. */
  prefixes: string[];
}

type TallyClient = Client & { tallyDeviceId?: string; tallyTrusted?: boolean; tallyReader?: ReaderLogin };

/** CONNACK codes (MQTT 3.1.1): 2 identifier rejected, 4 bad user name or password. */
function authError(message: string, returnCode: 2 | 4 = 4): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Aedes (MQTT 3.1.1) with Tally's device authentication and ACL, listening on TCP, WebSocket, and with TLS when a
 * certificate is given. Each device's connections are tracked so that revoking it closes them at once.
 */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const { log } = options;
  const internal = { username: INTERNAL_USERNAME, password: randomBytes(24).toString('base64url') };
  const byDevice = new Map<string, Set<TallyClient>>();
  const readers = new Map<string, ReaderLogin>();
  /** Bumped on each disconnectDevice(): an authentication that started before it is refused. */
  const generations = new Map<string, number>();
  let up = false;

  // Tracked from authentication, not 'clientReady': aedes sends CONNACK before it marks the client ready, so a
  // revocation in between would otherwise miss a device that already believes it is connected.
  const track = (deviceId: string, client: TallyClient) => {
    let set = byDevice.get(deviceId);
    if (!set) byDevice.set(deviceId, (set = new Set()));
    set.add(client);
    client.conn.once('close', () => {
      const current = byDevice.get(deviceId);
      current?.delete(client);
      if (current?.size === 0) byDevice.delete(deviceId);
    });
  };

  const aedes = await Aedes.createBroker({
    authenticate: (client, username, password, done) => {
      const c = client as TallyClient;
      const pass = password?.toString('utf8') ?? '';
      if (username === internal.username) {
        if (safeEqual(pass, internal.password)) {
          c.tallyTrusted = true;
          return done(null, true);
        }
        return done(authError('bad credentials'), false);
      }
      const reader = username ? readers.get(username) : undefined;
      if (reader) {
        if (!safeEqual(pass, reader.password)) return done(authError('bad credentials'), false);
        c.tallyReader = reader;
        return done(null, true);
      }
      if (!username) return done(authError('a username (the device id) is required'), false);
      const generation = generations.get(username) ?? 0;
      options.authenticateDevice(username, pass).then(
        (deviceId) => {
          if (!deviceId) {
            log.warn({ deviceId: username }, 'mqtt: device refused (unknown, revoked or wrong password)');
            return done(authError('bad credentials'), false);
          }
          // Revoked or rotated while its credentials were being checked: let it retry with fresh data.
          if ((generations.get(deviceId) ?? 0) !== generation)
            return done(authError('credentials changed'), false);
          // Checked before aedes registers the client: a foreign client id would otherwise close that device's
          // connection and hand this one its persistent session (queued config with camera passwords).
          if (!deviceMayUseClientId(deviceId, c.id)) {
            log.warn({ deviceId, clientId: c.id }, 'mqtt: device refused: client id not its own');
            return done(authError('client id must be the one the contract prescribes', 2), false);
          }
          c.tallyDeviceId = deviceId;
          track(deviceId, c);
          done(null, true);
        },
        (err: unknown) => {
          log.error({ err, deviceId: username }, 'mqtt: device authentication failed');
          done(Object.assign(new Error('server unavailable'), { returnCode: 3 }) as AuthenticateError, false);
        },
      );
    },
    authorizePublish: (client, packet, done) => {
      const c = client as TallyClient | null;
      if (!c || c.tallyTrusted) return done(null);
      if (c.tallyDeviceId && deviceMayPublish(c.tallyDeviceId, packet.topic)) return done(null);
      log.warn(
        { deviceId: c.tallyDeviceId, topic: packet.topic },
        'mqtt: publish outside the device prefix refused',
      );
      done(new Error('publish not allowed'));
    },
    authorizeSubscribe: (client, sub, done) => {
      const c = client as TallyClient;
      if (c.tallyTrusted) return done(null, sub);
      if (c.tallyDeviceId && deviceMaySubscribe(c.tallyDeviceId, sub.topic)) return done(null, sub);
      if (c.tallyReader && readerMaySubscribe(c.tallyReader.prefixes, sub.topic)) return done(null, sub);
      log.warn(
        { deviceId: c.tallyDeviceId, topic: sub.topic },
        'mqtt: subscription outside the device prefix refused',
      );
      // A null subscription answers SUBACK 0x80 (failure) without dropping the connection.
      done(null, null);
    },
  });

  aedes.on('clientError', (client, err) => {
    log.debug({ clientId: client.id, err: err.message }, 'mqtt: client error');
  });

  const host = options.host ?? '0.0.0.0';
  const servers: Array<NetServer | HttpServer> = [];
  const sockets = new Set<{ destroy(): void }>();
  const trackServer = <S extends NetServer | HttpServer>(server: S): S => {
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    servers.push(server);
    return server;
  };
  const wsHost = options.wsHost ?? '127.0.0.1';
  const listen = (server: NetServer | HttpServer, port: number, on = host) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, on, () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const withWebSocket = (server: HttpServer) => {
    const wss = new WebSocketServer({ server });
    wss.on('connection', (ws, request) => {
      aedes.handle(createWebSocketStream(ws), request);
    });
    return server;
  };

  const ports = {
    mqtt: 0,
    ws: null as number | null,
    mqtts: null as number | null,
    wss: null as number | null,
  };
  try {
    ports.mqtt = await listen(trackServer(createNetServer(aedes.handle)), options.port);
    if (options.wsPort !== null) {
      ports.ws = await listen(trackServer(withWebSocket(createHttpServer())), options.wsPort, wsHost);
    }
    if (options.tls) {
      const creds = { cert: readFileSync(options.tls.cert), key: readFileSync(options.tls.key) };
      ports.mqtts = await listen(trackServer(createTlsServer(creds, aedes.handle)), options.tls.port);
      if (options.tls.wssPort !== null) {
        ports.wss = await listen(
          trackServer(withWebSocket(createHttpsServer(creds))),
          options.tls.wssPort,
          wsHost,
        );
      }
    }
  } catch (err) {
    // A port in use: release what did start (listeners, aedes' timers), or the process that reports the error
    // would never exit.
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    throw err;
  }
  up = true;
  log.info({ ports }, 'embedded MQTT broker listening');

  return {
    aedes,
    ports,
    internal,
    disconnectDevice(deviceId) {
      generations.set(deviceId, (generations.get(deviceId) ?? 0) + 1);
      const set = byDevice.get(deviceId);
      if (!set) return 0;
      const n = set.size;
      for (const client of set) client.close();
      byDevice.delete(deviceId);
      log.info({ deviceId, connections: n }, 'mqtt: device disconnected by the cloud');
      return n;
    },
    connectedDevices: () => [...byDevice.keys()],
    addReader(reader) {
      readers.set(reader.username, reader);
    },
    isUp: () => up && !aedes.closed,
    async close() {
      up = false;
      // Stop accepting, then drop open connections (server.close() alone waits for them to end).
      const closing = servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
      for (const socket of sockets) socket.destroy();
      await Promise.all(closing);
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
    },
  };
}
