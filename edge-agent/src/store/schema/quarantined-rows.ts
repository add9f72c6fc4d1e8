import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Stored rows that failed the contract when the outbox read them (a bug or a damaged file), moved here so they
 * never stall sync: kept with the reason for a person to look at, counted in the heartbeat and on /healthz, never
 * sent. `rowKey` is the row's key in its table: an event's seq, an occupancy sample's id, a bucket's minute.
 */
export const quarantinedRows = sqliteTable('quarantined_rows', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  sourceTable: text('source_table', {
    enum: ['count_events', 'minute_buckets', 'occupancy_samples'],
  }).notNull(),
  rowKey: integer('row_key').notNull(),
  /** The row as read (JSON). */
  row: text('row').notNull(),
  reason: text('reason').notNull(),
  at: integer('at').notNull(),
});
