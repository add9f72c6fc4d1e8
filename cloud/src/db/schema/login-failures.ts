import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Failed sign-ins per account name (the lower-cased email as typed, whether or not such a user exists, so a lock
 * tells nothing about which emails are registered). Not scoped by organisation: sign-in happens before one is
 * known. `locked_until` is set by the growing delay of auth/login-backoff.ts; a successful sign-in deletes the row.
 */
export const loginFailures = pgTable('login_failures', {
  email: text('email').primaryKey(),
  failures: integer('failures').notNull(),
  lastFailedAt: timestamp('last_failed_at', { withTimezone: true }).notNull(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
});
