import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organisations } from './organisations';
import { sites } from './sites';

/**
 * One-time, expiring provisioning codes for a site, stored as sha256 of the normalised code. `code_prefix` keeps
 * the first two characters (31² possibilities: not enough to help a guess) so open codes can be told apart;
 * `revoked_at` is set when someone withdraws a code before it is used.
 */
export const claimCodes = pgTable('claim_codes', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: uuid('org_id')
    .notNull()
    .references(() => organisations.id, { onDelete: 'cascade' }),
  siteId: uuid('site_id')
    .notNull()
    .references(() => sites.id, { onDelete: 'cascade' }),
  codeHash: text('code_hash').notNull().unique(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  deviceId: text('device_id'),
  createdBy: uuid('created_by'),
  name: text('name'),
  codePrefix: text('code_prefix'),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
