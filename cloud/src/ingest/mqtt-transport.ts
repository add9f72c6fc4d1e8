import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { IngestTransport, MessageHandler } from './transport';

/**
 * Ingest over an MQTT connection (external broker via MQTT_URL, or the embedded one over TCP in tests). With a
 * stable clientId and `clean: false` the broker keeps ingest's subscriptions and queues QoS 1 messages while it is
 * away — across a reconnect and across a restart of the process. The queue is delivered right after CONNACK, so
 * the message listener is attached before connecting and holds what arrives until ingest subscribes.
 */
export async function connectMqttTransport(
  url: string,
  options: IClientOptions = {},
): Promise<IngestTransport> {
  const client = mqtt.connect(url, { reconnectPeriod: 1000, connectTimeout: 10_000, ...options });
  const transport = mqttTransport(client);
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
  } catch (err) {
    await client.endAsync(true);
    throw err;
  }
  return transport;
}

export function mqttTransport(client: MqttClient): IngestTransport {
  let handler: MessageHandler | undefined;
  // What a persistent session delivers before ingest has subscribed (at most the broker's queue).
  const early: [string, Buffer][] = [];
  client.on('message', (topic, payload) =>
    handler ? handler(topic, payload) : early.push([topic, payload]),
  );
  return {
    async subscribe(filters, onMessage) {
      handler = onMessage;
      for (const [topic, payload] of early.splice(0)) onMessage(topic, payload);
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
