/**
 * The per-account limit on failed sign-ins, as pure arithmetic. The per-address rate limit alone lets an attacker
 * with many addresses guess one account's password without end; this one slows every guess at that account.
 *
 * The first FREE_FAILURES failures cost nothing (typos). Each failure from then on locks the account name for a
 * delay that doubles: 30 s, 60 s, 120 s … up to 15 minutes. While locked, sign-in is refused without checking the
 * password (a correct one too: otherwise the lock would still answer the guess) and the attempt does not lengthen
 * the lock, so the owner can always get in at most 15 minutes after the guessing stops. A failure more than an
 * hour after the previous one starts the count again; a successful sign-in clears it.
 */
export const LOGIN_BACKOFF = {
  freeFailures: 4,
  firstDelayS: 30,
  maxDelayS: 15 * 60,
  forgetAfterS: 60 * 60,
} as const;

/** Seconds the account name is locked after its `failures`-th consecutive failure (0: not locked). */
export function lockoutSeconds(failures: number, rules = LOGIN_BACKOFF): number {
  if (failures <= rules.freeFailures) return 0;
  return Math.min(rules.firstDelayS * 2 ** (failures - rules.freeFailures - 1), rules.maxDelayS);
}

/** The failure count after one more failure at `now`, given the last one (older than forgetAfterS: start over). */
export function nextFailureCount(
  previous: { failures: number; lastFailedAt: Date } | undefined,
  now: Date,
  rules = LOGIN_BACKOFF,
): number {
  if (!previous) return 1;
  const idleS = (now.getTime() - previous.lastFailedAt.getTime()) / 1000;
  return idleS > rules.forgetAfterS ? 1 : previous.failures + 1;
}

/** Whole seconds until `lockedUntil` (rounded up), or 0 when it has passed or is unset. */
export function secondsLocked(lockedUntil: Date | null | undefined, now: Date): number {
  if (!lockedUntil) return 0;
  return Math.max(0, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
}

/** The key failures are counted under: the email as the user table stores it. */
export function loginKey(email: string): string {
  return email.trim().toLowerCase();
}
