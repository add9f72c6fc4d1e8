import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { IngestTransport, MessageHandler } from './transport';

/**
 * Ingest over an MQTT connection (external broker via MQTT_URL, or the embedded one over TCP in tests). A clean
 * session is not used: with a fixed clientId the broker keeps QoS 1 messages queued across a short reconnect.
 */
export async function connectMqttTransport(
  url: string,
  options: IClientOptions = {},
): Promise<IngestTransport> {
  const client = await mqtt.connectAsync(url, {
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    ...options,
  });
  return mqttTransport(client);
}

export function mqttTransport(client: MqttClient): IngestTransport {
  let handler: MessageHandler | undefined;
  client.on('message', (topic, payload) => handler?.(topic, payload));
  return {
    async subscribe(filters, onMessage) {
      handler = onMessage;
      const granted = await client.subscribeAsync([...filters], { qos: 1 });
      const refused = granted.filter((g) => g.qos === 128);
      if (refused.length > 0) {
        throw new Error(
          `broker refused subscriptions ${refused.map((g) => g.topic).join(', ')}: check its ACL`,
        );
      }
    },
    async publish(topic, payload) {
      await client.publishAsync(topic, payload, { qos: 1, retain: false });
    },
    async close() {
      await client.endAsync();
    },
  };
}
