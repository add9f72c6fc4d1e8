import type { Database } from '../db/client';
import type { DeviceInfo } from './device-directory';

type Query = Pick<Database, 'query'>;

/**
 * Whether a statement failed because of what it was given (SQLSTATE class 22 data exception: a seq beyond bigint,
 * a time zone the database does not know; 23 integrity; P0 raised by the database), so retrying the same input
 * fails again and it must be isolated. Anything else (connection lost, shutdown, lock timeouts) is transient: the
 * device resends and it goes through later.
 */
export function isPoison(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^(22|23|P0)/.test(code);
}

export function reasonOf(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return `${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`.slice(0, 500);
}

/**
 * JSON the database accepts: jsonb refuses `\u0000`, which must not stop a quarantine (it may be why the message
 * is poisoned in the first place), so NUL is written as the visible `\\u0000`.
 */
function storable(payload: unknown): string {
  return JSON.stringify(payload ?? null).replaceAll('\\u0000', '\\\\u0000');
}

/**
 * Stores one item ingest could not store, with the reason. An event is keyed by (device, seq): its resends are not
 * stored again. Its seq counts as present for the device's contiguous ack (see ADVANCE_ACKS_SQL), so a poisoned
 * event never holds back the ack of the events after it.
 */
export async function quarantine(
  db: Query,
  device: DeviceInfo,
  item: { channel: string; seq?: number; payload: unknown; reason: string },
): Promise<void> {
  const seq = item.seq === undefined ? null : BigInt(Math.trunc(item.seq)).toString();
  await db.query(
    `INSERT INTO ingest_quarantine (org_id, site_id, device_id, channel, seq, reason, payload)
     SELECT $1, $2, $3, $4, $5, $6, $7::jsonb
      WHERE $5::text IS NULL OR NOT EXISTS (
        SELECT 1 FROM ingest_quarantine WHERE device_id = $3 AND channel = $4 AND seq = $5::text)`,
    [device.orgId, device.siteId, device.deviceId, item.channel, seq, item.reason, storable(item.payload)],
  );
}
