import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { ConfigApplied, DeviceConfig } from '@tally/proto';
import type { Db } from '../client';
import { configVersions, devices } from '../schema/index';

export type ConfigVersionRow = typeof configVersions.$inferSelect;

/**
 * Reserves the next config version of a device (row-locking the device, so concurrent edits get distinct,
 * increasing versions) and marks it pending. Call inside the transaction that stores the config.
 */
export async function nextConfigVersion(
  db: Db,
  orgId: string,
  deviceId: string,
): Promise<number | undefined> {
  const [row] = await db
    .update(devices)
    .set({ configVersion: sql`${devices.configVersion} + 1`, configStatus: 'pending', configErrors: null })
    .where(and(eq(devices.orgId, orgId), eq(devices.id, deviceId)))
    .returning({ version: devices.configVersion });
  return row?.version;
}

export async function insertConfigVersion(
  db: Db,
  orgId: string,
  config: DeviceConfig,
  createdBy: string | null,
): Promise<void> {
  await db.insert(configVersions).values({
    orgId,
    deviceId: config.deviceId,
    version: config.version,
    hash: config.hash,
    config,
    createdBy,
  });
}

export async function latestConfig(
  db: Db,
  orgId: string,
  deviceId: string,
): Promise<ConfigVersionRow | undefined> {
  const [row] = await db
    .select()
    .from(configVersions)
    .where(and(eq(configVersions.orgId, orgId), eq(configVersions.deviceId, deviceId)))
    .orderBy(desc(configVersions.version))
    .limit(1);
  return row;
}

export async function listConfigVersions(
  db: Db,
  orgId: string,
  deviceId: string,
  limit = 50,
): Promise<ConfigVersionRow[]> {
  return db
    .select()
    .from(configVersions)
    .where(and(eq(configVersions.orgId, orgId), eq(configVersions.deviceId, deviceId)))
    .orderBy(desc(configVersions.version))
    .limit(limit);
}

/** The latest config of every device that has one (to re-publish retained configs when a broker starts empty). */
export async function latestConfigsOfAllDevices(db: Db): Promise<DeviceConfig[]> {
  const rows = await db
    .selectDistinctOn([configVersions.deviceId], { config: configVersions.config })
    .from(configVersions)
    .innerJoin(devices, eq(devices.id, configVersions.deviceId))
    .where(sql`${devices.revokedAt} is null`)
    .orderBy(configVersions.deviceId, desc(configVersions.version));
  return rows.map((r) => r.config as DeviceConfig);
}

/**
 * The device's answer on `config/applied` (called by ingest). Marks that version applied or rejected (with the
 * device's errors), marks older pending versions superseded, and updates the device's config state when the
 * answer is about its latest version. Unknown devices or versions are ignored (returns false).
 */
export async function recordConfigApplied(db: Db, deviceId: string, msg: ConfigApplied): Promise<boolean> {
  const at = new Date(msg.ts);
  const errors = msg.errors ?? null;
  return db.transaction(async (tx) => {
    const [device] = await tx.select().from(devices).where(eq(devices.id, deviceId)).for('update');
    if (!device) return false;
    const updated = await tx
      .update(configVersions)
      .set({ status: msg.status, errors, answeredAt: at })
      .where(and(eq(configVersions.deviceId, deviceId), eq(configVersions.version, msg.version)))
      .returning({ id: configVersions.id });
    if (updated.length === 0) return false;
    await tx
      .update(configVersions)
      .set({ status: 'superseded' })
      .where(
        and(
          eq(configVersions.deviceId, deviceId),
          lt(configVersions.version, msg.version),
          eq(configVersions.status, 'pending'),
        ),
      );
    const patch: Partial<typeof devices.$inferInsert> = { lastSeenAt: at };
    if (msg.status === 'applied') patch.appliedVersion = Math.max(device.appliedVersion ?? 0, msg.version);
    if (msg.version === device.configVersion) {
      patch.configStatus = msg.status;
      patch.configErrors = errors;
    }
    await tx.update(devices).set(patch).where(eq(devices.id, deviceId));
    return true;
  });
}

export async function getConfigVersion(
  db: Db,
  orgId: string,
  deviceId: string,
  version: number,
): Promise<ConfigVersionRow | undefined> {
  const [row] = await db
    .select()
    .from(configVersions)
    .where(
      and(
        eq(configVersions.orgId, orgId),
        eq(configVersions.deviceId, deviceId),
        eq(configVersions.version, version),
      ),
    );
  return row;
}
