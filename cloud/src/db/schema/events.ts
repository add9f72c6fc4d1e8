import {
  bigint,
  index,
  integer,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * Count events as devices sent them, stored once on (device_id, seq): the idempotency key of the wire contract.
 * `site_id` and `org_id` are copied from the device at ingest so analytics never joins the devices table, and a
 * device moved to another site keeps its history where it happened. No foreign keys: events outlive devices.
 * `direction` is '' for kinds without one, so it can sit in the rollups' primary keys.
 */
export const events = pgTable(
  'events',
  {
    deviceId: text('device_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    orgId: uuid('org_id').notNull(),
    siteId: uuid('site_id').notNull(),
    cameraId: text('camera_id').notNull(),
    ruleId: text('rule_id').notNull(),
    kind: text('kind').notNull(),
    direction: text('direction').notNull().default(''),
    objectClass: text('object_class').notNull(),
    trackId: integer('track_id').notNull(),
    ts: timestamp('ts', { withTimezone: true, mode: 'date' }).notNull(),
    confidence: real('confidence').notNull(),
    dwellMs: integer('dwell_ms'),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.seq] }), index('events_site_ts').on(t.siteId, t.ts)],
);
