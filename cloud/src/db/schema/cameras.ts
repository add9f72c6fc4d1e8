import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { devices } from './devices';
import { models } from './models';
import { organisations } from './organisations';
import { sites } from './sites';

/**
 * A camera on a device. `camera_key` is the camera id in the device config, in events and in topics' payloads,
 * unique per device. `setup` is proto's CameraConfig without `id`, `lines`, `zones` and `modelId` (those come from
 * camera_key, the rules table and model_id when the config is built).
 */
export const cameras = pgTable(
  'cameras',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    siteId: uuid('site_id')
      .notNull()
      .references(() => sites.id, { onDelete: 'restrict' }),
    deviceId: text('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    cameraKey: text('camera_key').notNull(),
    name: text('name').notNull(),
    setup: jsonb('setup').notNull().$type<Record<string, unknown>>(),
    modelId: uuid('model_id').references(() => models.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('cameras_device_key_uq').on(t.deviceId, t.cameraKey),
    index('cameras_org_idx').on(t.orgId),
    index('cameras_site_idx').on(t.siteId),
  ],
);
