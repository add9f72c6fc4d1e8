import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Totals per camera / rule / kind / direction / class / minute, kept up to date in the same transaction as every
 * event insert, so folding raw events away under disk pressure loses no count. `count` is the total; `sentCount`
 * is the total the cloud last acknowledged (its `ack` naming the batch): a bucket is due whenever they differ. Direction '' means none (a
 * primary key column cannot be NULL).
 */
export const minuteBuckets = sqliteTable(
  'minute_buckets',
  {
    cameraId: text('camera_id').notNull(),
    ruleId: text('rule_id').notNull(),
    kind: text('kind', { enum: ['line_cross', 'zone_enter', 'zone_exit', 'dwell_exceeded'] }).notNull(),
    direction: text('direction').notNull().default(''),
    objectClass: text('object_class').notNull(),
    minute: integer('minute').notNull(),
    count: integer('count').notNull(),
    sentCount: integer('sent_count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.cameraId, t.ruleId, t.kind, t.direction, t.objectClass, t.minute] })],
);
