import type { CommandResult, DeviceCommand } from '@tally/proto';
import type { DeviceCommandRow } from '../db/queries/device-commands';

/**
 * Where a command stands (pure): the device's answer decides succeeded/failed whenever it came; without one it is
 * pending until its timeout, then timed_out.
 */
export function commandStatus(
  command: DeviceCommandRow,
  result: CommandResult | null,
  now: number,
): DeviceCommand {
  const status: DeviceCommand['status'] = result
    ? result.ok
      ? 'succeeded'
      : 'failed'
    : now >= command.timeoutAt.getTime()
      ? 'timed_out'
      : 'pending';
  return {
    commandId: command.id,
    deviceId: command.deviceId,
    type: command.type as DeviceCommand['type'],
    cameraId: command.cameraKey,
    status,
    error: result && !result.ok ? (result.error ?? 'the device reported a failure without a message') : null,
    issuedAt: command.issuedAt.toISOString(),
    answeredAt: result ? new Date(result.ts).toISOString() : null,
    timeoutAt: command.timeoutAt.toISOString(),
  };
}
