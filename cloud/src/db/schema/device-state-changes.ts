import { bigserial, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * History of a device's and its cameras' states, one row per change: the device online/offline (its status
 * messages) and each camera's state from the heartbeats (connecting, live, stalled, failed, stopped). `camera_id`
 * is '' for the device itself. Written by ingest, read by GET /api/devices/:deviceId/history.
 */
export const deviceStateChanges = pgTable(
  'device_state_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgId: uuid('org_id').notNull(),
    siteId: uuid('site_id').notNull(),
    deviceId: text('device_id').notNull(),
    cameraId: text('camera_id').notNull().default(''),
    state: text('state').notNull(),
    reason: text('reason'),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('device_state_changes_device_at').on(t.deviceId, t.at)],
);
