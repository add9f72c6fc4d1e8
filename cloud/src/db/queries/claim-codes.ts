import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../client';
import { claimCodes } from '../schema/index';

export type ClaimCodeRow = typeof claimCodes.$inferSelect;

export async function insertClaimCode(
  db: Db,
  row: { orgId: string; siteId: string; codeHash: string; expiresAt: Date; createdBy: string },
): Promise<ClaimCodeRow> {
  const [inserted] = await db.insert(claimCodes).values(row).returning();
  return inserted!;
}

/**
 * Uses a code once: marks it used by `deviceId` if it is unused and unexpired, atomically, so two boxes racing
 * with the same code cannot both win. Looked up by hash alone: the code is what identifies the organisation.
 */
export async function consumeClaimCode(
  db: Db,
  codeHash: string,
  deviceId: string,
): Promise<ClaimCodeRow | undefined> {
  const [row] = await db
    .update(claimCodes)
    .set({ usedAt: new Date(), deviceId })
    .where(
      and(eq(claimCodes.codeHash, codeHash), isNull(claimCodes.usedAt), gt(claimCodes.expiresAt, new Date())),
    )
    .returning();
  return row;
}
