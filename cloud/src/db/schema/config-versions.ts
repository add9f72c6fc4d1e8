import { integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { devices } from './devices';
import { organisations } from './organisations';

/**
 * Every config issued to a device (proto DeviceConfig in `config`), and what the device said about it:
 * pending → applied | rejected (with `errors`), or superseded by a later version before it answered.
 */
export const configVersions = pgTable(
  'config_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    deviceId: text('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    hash: text('hash').notNull(),
    config: jsonb('config').notNull(),
    status: text('status').notNull().default('pending'),
    errors: jsonb('errors'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('config_versions_device_version_uq').on(t.deviceId, t.version)],
);
