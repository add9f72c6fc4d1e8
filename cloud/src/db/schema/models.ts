import { bigint, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';

/**
 * Detector model catalogue. `model_key` is the ModelRef id devices see in their config; the file lives in the
 * data dir (`file_path`, relative to it) and is served to devices with their credentials.
 */
export const models = pgTable(
  'models',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    modelKey: text('model_key').notNull(),
    name: text('name').notNull(),
    version: text('version').notNull(),
    layout: text('layout').notNull(),
    sha256: text('sha256'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    classNames: jsonb('class_names').$type<string[]>(),
    filePath: text('file_path'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('models_org_key_uq').on(t.orgId, t.modelKey), index('models_org_idx').on(t.orgId)],
);
