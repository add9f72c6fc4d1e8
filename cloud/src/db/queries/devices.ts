import { eq } from 'drizzle-orm';
import type { Db } from '../client';
import { devices } from '../schema/index';

export type DeviceRow = typeof devices.$inferSelect;

/**
 * Device lookup for authentication only (broker CONNECT, Basic auth): the device id is the credential's
 * username, so there is no organisation to scope by yet. Everything else goes through org-scoped queries.
 */
export async function findDeviceForAuth(db: Db, deviceId: string): Promise<DeviceRow | undefined> {
  const [row] = await db.select().from(devices).where(eq(devices.id, deviceId));
  return row;
}
