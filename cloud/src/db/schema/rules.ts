import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { cameras } from './cameras';
import { organisations } from './organisations';

/**
 * Counting rules of a camera: `kind` line or zone; `definition` is proto's LineRule or ZoneRule without `id`
 * (which is `rule_key`, the ruleId in count events). Unique per camera.
 */
export const rules = pgTable(
  'rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    siteId: uuid('site_id').notNull(),
    cameraId: uuid('camera_id')
      .notNull()
      .references(() => cameras.id, { onDelete: 'cascade' }),
    ruleKey: text('rule_key').notNull(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    definition: jsonb('definition').notNull().$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('rules_camera_key_uq').on(t.cameraId, t.ruleKey), index('rules_org_idx').on(t.orgId)],
);
