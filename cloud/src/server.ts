import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { createLogger } from '@tally/proto/log';
import { buildApp, type Publish } from './app';
import { verifyDeviceCredentials } from './auth/device-credentials';
import { startEmbeddedBroker, type EmbeddedBroker } from './broker/embedded';
import type { CloudConfig } from './config';
import { publicMqttUrl } from './config-push/public-urls';
import { configRepublishStage } from './config-push/republish';
import { cameraUrlsAtRestStage } from './secrets/camera-urls-at-rest';
import { openDatabase, type Database } from './db/client';
import { lockDataDir } from './db/data-dir-lock';
import { ingestStage } from './ingest/stage';
import { silenceWatchStage } from './devices/silence-watch';
import { alertStage } from './alerts/stage';
import { homeAssistantStage } from './integrations/home-assistant-stage';
import { setupStage } from './auth/setup-stage';
import { createMetrics, type Metrics } from './plugins/app/metrics';

/** A part of the running cloud with an explicit lifecycle. Started in order, stopped in reverse. */
export interface Stage {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** What stages (ingest consumer, alert engine…) get from the server. */
export interface ServerContext {
  config: CloudConfig;
  log: Logger;
  database: Database;
  /** The cloud's MQTT client: on the embedded broker (trusted) or the external one (MQTT_URL). */
  mqtt: MqttClient;
  /** 'embedded': subscribe to `allDevicesFilter(c)`; 'external': use `sharedFilter(config.mqttShareGroup, c)`. */
  brokerMode: 'embedded' | 'external';
  publish: Publish;
  metrics: Metrics;
  /** In-process events shared with the HTTP app (`app.deps.bus`). */
  bus: EventEmitter;
  /** The embedded broker when brokerMode is 'embedded'. */
  broker?: EmbeddedBroker;
}

export type StageFactory = (ctx: ServerContext) => Stage;

/**
 * Stages started after the database and broker and before HTTP listens, in this order (stopped in reverse). Other
 * parts add theirs here (ingest consumer, rollups, alert engine), or pass them to startServer().
 */
export const STAGES: StageFactory[] = [
  ingestStage,
  alertStage,
  silenceWatchStage,
  homeAssistantStage,
  setupStage,
];

export interface StartOptions {
  log?: Logger;
  stages?: StageFactory[];
  plugins?: FastifyPluginAsync[];
}

export interface RunningServer {
  ctx: ServerContext;
  app: FastifyInstance;
  /** Where the HTTP API listens. */
  url: string;
  stop(): Promise<void>;
}

function publisherFor(client: MqttClient): Publish {
  return (topic, payload, opts) =>
    new Promise((resolve, reject) => {
      client.publish(topic, payload, { retain: opts.retain, qos: opts.qos ?? 1 }, (err) =>
        err ? reject(err) : resolve(),
      );
    });
}

async function connectClient(url: string, options: mqtt.IClientOptions): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 1000, ...options });
  return client;
}

/**
 * Starts the whole cloud: database (migrated) → broker (embedded aedes, or a client of MQTT_URL) → stages → HTTP.
 * Stops in reverse on stop() (SIGTERM in `serve`).
 */
export async function startServer(config: CloudConfig, options: StartOptions = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger('cloud', config.logLevel);
  const started: Array<{ name: string; stop(): Promise<void> }> = [];
  let releaseDevices = () => {};
  const stagesUp = new Promise<void>((resolve) => (releaseDevices = resolve));
  // Stopping (or failing to start) releases devices waiting to be answered; the broker then refuses or closes them.
  started.push({ name: 'device-gate', stop: async () => releaseDevices() });
  const stopAll = async () => {
    for (const s of started.reverse()) {
      try {
        await s.stop();
        log.info({ stage: s.name }, 'stopped');
      } catch (err) {
        log.error({ err, stage: s.name }, 'stop failed');
      }
    }
    started.length = 0;
  };

  try {
    if (!config.databaseUrl) {
      const lock = lockDataDir(config.dataDir);
      started.push({ name: 'data-dir-lock', stop: async () => lock.release() });
    }
    const database = await openDatabase(
      config.databaseUrl
        ? { url: config.databaseUrl, log: log.child({ component: 'db' }) }
        : { dataDir: join(config.dataDir, 'pglite') },
    );
    started.push({ name: 'database', stop: () => database.close() });
    log.info({ kind: database.kind }, 'database ready');

    let broker: EmbeddedBroker | undefined;
    let client: MqttClient;
    if (config.mqttUrl) {
      client = await connectClient(config.mqttUrl, {
        clientId: `tally-cloud-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
        ...(config.mqttUsername ? { username: config.mqttUsername, password: config.mqttPassword } : {}),
      });
    } else {
      broker = await startEmbeddedBroker({
        port: config.mqttPort,
        wsPort: config.mqttWsPort,
        wsHost: config.mqttWsHost,
        ...(config.tlsCert && config.tlsKey
          ? {
              tls: {
                cert: config.tlsCert,
                key: config.tlsKey,
                port: config.mqttTlsPort,
                wssPort: config.mqttWssPort,
              },
            }
          : {}),
        // A device is answered only once every stage (ingest's subscription first) is up: one that connected
        // earlier would publish into a broker nobody listens to yet and wait out its ack timeout.
        authenticateDevice: async (username, password) => {
          await stagesUp;
          return (await verifyDeviceCredentials(database.db, username, password))?.deviceId ?? null;
        },
        log: log.child({ component: 'broker' }),
      });
      const b = broker;
      started.push({ name: 'broker', stop: () => b.close() });
      client = await connectClient(`mqtt://127.0.0.1:${broker.ports.mqtt}`, {
        clientId: `tally-cloud-internal-${process.pid}`,
        username: broker.internal.username,
        password: broker.internal.password,
      });
    }
    const mqttClient = client;
    started.push({ name: 'mqtt-client', stop: () => mqttClient.endAsync() });

    const ctx: ServerContext = {
      config,
      log,
      database,
      mqtt: client,
      brokerMode: broker ? 'embedded' : 'external',
      publish: publisherFor(client),
      metrics: createMetrics({ defaultMetrics: true }),
      bus: new EventEmitter(),
      ...(broker ? { broker } : {}),
    };

    for (const factory of [
      cameraUrlsAtRestStage,
      configRepublishStage,
      ...STAGES,
      ...(options.stages ?? []),
    ]) {
      const stage = factory(ctx);
      await stage.start();
      started.push(stage);
      log.info({ stage: stage.name }, 'started');
    }
    releaseDevices();

    const app = await buildApp({
      database,
      publish: ctx.publish,
      config,
      log,
      metrics: ctx.metrics,
      bus: ctx.bus,
      brokerReady: () => (broker ? broker.isUp() : false) || client.connected,
      deviceMqttUrl: publicMqttUrl(config, broker?.ports.mqtt),
      disconnectDevice: (deviceId) => {
        broker?.disconnectDevice(deviceId);
      },
      ...(options.plugins ? { plugins: options.plugins } : {}),
      ...(dashboardDir(config) ? { dashboardDir: dashboardDir(config) } : {}),
    });
    started.push({ name: 'http', stop: () => app.close() });
    const url = await app.listen({ port: config.port, host: config.host });
    log.info({ url, mqtt: broker?.ports ?? config.mqttUrl }, 'tally cloud listening');
    if (!dashboardDir(config)) {
      log.warn(
        {
          hint: 'pnpm --filter @tally/dashboard build (bash scripts/setup.sh does it), or set DASHBOARD_DIR',
        },
        'no built dashboard: only the API is served',
      );
    }
    return { ctx, app, url, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** The built dashboard: DASHBOARD_DIR, or dashboard/dist beside this package when it was built. */
function dashboardDir(config: CloudConfig): string | undefined {
  if (config.dashboardDir) return config.dashboardDir;
  const built = new URL('../../dashboard/dist', import.meta.url).pathname;
  return existsSync(join(built, 'index.html')) ? built : undefined;
}
