import { eq } from 'drizzle-orm';
import { lockoutSeconds, nextFailureCount } from '../../auth/login-backoff';
import type { Db } from '../client';
import { loginFailures } from '../schema/index';

/** When the account name `key` is locked until (null: not locked or never failed). */
export async function loginLockedUntil(db: Db, key: string): Promise<Date | null> {
  const [row] = await db
    .select({ lockedUntil: loginFailures.lockedUntil })
    .from(loginFailures)
    .where(eq(loginFailures.email, key));
  return row?.lockedUntil ?? null;
}

/**
 * Counts one failed sign-in for `key` and sets its lock. In one transaction with the row locked, so concurrent
 * failures each count (an attacker's parallel guesses cannot share one increment).
 */
export async function recordLoginFailure(db: Db, key: string, now: Date): Promise<{ failures: number }> {
  return db.transaction(async (tx) => {
    await tx
      .insert(loginFailures)
      .values({ email: key, failures: 0, lastFailedAt: now })
      .onConflictDoNothing();
    const [previous] = await tx
      .select()
      .from(loginFailures)
      .where(eq(loginFailures.email, key))
      .for('update');
    const failures = nextFailureCount(previous?.failures ? previous : undefined, now);
    const delayS = lockoutSeconds(failures);
    await tx
      .update(loginFailures)
      .set({
        failures,
        lastFailedAt: now,
        lockedUntil: delayS > 0 ? new Date(now.getTime() + delayS * 1000) : null,
      })
      .where(eq(loginFailures.email, key));
    return { failures };
  });
}

/** Forgets the failures of `key` (after a successful sign-in). */
export async function clearLoginFailures(db: Db, key: string): Promise<void> {
  await db.delete(loginFailures).where(eq(loginFailures.email, key));
}
