import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/db/queries/audit';
import { buildTestApp, type TestApp } from '../app/build';
import { seedOrg, signedIn } from '../app/seed';
import { DATABASES, type TestDatabase } from '../helpers/databases';

interface Entry {
  id: number;
  action: string;
  actorUserId: string | null;
  targetType: string | null;
  targetId: string | null;
  createdAt: string;
}

describe.each(DATABASES)('audit filters, paging and CSV export on $kind', ({ fresh }) => {
  let database: TestDatabase;
  let t: TestApp;
  let orgId: string;
  let admin: { id: string; headers: { authorization: string } };
  let other: { id: string };
  const alice = '11111111-1111-4111-8111-111111111111';

  beforeAll(async () => {
    database = await fresh();
    t = await buildTestApp(database);
    orgId = await seedOrg(database.db);
    admin = await signedIn(t.app, database.db, orgId, 'admin');
    other = await signedIn(t.app, database.db, orgId, 'viewer');
    // A known set: 30 entries by two actors on two target types, then one with hostile text.
    for (let i = 0; i < 30; i++) {
      await recordAudit(database.db, orgId, {
        action: i % 3 === 0 ? 'user.create' : 'site.update',
        actorUserId: i % 2 === 0 ? admin.id : other.id,
        targetType: i % 3 === 0 ? 'user' : 'site',
        targetId: i % 3 === 0 ? alice : `site-${i}`,
      });
    }
    await recordAudit(database.db, orgId, {
      action: 'site.update',
      actorUserId: admin.id,
      targetType: 'site',
      targetId: '=HYPERLINK("http://evil.example")',
      details: { name: 'Shop, "Main"\nfloor' },
    });
    // Another organisation's entries never show.
    const otherOrg = await seedOrg(database.db, 'Other');
    await recordAudit(database.db, otherOrg, { action: 'user.create', targetType: 'user', targetId: alice });
  });
  afterAll(async () => {
    await t?.close();
    await database?.destroy();
  });

  const list = async (qs: string) => {
    const res = await t.app.inject({ url: `/api/audit?${qs}`, headers: admin.headers });
    expect(res.statusCode, res.body).toBe(200);
    return { entries: res.json() as Entry[], next: res.headers['x-next-before'] as string | undefined };
  };

  it('filters by action, actor, target type and id, combined', async () => {
    const creates = (await list('action=user.create&limit=500')).entries;
    expect(creates).toHaveLength(10);
    expect(creates.every((e) => e.action === 'user.create' && e.targetId === alice)).toBe(true);
    const byOther = (await list(`actorUserId=${other.id}&limit=500`)).entries;
    expect(byOther.every((e) => e.actorUserId === other.id)).toBe(true);
    // Its 15 seeded entries (odd i: 5 of them with i % 3 === 0), and its own sign-in.
    const expected = [...Array(10).fill('site.update'), ...Array(5).fill('user.create'), 'auth.login'];
    expect(byOther.map((e) => e.action).sort()).toEqual(expected.sort());
    const both = (await list(`actorUserId=${admin.id}&targetType=user&targetId=${alice}&limit=500`)).entries;
    // i in 0..29 with i%2==0 and i%3==0: 0, 6, 12, 18, 24.
    expect(both).toHaveLength(5);
  });

  it('filters by time range [from, to)', async () => {
    const all = (await list('limit=500')).entries;
    const times = all.map((e) => Date.parse(e.createdAt));
    const future = new Date(Math.max(...times) + 60_000).toISOString();
    expect((await list(`from=${encodeURIComponent(future)}`)).entries).toHaveLength(0);
    const past = new Date(Math.min(...times) - 60_000).toISOString();
    expect(
      (await list(`from=${encodeURIComponent(past)}&to=${encodeURIComponent(future)}&limit=500`)).entries,
    ).toHaveLength(all.length);
    const bad = await t.app.inject({
      url: `/api/audit?from=${encodeURIComponent(future)}&to=${encodeURIComponent(past)}`,
      headers: admin.headers,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/`to` must be after `from`/);
  });

  it('pages newest first with x-next-before until the last page, without gaps or repeats', async () => {
    const all = (await list('action=site.update&limit=500')).entries;
    expect(all).toHaveLength(21);
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await list(`action=site.update&limit=8${cursor ? `&before=${cursor}` : ''}`);
      seen.push(...page.entries.map((e) => e.id));
      cursor = page.next;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(all.map((e) => e.id));
  });

  it('exports the filtered set as CSV, guarded and quoted, and audits the export', async () => {
    const res = await t.app.inject({ url: '/api/audit/export?action=site.update', headers: admin.headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="tally-audit-.*\.csv"/);
    const lines = res.body.split('\r\n').filter(Boolean);
    // The details cell holds a line break inside quotes, so count records by their leading id instead.
    const records = res.body.split(/\r\n(?=\d+,)/);
    expect(lines[0]).toBe(
      'id,created_at,action,actor_user_id,actor_email,actor_device_id,target_type,target_id,ip,details',
    );
    expect(records).toHaveLength(1 + 21);
    expect(res.body).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(res.body).toContain('"{""name"":""Shop, \\""Main\\""\\nfloor""}"');
    expect(res.body).not.toMatch(/,=HYPERLINK/);
    const exports = (await list('action=audit.export')).entries;
    expect(exports[0]).toMatchObject({ actorUserId: admin.id });
  });

  it('is refused to a viewer (list and export)', async () => {
    const viewer = await signedIn(t.app, database.db, orgId, 'viewer');
    for (const url of ['/api/audit', '/api/audit/export'])
      expect((await t.app.inject({ url, headers: viewer.headers })).statusCode, url).toBe(403);
  });
});
