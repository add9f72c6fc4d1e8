import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Every config version the agent received and what became of it. The newest `applied` row is the one the agent
 * runs at start, so a box that lost its broker keeps counting with its last good setup.
 */
export const appliedConfigs = sqliteTable('applied_configs', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  version: integer('version').notNull(),
  hash: text('hash').notNull(),
  source: text('source', { enum: ['cloud', 'file'] }).notNull(),
  status: text('status', { enum: ['applied', 'rejected'] }).notNull(),
  /** The whole DeviceConfig as received (JSON), or null for a payload that was not even JSON. */
  body: text('body'),
  /** JSON array of {path, message} for a rejected config. */
  errors: text('errors'),
  at: integer('at').notNull(),
});
