import { and, eq } from 'drizzle-orm';
import type { CommandResult } from '@tally/proto';
import type { Db } from '../client';
import { commandResults, deviceCommands } from '../schema/index';

export type DeviceCommandRow = typeof deviceCommands.$inferSelect;

export async function insertDeviceCommand(db: Db, row: typeof deviceCommands.$inferInsert): Promise<void> {
  await db.insert(deviceCommands).values(row);
}

/** A command of the organisation's device, with the device's answer when it has one. */
export async function getDeviceCommand(
  db: Db,
  orgId: string,
  deviceId: string,
  commandId: string,
): Promise<{ command: DeviceCommandRow; result: CommandResult | null } | undefined> {
  const [row] = await db
    .select({ command: deviceCommands, result: commandResults.result })
    .from(deviceCommands)
    .leftJoin(
      commandResults,
      and(
        eq(commandResults.deviceId, deviceCommands.deviceId),
        eq(commandResults.commandId, deviceCommands.id),
      ),
    )
    .where(
      and(
        eq(deviceCommands.orgId, orgId),
        eq(deviceCommands.deviceId, deviceId),
        eq(deviceCommands.id, commandId),
      ),
    );
  if (!row) return undefined;
  return { command: row.command, result: (row.result as CommandResult | null) ?? null };
}
