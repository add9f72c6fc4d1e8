/**
 * A standalone box's Home Assistant integration: the same discovery and state topics as the cloud's
 * (proto/integrations/home-assistant.ts), published to a local broker from the box's own running totals, so a box
 * with no cloud still shows up in Home Assistant with no YAML. The box is the "site": its id names the topics.
 * Off unless `homeAssistant.url` is set in the agent settings.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import {
  haAvailabilityTopic,
  haChanges,
  type HaMessage,
  type HaSiteState,
  type HaTopicPrefixes,
} from '@tally/proto';
import type { RuleCount } from '../health/rule-counts';

export interface HaPublisherOptions {
  url: string;
  username?: string;
  password?: string;
  prefixes: HaTopicPrefixes;
  intervalS: number;
  deviceId: string;
  name: string;
  counts: () => RuleCount[];
  log: Logger;
}

/** The box's totals as a site state (pure). */
export function boxState(
  deviceId: string,
  name: string,
  counts: readonly RuleCount[],
  now: number,
): HaSiteState {
  const state: HaSiteState = { siteId: deviceId, name, updatedAt: now, lines: {}, zones: {}, devices: {} };
  for (const c of counts) {
    const key = `${c.cameraId}.${c.ruleId}`;
    if (c.kind === 'line') state.lines[key] = { name: c.name, in: c.in, out: c.out };
    else state.zones[key] = { name: c.name, occupancy: c.occupancy };
  }
  // Publishing at all means the box runs; when it stops, the availability topic says offline (its last will).
  state.devices[deviceId] = { name, online: true };
  return state;
}

export class HomeAssistantPublisher {
  private client: MqttClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private last: { discovery: Map<string, HaMessage>; state: HaSiteState } | undefined;
  private sending = false;

  constructor(private readonly o: HaPublisherOptions) {}

  start(): void {
    const availability = haAvailabilityTopic(this.o.prefixes);
    const client = mqtt.connect(this.o.url, {
      clientId: `tally-edge-ha-${this.o.deviceId}`,
      reconnectPeriod: 5000,
      ...(this.o.username ? { username: this.o.username, password: this.o.password } : {}),
      will: { topic: availability, payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    this.client = client;
    client.on('connect', () => {
      // A broker that restarted may have lost its retained messages: send everything again.
      this.last = undefined;
      client.publish(availability, 'online', { qos: 1, retain: true });
      void this.publish();
    });
    client.on('error', (err) => this.o.log.warn({ err: err.message }, 'home assistant broker error'));
    this.timer = setInterval(() => void this.publish(), this.o.intervalS * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    if (client.connected) {
      await Promise.race([
        client.publishAsync(haAvailabilityTopic(this.o.prefixes), 'offline', { qos: 1, retain: true }),
        new Promise((r) => setTimeout(r, 2000).unref()),
      ]).catch(() => undefined);
    }
    await client.endAsync(true);
  }

  private async publish(): Promise<void> {
    const client = this.client;
    if (!client?.connected || this.sending) return;
    this.sending = true;
    try {
      const state = boxState(this.o.deviceId, this.o.name, this.o.counts(), Date.now());
      const { messages, discovery } = haChanges(this.o.prefixes, this.last, state);
      for (const m of messages) await client.publishAsync(m.topic, m.payload, { qos: 1, retain: true });
      this.last = { discovery, state };
    } catch (err) {
      this.o.log.warn(
        { err: (err as Error).message },
        'home assistant publish failed; retrying next interval',
      );
    } finally {
      this.sending = false;
    }
  }
}
