import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Role } from '@tally/proto';
import type { Db } from '../client';
import { users } from '../schema/index';

export type UserRow = typeof users.$inferSelect;

/** Login is by email alone (emails are unique across organisations). */
export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  return row;
}

/** A user that may still sign in (not disabled). Used by token checks, so not scoped by org here: callers compare. */
export async function findActiveUser(db: Db, userId: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.disabledAt)));
  return row;
}

export async function getUser(db: Db, orgId: string, userId: string): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.id, userId)));
  return row;
}

export async function listUsers(db: Db, orgId: string): Promise<UserRow[]> {
  return db.select().from(users).where(eq(users.orgId, orgId)).orderBy(asc(users.email));
}

export interface NewUser {
  email: string;
  name?: string;
  passwordHash: string;
  role: Role;
  siteIds?: string[];
}

export async function createUser(db: Db, orgId: string, user: NewUser): Promise<UserRow> {
  const [row] = await db
    .insert(users)
    .values({
      orgId,
      email: user.email.trim().toLowerCase(),
      name: user.name ?? '',
      passwordHash: user.passwordHash,
      role: user.role,
      siteIds: user.siteIds ?? [],
    })
    .returning();
  return row!;
}

export interface UserPatch {
  name?: string;
  role?: Role;
  siteIds?: string[];
  passwordHash?: string;
  disabled?: boolean;
}

export async function updateUser(
  db: Db,
  orgId: string,
  userId: string,
  patch: UserPatch,
): Promise<UserRow | undefined> {
  const [row] = await db
    .update(users)
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.siteIds !== undefined ? { siteIds: patch.siteIds } : {}),
      ...(patch.passwordHash !== undefined ? { passwordHash: patch.passwordHash } : {}),
      ...(patch.disabled !== undefined ? { disabledAt: patch.disabled ? new Date() : null } : {}),
      updatedAt: new Date(),
    })
    .where(and(eq(users.orgId, orgId), eq(users.id, userId)))
    .returning();
  return row;
}

export async function deleteUser(db: Db, orgId: string, userId: string): Promise<boolean> {
  const rows = await db
    .delete(users)
    .where(and(eq(users.orgId, orgId), eq(users.id, userId)))
    .returning({ id: users.id });
  return rows.length > 0;
}

/**
 * The organisation's enabled owners, locked until the transaction ends: two owners demoting each other at the same
 * moment are serialised, so the last-owner rule holds.
 */
export async function lockEnabledOwnerIds(db: Db, orgId: string): Promise<string[]> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.role, 'owner'), isNull(users.disabledAt)))
    .for('update');
  return rows.map((r) => r.id);
}
