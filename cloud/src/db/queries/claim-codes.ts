import { and, asc, eq, gt, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../client';
import { claimCodes, users } from '../schema/index';

export type ClaimCodeRow = typeof claimCodes.$inferSelect;

export async function insertClaimCode(
  db: Db,
  row: {
    orgId: string;
    siteId: string;
    codeHash: string;
    codePrefix: string;
    name: string | null;
    expiresAt: Date;
    createdBy: string;
  },
): Promise<ClaimCodeRow> {
  const [inserted] = await db.insert(claimCodes).values(row).returning();
  return inserted!;
}

/** A code usable now: not used, not revoked, not expired. */
const isOpen = (now: Date) =>
  and(isNull(claimCodes.usedAt), isNull(claimCodes.revokedAt), gt(claimCodes.expiresAt, now));

export interface OpenClaimCodeRow extends ClaimCodeRow {
  creatorEmail: string | null;
}

/** Open codes of the organisation, soonest to expire first; `siteIds` undefined means every site. */
export async function listOpenClaimCodes(
  db: Db,
  orgId: string,
  siteIds: string[] | undefined,
): Promise<OpenClaimCodeRow[]> {
  if (siteIds?.length === 0) return [];
  const rows = await db
    .select({ code: claimCodes, creatorEmail: users.email })
    .from(claimCodes)
    .leftJoin(users, eq(users.id, claimCodes.createdBy))
    .where(
      and(
        eq(claimCodes.orgId, orgId),
        siteIds ? inArray(claimCodes.siteId, siteIds) : undefined,
        isOpen(new Date()),
      ),
    )
    .orderBy(asc(claimCodes.expiresAt));
  return rows.map((r) => ({ ...r.code, creatorEmail: r.creatorEmail }));
}

export async function getClaimCode(db: Db, orgId: string, id: string): Promise<ClaimCodeRow | undefined> {
  const [row] = await db
    .select()
    .from(claimCodes)
    .where(and(eq(claimCodes.orgId, orgId), eq(claimCodes.id, id)));
  return row;
}

/** Withdraws an unused code; answers undefined when it was already used (or revoked). */
export async function revokeClaimCode(db: Db, orgId: string, id: string): Promise<ClaimCodeRow | undefined> {
  const [row] = await db
    .update(claimCodes)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(claimCodes.orgId, orgId),
        eq(claimCodes.id, id),
        isNull(claimCodes.usedAt),
        isNull(claimCodes.revokedAt),
      ),
    )
    .returning();
  return row;
}

/**
 * Uses a code once: marks it used by `deviceId` if it is unused, unrevoked and unexpired, atomically, so two boxes
 * racing with the same code cannot both win. Looked up by hash alone: the code is what identifies the organisation.
 */
export async function consumeClaimCode(
  db: Db,
  codeHash: string,
  deviceId: string,
): Promise<ClaimCodeRow | undefined> {
  const [row] = await db
    .update(claimCodes)
    .set({ usedAt: new Date(), deviceId })
    .where(and(eq(claimCodes.codeHash, codeHash), isOpen(new Date())))
    .returning();
  return row;
}
