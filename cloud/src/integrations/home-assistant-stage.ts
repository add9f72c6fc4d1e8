import mqtt, { type MqttClient } from 'mqtt';
import { haAvailabilityTopic, haChanges, type HaMessage, type HaSiteState } from '@tally/proto';
import { haSiteStates } from '../db/queries/home-assistant';
import type { ServerContext, Stage } from '../server';
import { haReaderPrefixes, haSettingsFromEnv } from './home-assistant-settings';

type Sender = (topic: string, payload: string) => Promise<void>;

/**
 * The Home Assistant integration of `cloud serve` (opt-in, HA_MQTT=on; settings in home-assistant-settings.ts,
 * topics in proto's integrations/home-assistant.ts). Every HA_INTERVAL_S it reads each site's counts, occupancy
 * and devices and publishes, retained, what changed: discovery configs (so the entities appear in Home Assistant
 * without YAML) and the site's state. It publishes to HA_MQTT_URL when set, else to the cloud's own broker; on the
 * embedded broker it adds a read-only login for Home Assistant.
 */
export function homeAssistantStage(ctx: ServerContext, env: NodeJS.ProcessEnv = process.env): Stage {
  const settings = haSettingsFromEnv(env, ctx.config.dataDir);
  const log = ctx.log.child({ component: 'home-assistant' });
  let client: MqttClient | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  /** What each site last got; cleared on (re)connect so a broker that lost its retained messages gets them again. */
  const sent = new Map<string, { discovery: Map<string, HaMessage>; state: HaSiteState }>();

  const send: Sender = (topic, payload) =>
    client
      ? client.publishAsync(topic, payload, { qos: 1, retain: true }).then(() => undefined)
      : ctx.publish(topic, payload, { retain: true, qos: 1 });

  const tick = async () => {
    // While its own broker is away nothing is sent; the next connect clears `sent`, so everything goes again.
    if (!settings || (client && !client.connected)) return;
    const states = await haSiteStates(ctx.database, settings.orgId, Date.now());
    for (const state of states) {
      const { messages, discovery } = haChanges(settings.prefixes, sent.get(state.siteId), state);
      for (const m of messages) await send(m.topic, m.payload);
      sent.set(state.siteId, { discovery, state });
    }
  };
  const schedule = () => {
    if (running) return;
    running = tick()
      .catch((err: Error) =>
        log.warn({ err: err.message }, 'home assistant publish failed; retrying next interval'),
      )
      .finally(() => (running = null));
  };

  return {
    name: 'home-assistant',
    async start() {
      if (!settings) return;
      const availability = haAvailabilityTopic(settings.prefixes);
      if (settings.url) {
        // mqtt.connect (not connectAsync): a Home Assistant broker that is down must not stop the cloud.
        client = mqtt.connect(settings.url, {
          clientId: `tally-cloud-ha-${process.pid}`,
          reconnectPeriod: 5000,
          ...(settings.username ? { username: settings.username, password: settings.password } : {}),
          will: { topic: availability, payload: Buffer.from('offline'), qos: 1, retain: true },
        });
        client.on('connect', () => {
          sent.clear();
          void send(availability, 'online').catch(() => undefined);
          schedule();
        });
        client.on('error', (err) => log.warn({ err: err.message }, 'home assistant broker error'));
      } else {
        if (ctx.broker) {
          ctx.broker.addReader({ ...settings.reader, prefixes: haReaderPrefixes(settings.prefixes) });
          log.info(
            {
              username: settings.reader.username,
              ...(settings.reader.passwordFile ? { passwordFile: settings.reader.passwordFile } : {}),
              port: ctx.broker.ports.mqtt,
            },
            'home assistant: read-only MQTT login on the embedded broker',
          );
        }
        await send(availability, 'online');
      }
      log.info(
        { broker: settings.url ?? 'the cloud broker', prefixes: settings.prefixes },
        'home assistant integration on',
      );
      schedule();
      timer = setInterval(schedule, settings.intervalS * 1000);
      timer.unref();
    },
    async stop() {
      if (!settings) return;
      clearInterval(timer);
      const availability = haAvailabilityTopic(settings.prefixes);
      if (!client || client.connected) {
        await Promise.race([
          send(availability, 'offline').catch(() => undefined),
          new Promise((r) => setTimeout(r, 2000).unref()),
        ]);
      }
      // Forced: a publish waiting for an absent broker is dropped instead of holding the shutdown.
      await client?.endAsync(true);
      await running;
    },
  };
}
