/**
 * How ingest talks to a broker, whichever it is: the embedded aedes (in-process) or an external one over MQTT
 * (Mosquitto, EMQX) through mqtt.js. Ingest subscribes to device→cloud channels and publishes acks; nothing else.
 */
export type MessageHandler = (topic: string, payload: Buffer) => void;

export interface IngestTransport {
  /** Subscribes to each filter (plain or `$share/<group>/…`) at QoS 1; resolves once the broker granted them. */
  subscribe(filters: readonly string[], onMessage: MessageHandler): Promise<void>;
  /** Publishes at QoS 1, not retained. */
  publish(topic: string, payload: string): Promise<void>;
  close(): Promise<void>;
}
