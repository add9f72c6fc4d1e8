import { PROTOCOL_VERSION } from './version';

/**
 * MQTT topic layout. Every device owns one prefix, `tally/v1/<deviceId>/`, and every channel lives under it:
 *
 * | channel            | direction      | retained | payload            |
 * |--------------------|----------------|----------|--------------------|
 * | `events`           | device → cloud | no       | EventBatch         |
 * | `buckets`          | device → cloud | no       | BucketBatch        |
 * | `occupancy`        | device → cloud | no       | OccupancyBatch     |
 * | `heartbeat`        | device → cloud | no       | Heartbeat          |
 * | `status`           | device → cloud | yes      | Status (LWT: offline) |
 * | `config`           | cloud → device | yes      | DeviceConfig       |
 * | `config/applied`   | device → cloud | no       | ConfigApplied      |
 * | `commands`         | cloud → device | no       | Command            |
 * | `commands/result`  | device → cloud | no       | CommandResult      |
 * | `ack`              | cloud → device | no       | Ack                |
 * | `credentials`      | cloud → device | no       | Credentials        |
 *
 * Build and parse topics only through this module; no other file spells them out.
 */
export const TOPIC_ROOT = `tally/${PROTOCOL_VERSION}` as const;

export const DEVICE_TO_CLOUD = [
  'events',
  'buckets',
  'occupancy',
  'heartbeat',
  'status',
  'config/applied',
  'commands/result',
] as const;
export const CLOUD_TO_DEVICE = ['config', 'commands', 'ack', 'credentials'] as const;
export const CHANNELS = [...DEVICE_TO_CLOUD, ...CLOUD_TO_DEVICE] as const;

export type DeviceToCloudChannel = (typeof DEVICE_TO_CLOUD)[number];
export type CloudToDeviceChannel = (typeof CLOUD_TO_DEVICE)[number];
export type Channel = (typeof CHANNELS)[number];

/** Channels whose messages the broker keeps for late subscribers. */
export const RETAINED_CHANNELS: ReadonlySet<Channel> = new Set<Channel>(['status', 'config']);

const DEVICE_ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const CHANNEL_SET: ReadonlySet<string> = new Set(CHANNELS);

export function isValidDeviceId(deviceId: string): boolean {
  return DEVICE_ID_RE.test(deviceId);
}

/** `tally/v1/<deviceId>/<channel>`. Throws on an id that would break the topic tree. */
export function topicFor(deviceId: string, channel: Channel): string {
  if (!isValidDeviceId(deviceId)) {
    throw new Error(`invalid device id ${JSON.stringify(deviceId)}: use letters, digits, _ . - (at most 64)`);
  }
  return `${TOPIC_ROOT}/${deviceId}/${channel}`;
}

/** The prefix a device may publish and subscribe under: `tally/v1/<deviceId>/`. */
export function devicePrefix(deviceId: string): string {
  return `${TOPIC_ROOT}/${deviceId}/`;
}

/**
 * The MQTT client id a device must connect with: `tally-edge-<deviceId>`. The broker binds it to the authenticated
 * device and refuses any other, so no device can take over another's persistent session (its queued config and
 * commands) by naming its client id.
 */
export function deviceClientId(deviceId: string): string {
  if (!isValidDeviceId(deviceId)) throw new Error(`invalid device id ${JSON.stringify(deviceId)}`);
  return `tally-edge-${deviceId}`;
}

/** Builders, one per channel, for readable call sites: `topics.events(id)`. */
export const topics = {
  events: (deviceId: string) => topicFor(deviceId, 'events'),
  buckets: (deviceId: string) => topicFor(deviceId, 'buckets'),
  occupancy: (deviceId: string) => topicFor(deviceId, 'occupancy'),
  heartbeat: (deviceId: string) => topicFor(deviceId, 'heartbeat'),
  status: (deviceId: string) => topicFor(deviceId, 'status'),
  config: (deviceId: string) => topicFor(deviceId, 'config'),
  configApplied: (deviceId: string) => topicFor(deviceId, 'config/applied'),
  commands: (deviceId: string) => topicFor(deviceId, 'commands'),
  commandResult: (deviceId: string) => topicFor(deviceId, 'commands/result'),
  ack: (deviceId: string) => topicFor(deviceId, 'ack'),
  credentials: (deviceId: string) => topicFor(deviceId, 'credentials'),
} as const;

export interface ParsedTopic {
  deviceId: string;
  channel: Channel;
}

/** Parses a device topic; returns null for anything outside the layout (wrong root, unknown channel, bad id). */
export function parseTopic(topic: string): ParsedTopic | null {
  const root = `${TOPIC_ROOT}/`;
  if (!topic.startsWith(root)) return null;
  const rest = topic.slice(root.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return null;
  const deviceId = rest.slice(0, slash);
  const channel = rest.slice(slash + 1);
  if (!isValidDeviceId(deviceId) || !CHANNEL_SET.has(channel)) return null;
  return { deviceId, channel: channel as Channel };
}

/** Wildcard filter for one channel of every device, e.g. `tally/v1/+/events`. */
export function allDevicesFilter(channel: Channel): string {
  return `${TOPIC_ROOT}/+/${channel}`;
}

/**
 * Shared-subscription filter (`$share/<group>/tally/v1/+/<channel>`): the broker hands each message to one member
 * of the group, so several cloud instances can consume side by side.
 */
export function sharedFilter(group: string, channel: Channel): string {
  if (!/^[A-Za-z0-9_-]+$/.test(group))
    throw new Error(`invalid shared-subscription group ${JSON.stringify(group)}`);
  return `$share/${group}/${allDevicesFilter(channel)}`;
}

/**
 * True when a topic or subscription filter lies under `deviceId`'s own prefix: the broker's ACL rule. Wildcards
 * after the prefix stay inside it; `$share/...` and other roots do not match.
 */
export function isUnderDevicePrefix(topicOrFilter: string, deviceId: string): boolean {
  return isValidDeviceId(deviceId) && topicOrFilter.startsWith(devicePrefix(deviceId));
}
