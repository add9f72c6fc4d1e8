import type { Aedes, AedesPublishPacket } from 'aedes';
import type { IngestTransport, MessageHandler } from './transport';

/**
 * Ingest inside the process that runs the embedded aedes broker: subscriptions and publishes go straight to the
 * broker object, with no socket and no credentials. The deliver callback is called at once; exactly-once comes
 * from the database (dedup on (device_id, seq)) and the device's resend-until-acked, not from MQTT.
 */
export function aedesTransport(broker: Aedes): IngestTransport {
  const subscriptions: { filter: string; deliver: (packet: AedesPublishPacket, cb: () => void) => void }[] =
    [];
  return {
    async subscribe(filters, onMessage: MessageHandler) {
      for (const filter of filters) {
        const deliver = (packet: AedesPublishPacket, cb: () => void) => {
          cb();
          const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
          onMessage(packet.topic, payload);
        };
        await new Promise<void>((resolve) => broker.subscribe(filter, deliver, resolve));
        subscriptions.push({ filter, deliver });
      }
    },
    publish(topic, payload) {
      return new Promise((resolve, reject) =>
        broker.publish(
          { cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain: false, dup: false },
          (err) => (err ? reject(err) : resolve()),
        ),
      );
    },
    async close() {
      for (const { filter, deliver } of subscriptions.splice(0)) {
        await new Promise<void>((resolve) => broker.unsubscribe(filter, deliver, resolve));
      }
    },
  };
}
