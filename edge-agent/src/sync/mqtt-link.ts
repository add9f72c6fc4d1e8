import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import {
  CLOUD_TO_DEVICE,
  deviceClientId,
  encodeMessage,
  parseTopic,
  statusMessage,
  topicFor,
  type ChannelPayload,
  type CloudToDeviceChannel,
  type DeviceToCloudChannel,
} from '@tally/proto';
import { OutageReport, type OutageLine } from './outage-report';

export interface MqttLinkOptions {
  url: string;
  deviceId: string;
  username?: string;
  password?: string;
  /** PEM CA bundle for mqtts; without it the system CAs verify the broker. The certificate is always verified. */
  caFile?: string;
  reconnectPeriodMs: number;
  keepaliveS: number;
  log: Logger;
  /** How often a broker outage is summarised in the log while it lasts (default 5 minutes). */
  outageSummaryMs?: number;
}

type InboundHandler = (payload: Buffer) => void;

/** The broker's refusal of our CONNECT (bad credentials, not authorised, client id rejected), while it lasts. */
export interface BrokerRefusal {
  since: number;
  message: string;
  attempts: number;
}

/** Backoff while the broker refuses us: doubling from the configured reconnect period up to this. */
const MAX_REFUSED_RETRY_MS = 60_000;

/**
 * The agent's one MQTT connection (mqtt.js, MQTT 3.1.1 so aedes and Mosquitto both serve it).
 *
 * - Persistent session: `clean: false` with a stable client id, so the broker keeps our subscriptions and queues
 *   QoS 1 acks, configs and commands while the box is away.
 * - The last will publishes a retained `status: offline`; every (re)connect publishes a retained `online`. Both
 *   carry the same timestamp, taken when the connection is made (the will is rebuilt before each reconnect): the
 *   cloud keeps the newer of two statuses, so a will stamped before its `online` would be ignored and a box that
 *   vanished would stay "online" for ever.
 * - A broker that refuses the CONNECT (e.g. credentials rotated or revoked) is retried for ever, with a doubling
 *   delay up to a minute, and `refusal` says so (health, heartbeat) until a connect succeeds.
 * - Inbound messages on our own `config`, `commands` and `ack` topics go to the handler registered for the channel;
 *   decoding is the handler's business (it must answer malformed input on a result topic).
 */
/** A CONNACK refusal (MQTT 3.1.1 codes 1–5), as mqtt.js reports it. */
function isRefusal(err: Error): boolean {
  const code = (err as Error & { code?: unknown }).code;
  return typeof code === 'number' && code >= 1 && code <= 5 && /refused/i.test(err.message);
}

export class MqttLink {
  private client: MqttClient | undefined;
  private readonly handlers = new Map<CloudToDeviceChannel, InboundHandler>();
  private readonly connectListeners: (() => void)[] = [];
  /** The last connection error (e.g. a certificate the CA does not vouch for), for health and tests. */
  lastError: string | undefined;
  /** Set while the broker refuses us; cleared by the next successful connect. */
  refusal: BrokerRefusal | undefined;
  /** The timestamp of this connection's `online` and of its last will. */
  private connectTs = Date.now();
  /** Refusals since the agent started (the heartbeat reports them once the box is back). */
  refusals = 0;
  lastRefusal: string | undefined;
  private readonly outage: OutageReport;

  constructor(private readonly opts: MqttLinkOptions) {
    this.outage = new OutageReport(opts.outageSummaryMs);
  }

  get connected(): boolean {
    return this.client?.connected === true;
  }

  get deviceId(): string {
    return this.opts.deviceId;
  }

  /** The cloud → device channels that have a handler (a test checks that every one in the contract does). */
  handledChannels(): CloudToDeviceChannel[] {
    return [...this.handlers.keys()];
  }

  on(channel: CloudToDeviceChannel, handler: InboundHandler): void {
    this.handlers.set(channel, handler);
  }

  /** Called after every successful (re)connect, once the subscriptions are in place. */
  onConnect(listener: () => void): void {
    this.connectListeners.push(listener);
  }

  start(): void {
    const { deviceId, log } = this.opts;
    this.connectTs = Date.now();
    const client = mqtt.connect(this.opts.url, this.clientOptions());
    this.client = client;
    client.on('connect', (ack) => {
      if (this.refusal) log.info({ refusedFor: this.refusal }, 'mqtt accepted again after refusals');
      this.refusal = undefined;
      client.options.reconnectPeriod = this.opts.reconnectPeriodMs;
      this.logOutage(this.outage.connected(Date.now()));
      log.info({ url: this.opts.url, sessionPresent: ack.sessionPresent }, 'mqtt connected');
      void this.afterConnect(client).catch((err: Error) =>
        log.warn({ err: err.message }, 'mqtt subscribe failed'),
      );
    });
    // An outage is logged once, then summarised every few minutes (OutageReport), never once per retry.
    const failed = (reason: string) => {
      if (this.client === client) this.logOutage(this.outage.failed(Date.now(), reason));
    };
    client.on('close', () => {
      log.debug('mqtt connection closed');
      failed('');
    });
    client.on('reconnect', () => {
      this.connectTs = Date.now();
      if (client.options.will) client.options.will.payload = this.willPayload();
      this.logOutage(this.outage.retrying(Date.now()));
    });
    client.on('offline', () => failed(''));
    client.on('error', (err) => {
      this.lastError = err.message;
      // A refusal (bad credentials, a revoked box) is logged by onRefused with its own backoff.
      if (isRefusal(err)) this.onRefused(client, err.message);
      else failed(err.message);
    });
    client.on('message', (topic, payload) => {
      const parsed = parseTopic(topic);
      if (!parsed || parsed.deviceId !== deviceId) return;
      const handler = this.handlers.get(parsed.channel as CloudToDeviceChannel);
      if (!handler) return;
      try {
        handler(payload);
      } catch (err) {
        // A handler bug must not take the connection (and counting) down.
        log.error({ err, channel: parsed.channel }, 'inbound handler failed');
      }
    });
  }

  /** Publishes a validated message at QoS 1; resolves on the broker's PUBACK. */
  publish<C extends DeviceToCloudChannel>(
    channel: C,
    message: ChannelPayload<C>,
    options: { retain?: boolean } = {},
  ): Promise<void> {
    const client = this.client;
    if (!client) return Promise.reject(new Error('mqtt link not started'));
    const payload = encodeMessage(channel, message);
    return new Promise((resolve, reject) => {
      client.publish(
        topicFor(this.opts.deviceId, channel),
        payload,
        { qos: 1, retain: options.retain ?? false },
        (err) => (err ? reject(err) : resolve()),
      );
    });
  }

  /**
   * Switches to a rotated password: a clean DISCONNECT (no last will: the box is not going offline), then a new
   * CONNECT with it. The persistent session carries over; anything unacknowledged is resent from the store.
   */
  async useCredentials(password: string): Promise<void> {
    this.opts.password = password;
    const client = this.client;
    if (!client) return;
    client.options.password = password;
    await client.endAsync();
    if (this.client === client) client.reconnect();
  }

  /** Says goodbye (retained offline, so the cloud knows it was deliberate) and disconnects. */
  async stop(): Promise<void> {
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    if (client.connected) {
      await Promise.race([
        new Promise<void>((resolve) =>
          client.publish(
            topicFor(this.opts.deviceId, 'status'),
            encodeMessage('status', statusMessage(this.opts.deviceId, 'offline')),
            { qos: 1, retain: true },
            () => resolve(),
          ),
        ),
        new Promise((r) => setTimeout(r, 2000)),
      ]);
    }
    // Forced: a plain end() waits until every in-flight QoS 1 message is acknowledged, which never happens once the
    // broker is gone (the agent hung on SIGTERM). Nothing is lost: unacknowledged counts stay in the store and are
    // sent again on the next start.
    await client.endAsync(true);
  }

  /** Runs before mqtt.js schedules the next attempt (reconnectOnConnackError), so the new delay applies to it. */
  private onRefused(client: MqttClient, message: string): void {
    const now = Date.now();
    this.refusals++;
    this.lastRefusal = message;
    this.refusal = {
      since: this.refusal?.since ?? now,
      message,
      attempts: (this.refusal?.attempts ?? 0) + 1,
    };
    const next = Math.min(
      Math.max(client.options.reconnectPeriod ?? 0, this.opts.reconnectPeriodMs) * 2,
      MAX_REFUSED_RETRY_MS,
    );
    client.options.reconnectPeriod = next;
    this.opts.log.error(
      { err: message, attempts: this.refusal.attempts, retryInMs: next },
      'mqtt: the broker refuses this box; counting goes on locally, retrying',
    );
  }

  private logOutage(line: OutageLine | undefined): void {
    if (!line) return;
    const { log, url } = this.opts;
    if (line.kind === 'started') {
      log.warn({ url, reason: line.reason }, 'mqtt broker unreachable: storing locally, will resend');
    } else if (line.kind === 'ongoing') {
      const { downForS, attempts, lastError } = line;
      log.warn(
        { url, downForS, attempts, lastError },
        'mqtt broker still unreachable: storing locally, will resend',
      );
    } else {
      log.info({ url, downForS: line.downForS, attempts: line.attempts }, 'mqtt broker reachable again');
    }
  }

  private async afterConnect(client: MqttClient): Promise<void> {
    const { deviceId } = this.opts;
    await client.subscribeAsync(
      CLOUD_TO_DEVICE.map((c) => topicFor(deviceId, c)),
      { qos: 1 },
    );
    await this.publish('status', statusMessage(deviceId, 'online', this.connectTs), { retain: true });
    for (const l of this.connectListeners) l();
  }

  private willPayload(): Buffer {
    return Buffer.from(encodeMessage('status', statusMessage(this.opts.deviceId, 'offline', this.connectTs)));
  }

  private clientOptions(): IClientOptions {
    const { deviceId } = this.opts;
    return {
      protocolVersion: 4,
      clientId: deviceClientId(deviceId),
      clean: false,
      keepalive: this.opts.keepaliveS,
      reconnectPeriod: this.opts.reconnectPeriodMs,
      connectTimeout: 10_000,
      ...(this.opts.username ? { username: this.opts.username } : {}),
      ...(this.opts.password ? { password: this.opts.password } : {}),
      ...(this.opts.caFile ? { ca: readFileSync(this.opts.caFile) } : {}),
      rejectUnauthorized: true,
      // mqtt.js stops for good after a refused CONNACK unless told otherwise; a box must never stop trying.
      reconnectOnConnackError: true,
      queueQoSZero: false,
      will: {
        topic: topicFor(deviceId, 'status'),
        payload: this.willPayload(),
        qos: 1,
        retain: true,
      },
    };
  }
}
