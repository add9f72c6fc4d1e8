import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockoutSeconds } from '../../src/auth/login-backoff';
import { freshPostgres, type TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from '../app/build';
import { PASSWORD, seedOrg, seedUser } from '../app/seed';

/**
 * Regression of issue 9 item 2: failed sign-ins were limited per address only, so guesses from many addresses at
 * one account never slowed down. Now each account name gets a growing lock after four free failures.
 */
describe('per-account limit on failed sign-ins', () => {
  let database: TestDatabase;
  let t: TestApp;
  let orgId: string;
  beforeAll(async () => {
    database = await freshPostgres();
    // A per-address limit far above what these tests send: only the per-account one can answer 429 here.
    t = await buildTestApp(database, { configOverrides: { loginRateLimit: 1000 } });
    orgId = await seedOrg(database.db);
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  let address = 0;
  /** Each attempt from another address, as a guesser with a botnet would. */
  const signIn = (email: string, password: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: `198.51.100.${(address = (address % 250) + 1)}`,
      payload: { email, password },
    });
  /** Moves the lock into the past, as if its delay had elapsed (waiting 30 s in a test is not an option). */
  const expireLock = (email: string) =>
    database.query(`update login_failures set locked_until = now() - interval '1 second' where email = $1`, [
      email.toLowerCase(),
    ]);

  it('doubles the delay from the fifth failure, up to 15 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 40].map((n) => lockoutSeconds(n))).toEqual([
      0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900,
    ]);
  });

  it('locks an account after five failures from different addresses, even for the right password', async () => {
    const user = await seedUser(database.db, orgId, 'viewer');
    for (let i = 0; i < 5; i++) expect((await signIn(user.email, `guess-${i}`)).statusCode).toBe(401);

    const locked = await signIn(user.email, PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('TALLY_LOGIN_LOCKED');
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(30);

    // Once the delay has passed, one more wrong guess locks it for twice as long.
    await expireLock(user.email);
    expect((await signIn(user.email.toUpperCase(), 'guess-6')).statusCode).toBe(401);
    const longer = await signIn(user.email, PASSWORD);
    expect(longer.statusCode).toBe(429);
    expect(Number(longer.headers['retry-after'])).toBeGreaterThan(30);
    expect(Number(longer.headers['retry-after'])).toBeLessThanOrEqual(60);

    // After that, the right password signs in and the count starts over.
    await expireLock(user.email);
    expect((await signIn(user.email, PASSWORD)).statusCode).toBe(200);
    expect((await signIn(user.email, 'one typo')).statusCode).toBe(401);
    expect((await signIn(user.email, PASSWORD)).statusCode).toBe(200);
  });

  it('treats an email with no account the same, so a lock reveals nothing', async () => {
    const email = `nobody-${Date.now()}@example.com`;
    for (let i = 0; i < 5; i++) expect((await signIn(email, `guess-${i}`)).statusCode).toBe(401);
    expect((await signIn(email, 'guess-5')).json().error.code).toBe('TALLY_LOGIN_LOCKED');
  });

  it('does not lock other accounts', async () => {
    const victim = await seedUser(database.db, orgId, 'viewer');
    const bystander = await seedUser(database.db, orgId, 'viewer');
    for (let i = 0; i < 6; i++) await signIn(victim.email, `guess-${i}`);
    expect((await signIn(bystander.email, PASSWORD)).statusCode).toBe(200);
  });
});
