import { integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Count events, append-only. `seq` is the row id (INTEGER PRIMARY KEY AUTOINCREMENT): SQLite assigns it inside
 * the inserting transaction and never reuses one, even after rows are deleted, so `(deviceId, seq)` stays unique
 * forever. Rows go only when acknowledged by the cloud (or folded into buckets under disk pressure).
 */
export const countEvents = sqliteTable('count_events', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  cameraId: text('camera_id').notNull(),
  ruleId: text('rule_id').notNull(),
  kind: text('kind', { enum: ['line_cross', 'zone_enter', 'zone_exit', 'dwell_exceeded'] }).notNull(),
  direction: text('direction', { enum: ['in', 'out'] }),
  objectClass: text('object_class').notNull(),
  trackId: integer('track_id').notNull(),
  ts: integer('ts').notNull(),
  confidence: real('confidence').notNull(),
  dwellMs: integer('dwell_ms'),
  /** Set on a zone exit the camera's restart or stop caused (proto's VisitEndReason). */
  endReason: text('end_reason', { enum: ['camera_restart', 'camera_stopped'] }),
});
