import { integer, sqliteTable } from 'drizzle-orm/sqlite-core';

/**
 * One row (id = 1): how far the cloud has acknowledged, and what was folded away under disk pressure.
 * `foldedThrough`: every seq up to it is either acknowledged or folded into buckets (never sent raw again).
 */
export const syncState = sqliteTable('sync_state', {
  id: integer('id').primaryKey(),
  ackedSeq: integer('acked_seq').notNull().default(0),
  lastAckAt: integer('last_ack_at'),
  foldedThrough: integer('folded_through').notNull().default(0),
  foldedEvents: integer('folded_events').notNull().default(0),
});
