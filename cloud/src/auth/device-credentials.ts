import type { Db } from '../db/client';
import { findDeviceForAuth, forgetPreviousSecret, type DeviceRow } from '../db/queries/devices';
import { verifyDeviceSecret } from './device-secret';

export interface AuthenticatedDevice {
  deviceId: string;
  orgId: string;
  siteId: string;
}

/**
 * Checks a device's id and MQTT password (the broker's CONNECT, HTTP Basic uploads): the current password, or the
 * previous one within a rotation's overlap. Revoked devices fail.
 */
export async function verifyDeviceCredentials(
  db: Db,
  deviceId: string | undefined,
  password: string | undefined,
): Promise<AuthenticatedDevice | null> {
  if (!deviceId || !password) return null;
  const device = await findDeviceForAuth(db, deviceId);
  if (!device || device.revokedAt) return null;
  if (verifyDeviceSecret(password, device.secretHash)) {
    // The box uses its rotated password: the overlap for the previous one ends now.
    if (device.previousSecretHash) await forgetPreviousSecret(db, device.id);
  } else if (!previousStillValid(device, password)) return null;
  return { deviceId: device.id, orgId: device.orgId, siteId: device.siteId };
}

/** The password before a rotation, within its overlap (see rotateCredentials). */
function previousStillValid(device: DeviceRow, password: string, now = Date.now()): boolean {
  return (
    device.previousSecretHash !== null &&
    device.previousSecretValidUntil !== null &&
    device.previousSecretValidUntil.getTime() > now &&
    verifyDeviceSecret(password, device.previousSecretHash)
  );
}

/** Parses `Authorization: Basic base64(id:password)`. */
export function parseBasicAuth(header: string | undefined): { username: string; password: string } | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
