import mqtt, { type MqttClient } from 'mqtt';
import { deviceClientId, isValidDeviceId } from '@tally/proto';
import { createLogger } from '@tally/proto/log';
import type { Publish } from '../../src/app';
import { verifyDeviceCredentials } from '../../src/auth/device-credentials';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../src/broker/embedded';
import type { TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from '../app/build';

export interface BrokerHarness {
  broker: EmbeddedBroker;
  cloud: MqttClient;
  t: TestApp;
  close(): Promise<void>;
}

/**
 * A real embedded aedes broker on free ports, authenticating devices against `database`, the cloud's trusted
 * in-process client on it, and the app publishing through that client: the same wiring as server.ts.
 */
export async function startHarness(
  database: TestDatabase,
  tls?: { cert: string; key: string },
): Promise<BrokerHarness> {
  const broker = await startEmbeddedBroker({
    host: '127.0.0.1',
    port: 0,
    wsPort: 0,
    ...(tls ? { tls: { ...tls, port: 0, wssPort: 0 } } : {}),
    authenticateDevice: async (u, p) => (await verifyDeviceCredentials(database.db, u, p))?.deviceId ?? null,
    log: createLogger('test-broker', process.env.TEST_BROKER_LOG ?? 'silent'),
  });
  const cloud = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.ports.mqtt}`, {
    username: broker.internal.username,
    password: broker.internal.password,
    reconnectPeriod: 0,
  });
  const publish: Publish = async (topic, payload, opts) => {
    await cloud.publishAsync(topic, payload, { retain: opts.retain, qos: opts.qos ?? 1 });
  };
  const t = await buildTestApp(database, {
    publish,
    disconnectDevice: (id) => {
      broker.disconnectDevice(id);
    },
    deviceMqttUrl: `mqtt://127.0.0.1:${broker.ports.mqtt}`,
    brokerReady: () => broker.isUp(),
  });
  return {
    broker,
    cloud,
    t,
    close: async () => {
      await t.close();
      await cloud.endAsync(true);
      await broker.close();
    },
  };
}

/**
 * Connects as a device, with the client id the contract prescribes for `username` unless `clientId` is given;
 * rejects when the broker refuses. No reconnects: tests see each refusal.
 */
export function connectDevice(
  url: string,
  username: string,
  password: string,
  clientId = isValidDeviceId(username) ? deviceClientId(username) : `not-a-device-${Date.now()}`,
): Promise<MqttClient> {
  return mqtt.connectAsync(url, {
    clientId,
    username,
    password,
    clean: false,
    reconnectPeriod: 0,
    connectTimeout: 10_000,
    rejectUnauthorized: false,
  });
}

/** Resolves when `client` is closed by the other side; rejects after the deadline (generous: a loaded machine). */
export function closed(client: MqttClient, deadlineMs = 30_000): Promise<void> {
  if (!client.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('client still connected')), deadlineMs);
    client.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Polls `check` until it holds or the deadline passes (generous: a loaded 2-core machine). */
export async function eventually(check: () => boolean, deadlineMs = 30_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 20));
  }
}
