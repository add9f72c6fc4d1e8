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
  /** Forgets a device at once (revoked, deleted, moved to another site): its next message reads the table. */
  invalidate(deviceId: string): void;
}

export interface DeviceDirectoryOptions {
  ttlMs?: number;
  unknownTtlMs?: number;
  /** Most devices held; the least recently used is evicted first, so a flood of ids cannot grow memory. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * Device lookups cached, so ingest does not query the devices table per message. Writes that change a device
 * (revoke, delete, move) invalidate its entry through the cloud bus (`deviceChanged`), so in this process they
 * take effect at once; `ttlMs` only bounds how long another instance, which does not see this process's bus, may
 * keep a stale entry. Unknown ids are cached too (shorter), so a flood from an unprovisioned client cannot turn
 * into a flood of queries. At most `maxEntries` are held (least recently used evicted).
 */
export function cachedDeviceDirectory(
  database: Pick<Database, 'query'>,
  { ttlMs = 10_000, unknownTtlMs = 2_000, maxEntries = 10_000, now = Date.now }: DeviceDirectoryOptions = {},
): DeviceDirectory {
  // A Map iterates in insertion order: re-inserting on every hit makes its first key the least recently used.
  const cache = new Map<string, { info: DeviceInfo | null; until: number }>();
  const inflight = new Map<string, Promise<DeviceInfo | null>>();
  /** Bumped per device by invalidate(), so a load that started before it cannot store what it read. */
  const generation = new Map<string, number>();

  function remember(deviceId: string, info: DeviceInfo | null): void {
    cache.delete(deviceId);
    cache.set(deviceId, { info, until: now() + (info ? ttlMs : unknownTtlMs) });
    while (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
  }

  async function load(deviceId: string): Promise<DeviceInfo | null> {
    const started = generation.get(deviceId);
    const rows = await database.query<{ org_id: string; site_id: string; timezone: string }>(
      `SELECT d.org_id, d.site_id, s.timezone FROM devices d JOIN sites s ON s.id = d.site_id
        WHERE d.id = $1 AND d.revoked_at IS NULL`,
      [deviceId],
    );
    const row = rows[0];
    const info = row ? { deviceId, orgId: row.org_id, siteId: row.site_id, timezone: row.timezone } : null;
    if (generation.get(deviceId) === started) remember(deviceId, info);
    return info;
  }

  return {
    async lookup(deviceId) {
      const hit = cache.get(deviceId);
      if (hit && hit.until > now()) {
        cache.delete(deviceId);
        cache.set(deviceId, hit);
        return hit.info;
      }
      if (hit) cache.delete(deviceId);
      let pending = inflight.get(deviceId);
      if (!pending) {
        pending = load(deviceId).finally(() => inflight.delete(deviceId));
        inflight.set(deviceId, pending);
      }
      return pending;
    },
    invalidate(deviceId) {
      cache.delete(deviceId);
      inflight.delete(deviceId);
      generation.set(deviceId, (generation.get(deviceId) ?? 0) + 1);
      // The generation map only needs to outlive loads in flight; keep it as bounded as the cache.
      while (generation.size > maxEntries) generation.delete(generation.keys().next().value!);
    },
  };
}
