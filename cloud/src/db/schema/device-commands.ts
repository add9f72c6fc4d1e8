import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { devices } from './devices';
import { organisations } from './organisations';

/**
 * Commands the cloud sent a device (proto Command on `commands`), so their status can be read back: the device's
 * answer lands in `command_results` under the same (device_id, command_id); no answer by `timeout_at` is timed_out.
 */
export const deviceCommands = pgTable(
  'device_commands',
  {
    id: text('id').primaryKey(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    deviceId: text('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    cameraKey: text('camera_key'),
    fromSeq: integer('from_seq'),
    issuedBy: uuid('issued_by'),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
    timeoutAt: timestamp('timeout_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('device_commands_device_issued').on(t.deviceId, t.issuedAt)],
);
