import mqtt, { type MqttClient } from 'mqtt';
import {
  deviceClientId,
  encodeMessage,
  SCHEMA_VERSION,
  statusMessage,
  topics,
  type CountEvent,
  type DeviceConfig,
  type ProvisionResponse,
} from '@tally/proto';

/** One count to publish; the simulator fills in the device, sequence number and track. */
export type SimulatedEvent = Pick<CountEvent, 'cameraId' | 'ruleId' | 'kind' | 'objectClass' | 'ts'> &
  Partial<Pick<CountEvent, 'direction' | 'dwellMs'>>;

/**
 * A device speaking the real MQTT contract with the credentials the cloud gave it at provisioning: it connects with
 * its last will, publishes `online`, answers each pushed config with `config/applied`, and publishes EventBatch,
 * OccupancyBatch and Heartbeat messages (validated by proto's encoder, as the edge agent's are). It stands in for
 * an edge agent where the test needs exact, known counts rather than what the detector happens to see.
 */
export class DeviceSimulator {
  private seq = 0;
  private constructor(
    readonly deviceId: string,
    private readonly client: MqttClient,
  ) {}

  static async connect(provisioned: ProvisionResponse): Promise<DeviceSimulator> {
    const { deviceId } = provisioned;
    const client = await mqtt.connectAsync(provisioned.mqtt.url, {
      clientId: deviceClientId(deviceId), // the broker binds the client id to the device
      username: provisioned.mqtt.username,
      password: provisioned.mqtt.password,
      reconnectPeriod: 1000,
      will: {
        topic: topics.status(deviceId),
        payload: Buffer.from(JSON.stringify(statusMessage(deviceId, 'offline'))),
        qos: 1,
        retain: true,
      },
    });
    const sim = new DeviceSimulator(deviceId, client);
    client.on('message', (topic, payload) => {
      if (topic === topics.config(deviceId))
        void sim.applyConfig(JSON.parse(payload.toString()) as DeviceConfig);
    });
    await client.subscribeAsync([topics.config(deviceId), topics.ack(deviceId)], { qos: 1 });
    await client.publishAsync(
      topics.status(deviceId),
      encodeMessage('status', statusMessage(deviceId, 'online')),
      {
        qos: 1,
        retain: true,
      },
    );
    return sim;
  }

  /** Publishes one EventBatch with the next sequence numbers. */
  async sendEvents(events: SimulatedEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += 5000) {
      const batch = {
        v: SCHEMA_VERSION,
        deviceId: this.deviceId,
        sentAt: Date.now(),
        events: events.slice(i, i + 5000).map((e): CountEvent => ({
          deviceId: this.deviceId,
          seq: ++this.seq,
          trackId: this.seq,
          confidence: 0.9,
          ...e,
        })),
      };
      await this.client.publishAsync(topics.events(this.deviceId), encodeMessage('events', batch), {
        qos: 1,
      });
    }
  }

  async sendOccupancy(cameraId: string, zoneId: string, counts: Record<string, number>, ts = Date.now()) {
    const batch = {
      v: SCHEMA_VERSION,
      deviceId: this.deviceId,
      sentAt: Date.now(),
      samples: [{ cameraId, zoneId, ts, counts }],
    };
    await this.client.publishAsync(topics.occupancy(this.deviceId), encodeMessage('occupancy', batch), {
      qos: 1,
    });
  }

  async sendHeartbeat(cameras: { cameraId: string; fps: number }[]): Promise<void> {
    const hb = {
      v: SCHEMA_VERSION,
      deviceId: this.deviceId,
      ts: Date.now(),
      uptimeS: 120,
      versions: { agent: 'simulator-0.1.0', schema: SCHEMA_VERSION },
      outbox: { backlog: 0, lastSeq: this.seq, ackedSeq: this.seq },
      disk: { usedBytes: 1_000_000, budgetBytes: 1_000_000_000, foldedEvents: 0 },
      cameras: cameras.map((c) => ({
        cameraId: c.cameraId,
        state: 'live' as const,
        fps: c.fps,
        detectorLatencyMs: { p50: 9, p95: 14 },
        framesProcessed: 1200,
        framesDropped: 0,
        lastFrameAt: Date.now(),
      })),
    };
    await this.client.publishAsync(topics.heartbeat(this.deviceId), encodeMessage('heartbeat', hb), {
      qos: 1,
    });
  }

  private async applyConfig(config: DeviceConfig): Promise<void> {
    const applied = {
      v: SCHEMA_VERSION,
      deviceId: this.deviceId,
      version: config.version,
      hash: config.hash,
      status: 'applied' as const,
      ts: Date.now(),
    };
    await this.client.publishAsync(
      topics.configApplied(this.deviceId),
      encodeMessage('config/applied', applied),
      {
        qos: 1,
      },
    );
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}
