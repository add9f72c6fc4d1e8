import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Zone occupancy samples waiting to be sent; deleted once the cloud acknowledged their batch (they are not idempotent counts). */
export const occupancySamples = sqliteTable(
  'occupancy_samples',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    cameraId: text('camera_id').notNull(),
    zoneId: text('zone_id').notNull(),
    ts: integer('ts').notNull(),
    /** JSON object: class → objects in the zone. */
    counts: text('counts').notNull(),
  },
  (t) => [index('occupancy_samples_ts').on(t.ts)],
);
