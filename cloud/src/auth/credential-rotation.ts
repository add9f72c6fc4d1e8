import { encodeMessage, SCHEMA_VERSION, topics } from '@tally/proto';
import type { Publish } from '../app';
import type { Db } from '../db/client';
import { rotateDeviceSecret } from '../db/queries/devices';
import { generateDeviceSecret, hashDeviceSecret } from './device-secret';

/**
 * How long the previous password keeps working after a rotation by default. The new one travels over the box's
 * persistent session (QoS 1), so a box that is offline gets it when it returns: the overlap must outlast a
 * plausible outage (a week) or such a box is stranded. 0 revokes the previous password at once (a leak).
 */
export const DEFAULT_ROTATION_OVERLAP_S = 7 * 86_400;

export interface RotationDeps {
  db: Db;
  publish: Publish;
  disconnectDevice: (deviceId: string) => void;
  log: { warn(obj: object, msg: string): void };
}

export interface Rotation {
  password: string;
  /** Until when the previous password is accepted (null: revoked at once). */
  previousValidUntil: Date | null;
  /** Whether the broker took the hand-over message for the box (false: the box needs the new password by hand). */
  handedOver: boolean;
}

/**
 * Rotates a device's MQTT password without stranding it: the new one is stored beside the previous one, then handed
 * to the box over its current session (`credentials` channel); the box stores it and reconnects with it, which
 * ends the overlap early (see verifyDeviceCredentials). Returns null for a revoked or unknown device.
 */
export async function rotateCredentials(
  deps: RotationDeps,
  orgId: string,
  deviceId: string,
  overlapS: number,
  options: { now?: number; audit?: (tx: Db) => Promise<void> } = {},
): Promise<Rotation | null> {
  const now = options.now ?? Date.now();
  const password = generateDeviceSecret();
  const previousValidUntil = overlapS > 0 ? new Date(now + overlapS * 1000) : null;
  // The new secret and its audit row commit together; the hand-over is published only once both are stored.
  const stored = await deps.db.transaction(async (raw) => {
    const tx = raw as unknown as Db;
    const ok = await rotateDeviceSecret(tx, orgId, deviceId, hashDeviceSecret(password), previousValidUntil);
    if (ok) await options.audit?.(tx);
    return ok;
  });
  if (!stored) return null;
  if (!previousValidUntil) {
    // No overlap: sessions opened with the old password end now.
    deps.disconnectDevice(deviceId);
    return { password, previousValidUntil, handedOver: false };
  }
  const message = encodeMessage('credentials', {
    v: SCHEMA_VERSION,
    deviceId,
    password,
    issuedAt: now,
    previousValidUntil: previousValidUntil.getTime(),
  });
  try {
    await deps.publish(topics.credentials(deviceId), message, { retain: false, qos: 1 });
    return { password, previousValidUntil, handedOver: true };
  } catch (err) {
    deps.log.warn({ deviceId, err: (err as Error).message }, 'rotated credentials not handed to the device');
    return { password, previousValidUntil, handedOver: false };
  }
}
