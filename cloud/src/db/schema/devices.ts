import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';
import { sites } from './sites';

/**
 * Edge boxes. `id` is the MQTT deviceId (and its MQTT username); `secret_hash` is the argon2 hash of its MQTT
 * password. A revoked device is refused by the broker. `config_*` mirror the latest config version and what the
 * device reported about it (see config_versions for the history).
 */
export const devices = pgTable(
  'devices',
  {
    id: text('id').primaryKey(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    secretHash: text('secret_hash').notNull(),
    /**
     * The password before the last rotation, still accepted until `previous_secret_valid_until` so the box can
     * take the new one over its current session; cleared as soon as the box connects with the new one.
     */
    previousSecretHash: text('previous_secret_hash'),
    previousSecretValidUntil: timestamp('previous_secret_valid_until', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    /** Last `status` message: online / offline. */
    status: text('status'),
    statusAt: timestamp('status_at', { withTimezone: true }),
    /** Latest config version issued to the device (0: none yet). */
    configVersion: integer('config_version').notNull().default(0),
    /** Latest version the device reported applied. */
    appliedVersion: integer('applied_version'),
    /** pending | applied | rejected | none */
    configStatus: text('config_status').notNull().default('none'),
    configErrors: jsonb('config_errors'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('devices_org_idx').on(t.orgId), index('devices_site_idx').on(t.siteId)],
);
