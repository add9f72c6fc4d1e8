import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOwner } from '../../src/auth/create-owner';
import { findUserByEmail } from '../../src/db/queries/users';
import { freshPostgres, type TestDatabase } from '../helpers/databases';

describe('createOwner', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshPostgres();
  });
  afterAll(() => database?.destroy());

  it('creates the organisation once, refuses a taken email and a short password', async () => {
    const a = await createOwner(database.db, {
      email: 'Owner@Example.com',
      password: 'long enough pw',
      org: 'Acme',
    });
    expect(a.createdOrg).toBe(true);
    expect((await findUserByEmail(database.db, 'owner@example.com'))?.role).toBe('owner');
    const b = await createOwner(database.db, {
      email: 'second@example.com',
      password: 'long enough pw',
      org: 'Acme',
    });
    expect([b.createdOrg, b.orgId]).toEqual([false, a.orgId]);
    await expect(
      createOwner(database.db, { email: 'owner@example.com', password: 'long enough pw', org: 'X' }),
    ).rejects.toThrow(/already exists/);
    await expect(
      createOwner(database.db, { email: 'c@example.com', password: 'short', org: 'X' }),
    ).rejects.toThrow(/10/);
  });
});
