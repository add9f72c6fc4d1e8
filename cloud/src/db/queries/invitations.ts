import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../client';
import { invitations } from '../schema/index';

export type InvitationRow = typeof invitations.$inferSelect;

export async function insertInvitation(
  db: Db,
  row: { orgId: string; email: string; role: string; codeHash: string; expiresAt: Date; createdBy: string },
): Promise<InvitationRow> {
  const [inserted] = await db.insert(invitations).values(row).returning();
  return inserted!;
}

/**
 * Marks the invitation with this code used, if it is unused, unexpired and for `email`: the invitation, or
 * undefined. One statement, so a code is redeemed at most once even when two redeem it at the same moment.
 */
export async function redeemInvitation(
  db: Db,
  codeHash: string,
  email: string,
  now: Date,
): Promise<InvitationRow | undefined> {
  const [row] = await db
    .update(invitations)
    .set({ usedAt: now })
    .where(
      and(
        eq(invitations.codeHash, codeHash),
        eq(invitations.email, email),
        isNull(invitations.usedAt),
        gt(invitations.expiresAt, now),
      ),
    )
    .returning();
  return row;
}
