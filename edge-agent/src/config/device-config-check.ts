/**
 * What makes a device config acceptable to this box, in one place: the contract (schema, geometry, device id)
 * and a hash that matches the content. The agent applies a config only when this passes, and `tally-edge
 * check-config` runs the very same check, so the two can never disagree on a file.
 */
import { decodeMessage, type DeviceConfig, type ValidationIssue } from '@tally/proto';
import { configContentHash } from '@tally/proto/hash';

export type DeviceConfigCheck = { ok: true; value: DeviceConfig } | { ok: false; issues: ValidationIssue[] };

/** `deviceId`: the box's own id when it has one (a config for another device is refused). */
export function checkDeviceConfigPayload(payload: unknown, deviceId?: string): DeviceConfigCheck {
  const decoded = decodeMessage('config', payload, deviceId);
  if (!decoded.ok) return { ok: false, issues: decoded.error.issues };
  const config = decoded.value;
  const hash = configContentHash(config);
  if (hash !== config.hash) {
    return {
      ok: false,
      issues: [
        {
          path: '/hash',
          message: `does not match the content: sha256 of canonical {cameras, models} is ${hash} (run \`tally-edge config hash --write <file>\` after editing)`,
        },
      ],
    };
  }
  return { ok: true, value: config };
}
