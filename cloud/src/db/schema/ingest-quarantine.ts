import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * What ingest could not store even alone (a poisoned event or message): kept with the reason, so nothing a device
 * sent is lost and an admin can see it (`GET /api/ingest/quarantine`), while everything else keeps flowing and is
 * acknowledged. `seq` is text: a seq beyond bigint's range (1e20) is one of the things quarantined.
 */
export const ingestQuarantine = pgTable(
  'ingest_quarantine',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgId: uuid('org_id').notNull(),
    siteId: uuid('site_id').notNull(),
    deviceId: text('device_id').notNull(),
    channel: text('channel').notNull(),
    seq: text('seq'),
    reason: text('reason').notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    index('ingest_quarantine_org_created').on(t.orgId, t.createdAt),
    // The contiguous ack reads a device's quarantined seqs, and a resend checks whether it is already here.
    index('ingest_quarantine_device').on(t.deviceId, t.channel, t.seq),
  ],
);
