import type { Static, TSchema } from '@sinclair/typebox';
import { checkDeviceConfig } from './config-rules';
import { Ack } from './messages/ack';
import { BucketBatch, OccupancyBatch } from './messages/buckets';
import { Command, CommandResult } from './messages/commands';
import { ConfigApplied, DeviceConfig } from './messages/config';
import { Credentials } from './messages/credentials';
import { EventBatch } from './messages/count-event';
import { Heartbeat } from './messages/heartbeat';
import { Status } from './messages/status';
import type { Channel } from './topics';
import { ContractError, decode, type Decoded } from './validate';

/** The one map from MQTT channel to payload schema. */
export const CHANNEL_SCHEMAS = {
  events: EventBatch,
  buckets: BucketBatch,
  occupancy: OccupancyBatch,
  heartbeat: Heartbeat,
  status: Status,
  config: DeviceConfig,
  'config/applied': ConfigApplied,
  commands: Command,
  'commands/result': CommandResult,
  ack: Ack,
  credentials: Credentials,
} as const satisfies Record<Channel, TSchema>;

/** The payload type carried on each channel. */
export type ChannelPayload<C extends Channel> = Static<(typeof CHANNEL_SCHEMAS)[C]>;

function refineFor<C extends Channel>(
  channel: C,
): ((v: ChannelPayload<C>) => ReturnType<typeof checkDeviceConfig>) | undefined {
  if (channel === 'config')
    return checkDeviceConfig as (v: ChannelPayload<C>) => ReturnType<typeof checkDeviceConfig>;
  return undefined;
}

/**
 * Validates a payload received on `channel` (bytes, a string or a parsed object). Never throws; the error names
 * each bad field and why. `deviceId`, when given, must match the payload's own (a device cannot speak for another).
 */
export function decodeMessage<C extends Channel>(
  channel: C,
  payload: unknown,
  deviceId?: string,
): Decoded<ChannelPayload<C>> {
  const refine = refineFor(channel);
  const result = decode(CHANNEL_SCHEMAS[channel], payload, {
    what: `${channel} message`,
    ...(refine ? { refine } : {}),
  }) as Decoded<ChannelPayload<C>>;
  if (!result.ok || deviceId === undefined) return result;
  const issues = deviceIdIssues(
    result.value as { deviceId?: string; events?: { deviceId: string }[] },
    deviceId,
  );
  return issues.length ? { ok: false, error: new ContractError(`${channel} message`, issues) } : result;
}

function deviceIdIssues(value: { deviceId?: string; events?: { deviceId: string }[] }, deviceId: string) {
  const issues: { path: string; message: string }[] = [];
  if (value.deviceId !== undefined && value.deviceId !== deviceId) {
    issues.push({
      path: '/deviceId',
      message: `does not match the topic's device ${JSON.stringify(deviceId)}`,
    });
  }
  value.events?.forEach((e, i) => {
    if (e.deviceId !== deviceId) {
      issues.push({
        path: `/events/${i}/deviceId`,
        message: `does not match the topic's device ${JSON.stringify(deviceId)}`,
      });
    }
  });
  return issues.slice(0, 10);
}

/** Validates an outgoing message and serialises it; throws ContractError when it breaks the contract (a bug). */
export function encodeMessage<C extends Channel>(channel: C, message: ChannelPayload<C>): string {
  const result = decodeMessage(channel, message);
  if (!result.ok) throw result.error;
  return JSON.stringify(message);
}
