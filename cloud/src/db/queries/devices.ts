import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
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

export async function getDevice(db: Db, orgId: string, deviceId: string): Promise<DeviceRow | undefined> {
  const [row] = await db
    .select()
    .from(devices)
    .where(and(eq(devices.orgId, orgId), eq(devices.id, deviceId)));
  return row;
}

/** Devices of the organisation, optionally of some sites only. */
export async function listDevices(db: Db, orgId: string, siteIds?: string[]): Promise<DeviceRow[]> {
  if (siteIds && siteIds.length === 0) return [];
  const where = siteIds
    ? and(eq(devices.orgId, orgId), inArray(devices.siteId, siteIds))
    : eq(devices.orgId, orgId);
  return db.select().from(devices).where(where).orderBy(asc(devices.name));
}

export async function insertDevice(
  db: Db,
  row: { id: string; orgId: string; siteId: string; name: string; secretHash: string },
): Promise<DeviceRow> {
  const [inserted] = await db.insert(devices).values(row).returning();
  return inserted!;
}

export async function renameDevice(
  db: Db,
  orgId: string,
  deviceId: string,
  name: string,
): Promise<DeviceRow | undefined> {
  const [row] = await db
    .update(devices)
    .set({ name })
    .where(and(eq(devices.orgId, orgId), eq(devices.id, deviceId)))
    .returning();
  return row;
}

/**
 * A new password; with `previousValidUntil` the current one stays accepted until then (rotation overlap), without
 * it the current one stops working now.
 */
export async function rotateDeviceSecret(
  db: Db,
  orgId: string,
  deviceId: string,
  secretHash: string,
  previousValidUntil: Date | null,
): Promise<boolean> {
  const rows = await db
    .update(devices)
    .set({
      secretHash,
      // The right-hand side reads the row before the update: the password being replaced.
      previousSecretHash: previousValidUntil ? sql`${devices.secretHash}` : null,
      previousSecretValidUntil: previousValidUntil,
    })
    .where(and(eq(devices.orgId, orgId), eq(devices.id, deviceId), isNull(devices.revokedAt)))
    .returning({ id: devices.id });
  return rows.length > 0;
}

/** The device connected with its new password: the previous one stops working (auth path, like findDeviceForAuth). */
export async function forgetPreviousSecret(db: Db, deviceId: string): Promise<void> {
  await db
    .update(devices)
    .set({ previousSecretHash: null, previousSecretValidUntil: null })
    .where(eq(devices.id, deviceId));
}

export async function revokeDevice(db: Db, orgId: string, deviceId: string): Promise<DeviceRow | undefined> {
  const [row] = await db
    .update(devices)
    .set({ revokedAt: new Date() })
    .where(and(eq(devices.orgId, orgId), eq(devices.id, deviceId)))
    .returning();
  return row;
}

export async function deleteDevice(db: Db, orgId: string, deviceId: string): Promise<boolean> {
  const rows = await db
    .delete(devices)
    .where(and(eq(devices.orgId, orgId), eq(devices.id, deviceId)))
    .returning({ id: devices.id });
  return rows.length > 0;
}
