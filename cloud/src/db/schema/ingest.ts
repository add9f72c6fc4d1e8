import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

/** Per device: the highest contiguous seq stored, i.e. what the last `ack` said. Only ever moves forward. */
export const ingestProgress = pgTable('ingest_progress', {
  deviceId: text('device_id').primaryKey(),
  ackedSeq: bigint('acked_seq', { mode: 'number' }).notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/**
 * Each device's latest heartbeat (camera states, fps, outbox backlog). Its online/offline status lives on the
 * devices table (`status`, `status_at`, `last_seen_at`), which ingest updates too.
 */
export const deviceHealth = pgTable('device_health', {
  deviceId: text('device_id').primaryKey(),
  orgId: uuid('org_id').notNull(),
  siteId: uuid('site_id').notNull(),
  heartbeat: jsonb('heartbeat'),
  heartbeatAt: timestamp('heartbeat_at', { withTimezone: true, mode: 'date' }),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

/** Device-side minute totals (the `buckets` channel): a copy merges by GREATEST (totals only grow), never adds. */
export const deviceBuckets = pgTable(
  'device_buckets',
  {
    deviceId: text('device_id').notNull(),
    siteId: uuid('site_id').notNull(),
    cameraId: text('camera_id').notNull(),
    ruleId: text('rule_id').notNull(),
    kind: text('kind').notNull(),
    direction: text('direction').notNull().default(''),
    objectClass: text('object_class').notNull(),
    minute: timestamp('minute', { withTimezone: true, mode: 'date' }).notNull(),
    count: integer('count').notNull(),
  },
  (t) => [
    primaryKey({
      columns: [t.deviceId, t.minute, t.cameraId, t.ruleId, t.kind, t.direction, t.objectClass],
    }),
  ],
);

/** Zone occupancy samples per class; a replayed sample overwrites itself. */
export const occupancySamples = pgTable(
  'occupancy_samples',
  {
    siteId: uuid('site_id').notNull(),
    deviceId: text('device_id').notNull(),
    cameraId: text('camera_id').notNull(),
    zoneId: text('zone_id').notNull(),
    objectClass: text('object_class').notNull(),
    ts: timestamp('ts', { withTimezone: true, mode: 'date' }).notNull(),
    count: integer('count').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.deviceId, t.cameraId, t.zoneId, t.objectClass, t.ts] }),
    index('occupancy_site_ts').on(t.siteId, t.ts),
  ],
);

/** Results of commands sent to devices (snapshot, resync, restart_camera). */
export const commandResults = pgTable(
  'command_results',
  {
    deviceId: text('device_id').notNull(),
    commandId: text('command_id').notNull(),
    ok: text('ok').notNull(),
    result: jsonb('result').notNull(),
    ts: timestamp('ts', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.commandId] })],
);
