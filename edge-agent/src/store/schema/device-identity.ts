import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * One row (id = 1): who this box is and how it reaches the cloud, written by `tally-edge provision`. Provisioning
 * again replaces the row. The database file is created with mode 0600 because it holds the MQTT password.
 */
export const deviceIdentity = sqliteTable('device_identity', {
  id: integer('id').primaryKey(),
  deviceId: text('device_id').notNull(),
  siteId: text('site_id'),
  name: text('name'),
  mqttUrl: text('mqtt_url').notNull(),
  mqttUsername: text('mqtt_username').notNull(),
  mqttPassword: text('mqtt_password').notNull(),
  apiUrl: text('api_url'),
  cloudUrl: text('cloud_url').notNull(),
  provisionedAt: integer('provisioned_at').notNull(),
});
