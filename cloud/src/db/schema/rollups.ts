import { bigint, date, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Count rollups, maintained at ingest from the events actually inserted (so a replay adds nothing).
 *
 * - `rollup_minute` and `rollup_hour` are keyed by UTC instants (`bucket`): 15-minute and hourly charts are built
 *   from them at query time with `date_trunc(..., bucket AT TIME ZONE site_tz)`, which is DST correct because each
 *   UTC bucket maps to exactly one local instant.
 * - `rollup_day` is keyed by the SITE-LOCAL calendar date (`day`), computed at ingest from the event's instant and
 *   the site's timezone. Day, week and month charts read it: a year is 365 rows per key instead of 8,760, and a
 *   local day of 23 or 25 hours is still one row. If a site's timezone changes, its day rows must be rebuilt from
 *   `rollup_minute` (`rebuildDayRollups`).
 */
const key = {
  siteId: uuid('site_id').notNull(),
  deviceId: text('device_id').notNull(),
  cameraId: text('camera_id').notNull(),
  ruleId: text('rule_id').notNull(),
  kind: text('kind').notNull(),
  direction: text('direction').notNull().default(''),
  objectClass: text('object_class').notNull(),
  count: bigint('count', { mode: 'number' }).notNull(),
};

/**
 * Per minute, `count` = max(raw_count, device_count): `raw_count` counts the raw events stored, `device_count` is
 * the device's own total for that minute from the `buckets` channel (sent when it folded raw events away under
 * disk pressure). Raw events are a subset of the device's total, so the larger of the two is the truth, and
 * neither a bucket nor a late raw event is ever counted twice. Hours and days receive the changes of `count`.
 */
export const rollupMinute = pgTable(
  'rollup_minute',
  {
    ...key,
    bucket: timestamp('bucket', { withTimezone: true, mode: 'date' }).notNull(),
    rawCount: bigint('raw_count', { mode: 'number' }).notNull().default(0),
    deviceCount: bigint('device_count', { mode: 'number' }).notNull().default(0),
    /**
     * Scratch: `count` just before the latest device-bucket upsert, written by that upsert from the locked row,
     * so the change it propagates to hours and days is exact even when an events statement for the same minute
     * committed while it waited (a snapshot read of the old count would propagate that change twice).
     */
    countedBefore: bigint('counted_before', { mode: 'number' }).notNull().default(0),
  },
  (t) => [
    primaryKey({
      columns: [t.siteId, t.bucket, t.deviceId, t.cameraId, t.ruleId, t.kind, t.direction, t.objectClass],
    }),
  ],
);

export const rollupHour = pgTable(
  'rollup_hour',
  { ...key, bucket: timestamp('bucket', { withTimezone: true, mode: 'date' }).notNull() },
  (t) => [
    primaryKey({
      columns: [t.siteId, t.bucket, t.deviceId, t.cameraId, t.ruleId, t.kind, t.direction, t.objectClass],
    }),
  ],
);

export const rollupDay = pgTable(
  'rollup_day',
  { ...key, day: date('day', { mode: 'string' }).notNull() },
  (t) => [
    primaryKey({
      columns: [t.siteId, t.day, t.deviceId, t.cameraId, t.ruleId, t.kind, t.direction, t.objectClass],
    }),
    index('rollup_day_day').on(t.day),
  ],
);
