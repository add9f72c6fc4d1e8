import { DEVICE_TO_CLOUD, deviceClientId, isUnderDevicePrefix, parseTopic } from '@tally/proto';

/**
 * The embedded broker's ACL, pure. A device publishes only device → cloud channels under its own prefix
 * (`tally/v1/<id>/events`, …) and subscribes only under its prefix (its config, commands, acks), and connects only
 * with its own client id (`deviceClientId`), so it can never take over another device's session. The cloud's own
 * client is trusted and bypasses these checks.
 */
const DEVICE_PUBLISHES: ReadonlySet<string> = new Set(DEVICE_TO_CLOUD);

export function deviceMayPublish(deviceId: string, topic: string): boolean {
  if (!isUnderDevicePrefix(topic, deviceId)) return false;
  const parsed = parseTopic(topic);
  return parsed !== null && parsed.deviceId === deviceId && DEVICE_PUBLISHES.has(parsed.channel);
}

export function deviceMaySubscribe(deviceId: string, filter: string): boolean {
  return isUnderDevicePrefix(filter, deviceId);
}

export function deviceMayUseClientId(deviceId: string, clientId: string): boolean {
  return clientId === deviceClientId(deviceId);
}

/**
 * A read-only integration login subscribes only under its prefixes (`tally/` and `homeassistant/` for Home
 * Assistant): never to device topics, whose configs carry camera credentials. A filter with a wildcard before the
 * end of the prefix (`#`, `+/…`) would reach beyond it, so the prefix must match literally.
 */
export function readerMaySubscribe(prefixes: readonly string[], filter: string): boolean {
  return prefixes.some((p) => filter.startsWith(p) || filter === p.replace(/\/$/, ''));
}
