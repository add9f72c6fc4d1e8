import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Tenants. Every other row belongs to exactly one organisation, and every query is scoped by it. */
export const organisations = pgTable('organisations', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
