import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured } from '@tally/proto/cli';
import { createOwner } from '../../src/auth/create-owner';
import { buildProgram } from '../../src/cli/main';
import { findUserByEmail } from '../../src/db/queries/users';
import { freshPostgres, type TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from '../app/build';
import { signedIn } from '../app/seed';

describe('createOwner', () => {
  let database: TestDatabase;
  let t: TestApp;
  beforeAll(async () => {
    database = await freshPostgres();
    t = await buildTestApp(database);
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  const pw = 'long enough pw';
  const invite = async (headers: { authorization: string }, email: string) =>
    t.app.inject({ method: 'POST', url: '/api/invitations', headers, payload: { email } });

  it('creates a new organisation, refuses a taken email and a short password', async () => {
    const a = await createOwner(database.db, { email: 'Owner@Example.com', password: pw, org: 'Acme' });
    expect(a.createdOrg).toBe(true);
    expect((await findUserByEmail(database.db, 'owner@example.com'))?.role).toBe('owner');
    await expect(
      createOwner(database.db, { email: 'owner@example.com', password: pw, org: 'X' }),
    ).rejects.toThrow(/already exists/);
    await expect(
      createOwner(database.db, { email: 'c@example.com', password: 'short', org: 'X' }),
    ).rejects.toThrow(/10/);
  });

  // Regression of issue 9 item 5: a second customer's owner named the same organisation and silently joined it.
  it('refuses to join an existing organisation by its name, and creates no account', async () => {
    const first = await createOwner(database.db, {
      email: 'first@example.com',
      password: pw,
      org: 'Default',
    });
    await expect(
      createOwner(database.db, { email: 'stranger@example.com', password: pw, org: 'Default' }),
    ).rejects.toThrow(/already exists .*invitation/);
    expect(await findUserByEmail(database.db, 'stranger@example.com')).toBeUndefined();
    const orgs = await database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM organisations WHERE name = 'Default'`,
    );
    expect(orgs[0]!.n).toBe(1);
    const members = await database.query<{ email: string }>('SELECT email FROM users WHERE org_id = $1', [
      first.orgId,
    ]);
    expect(members.map((m) => m.email)).toEqual(['first@example.com']);
  });

  it("joins an existing organisation only with an owner's invitation: that email, once, before it expires", async () => {
    const boss = await createOwner(database.db, {
      email: 'boss@example.com',
      password: pw,
      org: 'Invited Co',
    });
    const { headers } = await signedIn(t.app, database.db, boss.orgId, 'owner');
    const res = await invite(headers, 'Partner@Example.com');
    expect(res.statusCode).toBe(201);
    const { code } = res.json() as { code: string };

    await expect(
      createOwner(database.db, { email: 'someone-else@example.com', password: pw, invitation: code }),
    ).rejects.toThrow(/no valid invitation/);
    const joined = await createOwner(database.db, {
      email: 'partner@example.com',
      password: pw,
      invitation: code,
    });
    expect(joined).toMatchObject({ orgId: boss.orgId, createdOrg: false });
    expect((await findUserByEmail(database.db, 'partner@example.com'))?.role).toBe('owner');
    await expect(
      createOwner(database.db, { email: 'again@example.com', password: pw, invitation: code }),
    ).rejects.toThrow(/no valid invitation/);

    const late = (await invite(headers, 'late@example.com')).json() as { code: string };
    await database.query(
      `UPDATE invitations SET expires_at = now() - interval '1 second' WHERE email = 'late@example.com'`,
    );
    await expect(
      createOwner(database.db, { email: 'late@example.com', password: pw, invitation: late.code }),
    ).rejects.toThrow(/no valid invitation/);
    expect(await findUserByEmail(database.db, 'late@example.com')).toBeUndefined();
  });

  it('lets only owners issue invitations', async () => {
    const org = await createOwner(database.db, { email: 'o@example.com', password: pw, org: 'Admins Co' });
    const admin = await signedIn(t.app, database.db, org.orgId, 'admin');
    expect((await invite(admin.headers, 'x@example.com')).statusCode).toBe(403);
  });

  it('the CLI wants exactly one of --org and --invitation (exit 2)', async () => {
    const run = (args: string[]) =>
      runCaptured(buildProgram(), [
        'node',
        'tally-cloud',
        'create-owner',
        '--email',
        'a@b.co',
        '--password',
        pw,
        ...args,
      ]);
    for (const args of [[], ['--org', 'A', '--invitation', 'abc']]) {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('exactly one of --org NAME');
    }
  });
});
