import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client';
import { cameras } from '../schema/index';

export type CameraRow = typeof cameras.$inferSelect;

export async function getCamera(db: Db, orgId: string, cameraId: string): Promise<CameraRow | undefined> {
  const [row] = await db
    .select()
    .from(cameras)
    .where(and(eq(cameras.orgId, orgId), eq(cameras.id, cameraId)));
  return row;
}

export async function getCameraByKey(
  db: Db,
  orgId: string,
  deviceId: string,
  cameraKey: string,
): Promise<CameraRow | undefined> {
  const [row] = await db
    .select()
    .from(cameras)
    .where(and(eq(cameras.orgId, orgId), eq(cameras.deviceId, deviceId), eq(cameras.cameraKey, cameraKey)));
  return row;
}

export async function listDeviceCameras(db: Db, orgId: string, deviceId: string): Promise<CameraRow[]> {
  return db
    .select()
    .from(cameras)
    .where(and(eq(cameras.orgId, orgId), eq(cameras.deviceId, deviceId)))
    .orderBy(asc(cameras.cameraKey));
}

export async function listCameras(db: Db, orgId: string, siteIds?: string[]): Promise<CameraRow[]> {
  if (siteIds && siteIds.length === 0) return [];
  const where = siteIds
    ? and(eq(cameras.orgId, orgId), inArray(cameras.siteId, siteIds))
    : eq(cameras.orgId, orgId);
  return db.select().from(cameras).where(where).orderBy(asc(cameras.name));
}

export async function insertCamera(
  db: Db,
  row: {
    orgId: string;
    siteId: string;
    deviceId: string;
    cameraKey: string;
    name: string;
    setup: Record<string, unknown>;
  },
): Promise<CameraRow> {
  const [inserted] = await db.insert(cameras).values(row).returning();
  return inserted!;
}

export async function updateCamera(
  db: Db,
  orgId: string,
  cameraId: string,
  patch: { name?: string; setup?: Record<string, unknown>; modelId?: string | null },
): Promise<CameraRow | undefined> {
  const [row] = await db
    .update(cameras)
    .set({ ...patch, updatedAt: new Date() })
    .where(and(eq(cameras.orgId, orgId), eq(cameras.id, cameraId)))
    .returning();
  return row;
}

export async function deleteCamera(db: Db, orgId: string, cameraId: string): Promise<boolean> {
  const rows = await db
    .delete(cameras)
    .where(and(eq(cameras.orgId, orgId), eq(cameras.id, cameraId)))
    .returning({ id: cameras.id });
  return rows.length > 0;
}
