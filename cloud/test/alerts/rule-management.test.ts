import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AlertRule, AlertRuleTestResult, AlertRuleWithSecret } from '@tally/proto';
import { createLogger } from '@tally/proto/log';
import { Deliverer } from '../../src/alerts/delivery';
import { buildTestApp, type TestApp } from '../app/build';
import { seedOrg, signedIn } from '../app/seed';
import { freshPostgres, type TestDatabase } from '../helpers/databases';

/**
 * Verifies a delivery the way a receiver would, written here from the documented scheme (docs/WEBHOOKS.md) and not
 * from the cloud's code: HMAC-SHA256 over "<timestamp>.<raw body>" keyed with the secret, hex, as `v1=`, and a
 * timestamp no older than five minutes.
 */
function verify(secret: string, headers: Record<string, string | string[] | undefined>, raw: string): string {
  const ts = String(headers['x-tally-timestamp'] ?? '');
  const sig = String(headers['x-tally-signature'] ?? '');
  if (!/^\d+$/.test(ts)) return 'no timestamp';
  if (Math.abs(Date.now() / 1000 - Number(ts)) > 300) return 'outside the replay window';
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(`${ts}.${raw}`).digest('hex')}`);
  const given = Buffer.from(sig);
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'valid' : 'bad signature';
}

/** The verification example of docs/WEBHOOKS.md, written to a module and imported as a reader would use it. */
async function documentedVerifier(): Promise<
  (secret: string, headers: Record<string, unknown>, raw: string) => boolean
> {
  const doc = readFileSync(join(import.meta.dirname, '../../../docs/WEBHOOKS.md'), 'utf8');
  const block = /<!-- verify-example:start -->\s*```js\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error('docs/WEBHOOKS.md has no verify-example block');
  const file = join(mkdtempSync(join(tmpdir(), 'tally-webhook-doc-')), 'verify.mjs');
  writeFileSync(file, block);
  return ((await import(pathToFileURL(file).href)) as { verifyTallyWebhook: never }).verifyTallyWebhook;
}

/** A port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const srv = createTcpServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** A real HTTP receiver: records each request's headers and raw body; answers `status`. */
async function receiver(status: number) {
  const got: { headers: Record<string, string | string[] | undefined>; raw: string }[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      got.push({ headers: req.headers, raw });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    got,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Rule management, signed webhooks, "send test" and delivery status, through the API on PostgreSQL. */
describe('alert rule management', () => {
  let db: TestDatabase;
  let t: TestApp;
  let siteA: string;
  let siteB: string;
  let ok: Awaited<ReturnType<typeof receiver>>;
  let failing: Awaited<ReturnType<typeof receiver>>;
  const logLines: string[] = [];
  const h: Record<string, { authorization: string }> = {};

  beforeAll(async () => {
    db = await freshPostgres();
    t = await buildTestApp(db, {
      configOverrides: { allowPrivateWebhooks: true },
      log: createLogger('cloud-test', 'debug', { write: (l: string) => logLines.push(l) }),
    });
    ok = await receiver(204);
    failing = await receiver(500);
    const org = await seedOrg(db.db, 'A');
    const insert = (name: string) =>
      db.query<{ id: string }>(
        `INSERT INTO sites (org_id, name, timezone) VALUES ($1, $2, 'UTC') RETURNING id`,
        [org, name],
      );
    [{ id: siteA }] = (await insert('A1')) as [{ id: string }];
    [{ id: siteB }] = (await insert('B1')) as [{ id: string }];
    h.manager = (await signedIn(t.app, db.db, org, 'site_manager', [siteA])).headers;
    h.managerB = (await signedIn(t.app, db.db, org, 'site_manager', [siteB])).headers;
    h.admin = (await signedIn(t.app, db.db, org, 'admin')).headers;
    h.installer = (await signedIn(t.app, db.db, org, 'installer', [siteA])).headers;
    h.viewer = (await signedIn(t.app, db.db, org, 'viewer', [siteA])).headers;
  }, 60_000);
  afterAll(async () => {
    await ok?.close();
    await failing?.close();
    await t?.close();
    await db?.destroy();
  });

  const call = (who: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({
      method,
      url: `/api/sites/${siteA}${url}`,
      headers: h[who],
      ...(payload ? { payload } : {}),
    });
  const create = async (body: object): Promise<AlertRuleWithSecret> => {
    const res = await call('manager', 'POST', '/alert-rules', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const listed = async (who = 'manager'): Promise<AlertRule[]> =>
    (await call(who, 'GET', '/alert-rules')).json();

  it('creates a rule of every kind; the secret is answered once and never listed', async () => {
    const conditions = [
      { kind: 'occupancy_above', threshold: 30, forMinutes: 5 },
      { kind: 'device_offline', forMinutes: 10 },
      { kind: 'camera_stalled', forMinutes: 3 },
      { kind: 'count_above', threshold: 100, periodMinutes: 60 },
      { kind: 'count_below', threshold: 5, periodMinutes: 1440, direction: 'in' },
    ];
    const made = [];
    for (const condition of conditions)
      made.push(await create({ name: condition.kind, condition, webhookUrl: ok.url }));
    for (const rule of made) {
      expect(rule.webhookSecret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
      expect(rule.webhookSigned).toBe(true);
    }
    expect(new Set(made.map((r) => r.webhookSecret)).size).toBe(conditions.length);
    const list = await call('manager', 'GET', '/alert-rules');
    expect(list.body).not.toContain('whsec_');
    expect(list.json().map((r: AlertRule) => r.condition)).toEqual(conditions);
    const audit = await db.query<{ details: unknown }>(`SELECT details FROM audit_log`);
    expect(JSON.stringify(audit)).not.toContain('whsec_');
    // At rest the secret is sealed (AES-GCM with the cloud's key): the table never holds it in plain.
    const stored = await db.query<{ webhook_secret: string }>(
      `SELECT webhook_secret FROM alert_rules WHERE id = ANY($1::uuid[])`,
      [made.map((r) => r.id)],
    );
    expect(stored).toHaveLength(conditions.length);
    for (const { webhook_secret } of stored) {
      expect(webhook_secret).toMatch(/^tally-sealed:v1:/);
      expect(webhook_secret).not.toContain('whsec_');
    }
    for (const r of made) await call('manager', 'DELETE', `/alert-rules/${r.id}`);
  });

  it('edits, disables and enables a rule; disabling resolves its open alert; each change is audited', async () => {
    const rule = await create({
      name: 'Queue',
      condition: { kind: 'occupancy_above', threshold: 10, forMinutes: 5 },
      webhookUrl: ok.url,
    });
    await db.query(
      `INSERT INTO alert_events (org_id, site_id, rule_id, state, message, details, started_at)
       SELECT org_id, site_id, id, 'firing', 'Queue: 12 inside', '{}', now() FROM alert_rules WHERE id = $1`,
      [rule.id],
    );
    const edited = await call('manager', 'PATCH', `/alert-rules/${rule.id}`, {
      name: 'Long queue',
      condition: { kind: 'count_below', threshold: 3, periodMinutes: 30 },
      webhookUrl: null,
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({
      name: 'Long queue',
      condition: { kind: 'count_below', threshold: 3, periodMinutes: 30 },
      webhookUrl: null,
      enabled: true,
    });
    // The old condition's alert cannot resolve by itself any more: the change resolves it.
    const [event] = await db.query<{ state: string; message: string }>(
      `SELECT state, message FROM alert_events WHERE rule_id = $1`,
      [rule.id],
    );
    expect(event).toMatchObject({ state: 'resolved', message: 'Queue: 12 inside — resolved: rule changed' });
    const off = await call('manager', 'PATCH', `/alert-rules/${rule.id}`, { enabled: false });
    expect(off.json()).toMatchObject({ enabled: false, name: 'Long queue' });
    expect(
      (await call('manager', 'PATCH', `/alert-rules/${rule.id}`, { enabled: true })).json().enabled,
    ).toBe(true);
    const actions = await db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id`,
      [rule.id],
    );
    expect(actions.map((a) => a.action)).toEqual([
      'alert_rule.create',
      'alert_rule.update',
      'alert_rule.disable',
      'alert_rule.enable',
    ]);
    expect((await call('manager', 'DELETE', `/alert-rules/${rule.id}`)).statusCode).toBe(204);
    expect((await call('manager', 'PATCH', `/alert-rules/${rule.id}`, { enabled: false })).statusCode).toBe(
      404,
    );
  });

  it('gives a rule a fresh secret, answered once, when an edit adds its first webhook', async () => {
    const rule = await create({ name: 'Later hook', condition: { kind: 'device_offline', forMinutes: 5 } });
    const unchanged = await call('manager', 'PATCH', `/alert-rules/${rule.id}`, { name: 'Later hook 2' });
    expect(unchanged.json().webhookSecret).toBeUndefined();
    const added = await call('manager', 'PATCH', `/alert-rules/${rule.id}`, { webhookUrl: ok.url });
    const { webhookSecret } = added.json() as AlertRuleWithSecret;
    expect(webhookSecret).toMatch(/^whsec_/);
    expect(webhookSecret).not.toBe(rule.webhookSecret);
    await call('manager', 'POST', `/alert-rules/${rule.id}/test`);
    const delivery = ok.got.at(-1)!;
    expect(verify(webhookSecret, delivery.headers, delivery.raw)).toBe('valid');
    const again = await call('manager', 'PATCH', `/alert-rules/${rule.id}`, { webhookUrl: `${ok.url}/2` });
    expect(again.json().webhookSecret).toBeUndefined();
    await call('manager', 'DELETE', `/alert-rules/${rule.id}`);
  });

  it('refuses bad changes with a 400 that says what is wrong', async () => {
    const rule = await create({ name: 'R', condition: { kind: 'device_offline', forMinutes: 5 } });
    const patch = (body: object) => call('manager', 'PATCH', `/alert-rules/${rule.id}`, body);
    const empty = await patch({});
    expect(empty.statusCode).toBe(400);
    const negative = await patch({ condition: { kind: 'occupancy_above', threshold: -1, forMinutes: 5 } });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().error.message).toMatch(/threshold|condition/);
    const unknown = await patch({ colour: 'red' });
    expect(unknown.statusCode).toBe(400);
    const ftp = await patch({ webhookUrl: 'ftp://hooks.example.com/x' });
    expect(ftp.statusCode).toBe(400);
    expect(ftp.json().error.message).toMatch(/^webhookUrl: /);
    const email = await patch({ emailTo: 'ops@example.com' });
    expect(email.statusCode).toBe(400);
    expect(email.json().error.message).toMatch(/SMTP_URL/);
    expect(JSON.stringify([empty.json(), negative.json()])).not.toMatch(/\bat .*\.ts:\d+/);
    const test = await call('manager', 'POST', `/alert-rules/${rule.id}/test`);
    expect(test.statusCode).toBe(400);
    expect(test.json().error.message).toMatch(/no webhookUrl or emailTo/);
    await call('manager', 'DELETE', `/alert-rules/${rule.id}`);
  });

  it('lets site managers of the site and admins manage; installers, viewers read; other sites see 404', async () => {
    const rule = await create({
      name: 'Doors',
      condition: { kind: 'camera_stalled', forMinutes: 2 },
      webhookUrl: `${ok.url}/T0123/secret-token`,
    });
    for (const who of ['installer', 'viewer']) {
      expect((await call(who, 'PATCH', `/alert-rules/${rule.id}`, { enabled: false })).statusCode).toBe(403);
      expect((await call(who, 'POST', `/alert-rules/${rule.id}/test`)).statusCode).toBe(403);
      expect((await call(who, 'POST', `/alert-rules/${rule.id}/rotate-secret`)).statusCode).toBe(403);
      expect((await call(who, 'DELETE', `/alert-rules/${rule.id}`)).statusCode).toBe(403);
      // They read the rule, but not the webhook URL's path (such URLs often embed a token).
      const [seen] = await listed(who);
      expect(seen!.webhookUrl).toBe(`${new URL(ok.url).origin}/…`);
    }
    expect((await listed('manager'))[0]!.webhookUrl).toBe(`${ok.url}/T0123/secret-token`);
    expect((await call('managerB', 'PATCH', `/alert-rules/${rule.id}`, { enabled: false })).statusCode).toBe(
      404,
    );
    const byAdmin = await call('admin', 'PATCH', `/alert-rules/${rule.id}`, { name: 'Doors (admin)' });
    expect(byAdmin.statusCode).toBe(200);
    expect((await call('admin', 'DELETE', `/alert-rules/${rule.id}`)).statusCode).toBe(204);
  });

  it('sends a signed test to a real receiver, which verifies it independently; the status is kept on the rule', async () => {
    const rule = await create({
      name: 'Busy',
      condition: { kind: 'count_above', threshold: 50, periodMinutes: 15 },
      webhookUrl: ok.url,
    });
    const before = ok.got.length;
    const res = await call('manager', 'POST', `/alert-rules/${rule.id}/test`);
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json() as AlertRuleTestResult;
    expect(result.results).toEqual([
      {
        channel: 'webhook',
        target: ok.url,
        ok: true,
        httpStatus: 204,
        error: null,
        durationMs: expect.any(Number),
      },
    ]);
    expect(ok.got.length).toBe(before + 1);
    const delivery = ok.got.at(-1)!;
    expect(verify(rule.webhookSecret, delivery.headers, delivery.raw)).toBe('valid');
    // The documented Node example, run as written, accepts it too (and refuses a wrong secret).
    const documented = await documentedVerifier();
    expect(documented(rule.webhookSecret, delivery.headers, delivery.raw)).toBe(true);
    expect(documented('whsec_wrong', delivery.headers, delivery.raw)).toBe(false);
    expect(JSON.parse(delivery.raw)).toMatchObject({
      type: 'test',
      ruleId: rule.id,
      ruleName: 'Busy',
      siteId: siteA,
    });
    // A wrong secret, a changed body or an old timestamp do not verify.
    expect(verify('whsec_wrong', delivery.headers, delivery.raw)).toBe('bad signature');
    expect(verify(rule.webhookSecret, delivery.headers, delivery.raw.replace('Busy', 'Calm'))).toBe(
      'bad signature',
    );
    const old = { ...delivery.headers, 'x-tally-timestamp': String(Math.floor(Date.now() / 1000) - 600) };
    expect(verify(rule.webhookSecret, old, delivery.raw)).toBe('outside the replay window');

    const [shown] = (await listed()).filter((r) => r.id === rule.id);
    expect(shown!.delivery.webhook).toMatchObject({
      status: 'delivered',
      httpStatus: 204,
      error: null,
      attempts: 1,
      test: true,
    });
    expect(Date.now() - Date.parse(shown!.delivery.webhook!.at)).toBeLessThan(60_000);

    // Rotation: the new secret signs from now on, the old one no longer verifies.
    const rotated = (
      await call('manager', 'POST', `/alert-rules/${rule.id}/rotate-secret`)
    ).json() as AlertRuleWithSecret;
    expect(rotated.webhookSecret).not.toBe(rule.webhookSecret);
    await call('manager', 'POST', `/alert-rules/${rule.id}/test`);
    const next = ok.got.at(-1)!;
    expect(verify(rotated.webhookSecret, next.headers, next.raw)).toBe('valid');
    expect(verify(rule.webhookSecret, next.headers, next.raw)).toBe('bad signature');
    expect(logLines.join('\n')).not.toContain(rule.webhookSecret);
    expect(logLines.join('\n')).not.toContain(rotated.webhookSecret);
    await call('manager', 'DELETE', `/alert-rules/${rule.id}`);
  });

  it('shows the status and last error of a receiver that fails (500) and of one that refuses connections', async () => {
    const five = await create({
      name: 'Five hundred',
      condition: { kind: 'device_offline', forMinutes: 1 },
      webhookUrl: failing.url,
    });
    const res = (await call('manager', 'POST', `/alert-rules/${five.id}/test`)).json() as AlertRuleTestResult;
    expect(res.results[0]).toMatchObject({ ok: false, httpStatus: 500, error: 'webhook failed: HTTP 500' });
    expect(failing.got.length).toBe(1); // a test is tried once
    const closedUrl = `http://127.0.0.1:${await closedPort()}/hook`;
    const refused = await create({
      name: 'Nobody',
      condition: { kind: 'device_offline', forMinutes: 1 },
      webhookUrl: closedUrl,
    });
    const res2 = (
      await call('manager', 'POST', `/alert-rules/${refused.id}/test`)
    ).json() as AlertRuleTestResult;
    expect(res2.results[0]).toMatchObject({ ok: false, httpStatus: null });
    expect(res2.results[0]!.error).toMatch(/ECONNREFUSED/);
    const byId = new Map((await listed()).map((r) => [r.id, r.delivery.webhook]));
    expect(byId.get(five.id)).toMatchObject({
      status: 'failed',
      httpStatus: 500,
      error: 'webhook failed: HTTP 500',
      attempts: 1,
    });
    expect(byId.get(refused.id)).toMatchObject({ status: 'failed', httpStatus: null, attempts: 1 });
    expect(byId.get(refused.id)!.error).toMatch(/ECONNREFUSED/);
    await call('manager', 'DELETE', `/alert-rules/${five.id}`);
    await call('manager', 'DELETE', `/alert-rules/${refused.id}`);
  });

  it('signs every attempt of an alert delivery (retries too) and keeps its attempts and last error on the rule', async () => {
    const rule = await create({
      name: 'Retried',
      condition: { kind: 'device_offline', forMinutes: 1 },
      webhookUrl: failing.url,
    });
    const before = failing.got.length;
    const deliverer = new Deliverer({
      database: db,
      log: createLogger('test', 'silent'),
      retryDelaysMs: [10, 10],
      allowPrivateTargets: true,
    });
    const [result] = await deliverer.deliver(
      {
        orgId: (
          await db.query<{ org_id: string }>(`SELECT org_id FROM alert_rules WHERE id = $1`, [rule.id])
        )[0]!.org_id,
        ruleId: rule.id,
        webhookUrl: failing.url,
        emailTo: null,
        webhookSecret: rule.webhookSecret,
      },
      { subject: 's', text: 't', body: { type: 'alert', ruleName: 'Retried' } },
    );
    expect(result).toMatchObject({ status: 'failed', attempts: 3, httpStatus: 500 });
    const attempts = failing.got.slice(before);
    expect(attempts).toHaveLength(3);
    for (const a of attempts) expect(verify(rule.webhookSecret, a.headers, a.raw)).toBe('valid');
    const [shown] = (await listed()).filter((r) => r.id === rule.id);
    expect(shown!.delivery.webhook).toMatchObject({
      status: 'failed',
      attempts: 3,
      httpStatus: 500,
      error: 'webhook failed after 3 attempts: HTTP 500',
      test: false,
    });
    await call('manager', 'DELETE', `/alert-rules/${rule.id}`);
  });

  it('sends a test email through the configured SMTP server, and refuses email-only tests without SMTP', async () => {
    const mails: { to: string[]; data: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, done) {
        let data = '';
        stream.on('data', (c: Buffer) => (data += c.toString()));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
          done();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    vi.stubEnv('SMTP_URL', `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`);
    try {
      const rule = await create({
        name: 'Mail me',
        condition: { kind: 'device_offline', forMinutes: 1 },
        emailTo: 'ops@example.com',
      });
      const res = (
        await call('manager', 'POST', `/alert-rules/${rule.id}/test`)
      ).json() as AlertRuleTestResult;
      expect(res.results).toMatchObject([
        { channel: 'email', target: 'ops@example.com', ok: true, error: null },
      ]);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.to).toEqual(['ops@example.com']);
      expect(mails[0]!.data).toContain('Test notification from Tally');
      vi.unstubAllEnvs();
      const refused = await call('manager', 'POST', `/alert-rules/${rule.id}/test`);
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.message).toMatch(/email delivery is not configured.*SMTP_URL/);
    } finally {
      vi.unstubAllEnvs();
      await new Promise<void>((r) => smtp.close(() => r()));
    }
  });
});
