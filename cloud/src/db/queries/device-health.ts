import type { DeviceStateChange, Heartbeat } from '@tally/proto';
import type { Database } from '../client';

type Query = Pick<Database, 'query'>;

export interface StoredHeartbeat {
  heartbeat: Heartbeat;
  heartbeatAt: Date;
}

/** The latest heartbeat of each of these devices of the organisation (one query for a whole list). */
export async function latestHeartbeats(
  db: Query,
  orgId: string,
  deviceIds: readonly string[],
): Promise<Map<string, StoredHeartbeat>> {
  if (deviceIds.length === 0) return new Map();
  const rows = await db.query<{ device_id: string; heartbeat: Heartbeat; heartbeat_at: Date | string }>(
    `SELECT device_id, heartbeat, heartbeat_at FROM device_health WHERE org_id = $1 AND device_id = ANY($2::text[])`,
    [orgId, [...deviceIds]],
  );
  return new Map(
    rows.map((r) => [r.device_id, { heartbeat: r.heartbeat, heartbeatAt: new Date(r.heartbeat_at) }]),
  );
}

/** A device's state changes, newest first. */
export async function listStateChanges(
  db: Query,
  orgId: string,
  deviceId: string,
  options: { cameraId?: string; limit?: number },
): Promise<DeviceStateChange[]> {
  const values: unknown[] = [orgId, deviceId, options.limit ?? 200];
  const camera = options.cameraId !== undefined ? ` AND camera_id = $${values.push(options.cameraId)}` : '';
  const rows = await db.query<{ camera_id: string; state: string; reason: string | null; at: Date | string }>(
    `SELECT camera_id, state, reason, at FROM device_state_changes
      WHERE org_id = $1 AND device_id = $2${camera} ORDER BY at DESC, id DESC LIMIT $3`,
    values,
  );
  return rows.map((r) => ({
    cameraId: r.camera_id,
    state: r.state,
    reason: r.reason,
    at: new Date(r.at).toISOString(),
  }));
}
