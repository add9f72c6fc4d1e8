import { topics, type DeviceConfig } from '@tally/proto';
import type { Publish } from '../app';

/**
 * Two edits of one device commit v2 then v3, but their publishes may leave in the other order, and the broker
 * would then retain v2. Per publisher (one per process), publishes of a device run one after another and a
 * version lower than one already published is skipped, so the retained config is always the newest. (Several
 * cloud instances editing the same device at the same instant can still race; the next edit heals it.)
 */
const published = new WeakMap<Publish, Map<string, { version: number; chain: Promise<void> }>>();

export function publishConfig(publish: Publish, config: DeviceConfig): Promise<void> {
  let devices = published.get(publish);
  if (!devices) published.set(publish, (devices = new Map()));
  const entry = devices.get(config.deviceId) ?? { version: 0, chain: Promise.resolve() };
  const next = entry.chain
    .catch(() => undefined)
    .then(async () => {
      if (config.version <= entry.version) return;
      await publish(topics.config(config.deviceId), JSON.stringify(config), { retain: true, qos: 1 });
      entry.version = config.version;
    });
  entry.chain = next;
  devices.set(config.deviceId, entry);
  return next;
}
