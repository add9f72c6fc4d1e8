import type { Database } from '../db/client';

/** Where a device belongs, as ingest needs it: the tenant and site its data is stored under. */
export interface DeviceInfo {
  deviceId: string;
  orgId: string;
  siteId: string;
  timezone: string;
}

export interface DeviceDirectory {
  /** The device, or null when it is unknown or revoked: its messages are refused. */
  lookup(deviceId: string): Promise<DeviceInfo | null>;
  /** Forgets a device at once (revoked, moved to another site). */
  invalidate(deviceId: string): void;
}

/**
 * Device lookups cached for `ttlMs`, so ingest does not query the devices table per message. Unknown ids are
 * cached too (for a shorter time), so a flood from an unprovisioned client cannot turn into a flood of queries.
 */
export function cachedDeviceDirectory(
  database: Pick<Database, 'query'>,
  { ttlMs = 10_000, unknownTtlMs = 2_000, now = Date.now } = {},
): DeviceDirectory {
  const cache = new Map<string, { info: DeviceInfo | null; until: number }>();
  const inflight = new Map<string, Promise<DeviceInfo | null>>();

  async function load(deviceId: string): Promise<DeviceInfo | null> {
    const rows = await database.query<{ org_id: string; site_id: string; timezone: string }>(
      `SELECT d.org_id, d.site_id, s.timezone FROM devices d JOIN sites s ON s.id = d.site_id
        WHERE d.id = $1 AND d.revoked_at IS NULL`,
      [deviceId],
    );
    const row = rows[0];
    const info = row ? { deviceId, orgId: row.org_id, siteId: row.site_id, timezone: row.timezone } : null;
    cache.set(deviceId, { info, until: now() + (info ? ttlMs : unknownTtlMs) });
    return info;
  }

  return {
    async lookup(deviceId) {
      const hit = cache.get(deviceId);
      if (hit && hit.until > now()) return hit.info;
      let pending = inflight.get(deviceId);
      if (!pending) {
        pending = load(deviceId).finally(() => inflight.delete(deviceId));
        inflight.set(deviceId, pending);
      }
      return pending;
    },
    invalidate(deviceId) {
      cache.delete(deviceId);
    },
  };
}
