import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@tally/proto/log';
import { Deliverer } from '../../src/alerts/delivery';
import { publicOnlyLookup } from '../../src/alerts/post-json';
import { isBlockedAddress } from '../../src/net/blocked-address';
import { freshPostgres, type TestDatabase } from '../helpers/databases';
import { buildTestApp, type TestApp } from '../app/build';
import { createSite, seedOrg, signedIn } from '../app/seed';

/**
 * Regression of issue 9 item 4: alert webhooks could be any URL, e.g. http://169.254.169.254/ (the cloud
 * metadata service), so the cloud would POST to its own private network on a user's behalf.
 */
describe('webhook targets', () => {
  it('blocks loopback, link-local, private, shared and multicast addresses (IANA special-purpose registry)', () => {
    const blocked = ['169.254.169.254', '127.0.0.1', '127.8.9.1', '10.1.2.3', '172.16.0.1', '172.31.255.255'];
    blocked.push('192.168.1.1', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255');
    blocked.push('::1', '::', 'fe80::1', 'fd00:ec2::254', 'fc00::1', 'ff02::1');
    blocked.push('::ffff:169.254.169.254', '::ffff:a9fe:a9fe', '::ffff:7f00:1');
    const allowed = ['8.8.8.8', '93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111'];
    expect(blocked.filter((a) => !isBlockedAddress(a))).toEqual([]);
    expect(allowed.filter((a) => isBlockedAddress(a))).toEqual([]);
  });

  it('refuses, at resolution time, a name that resolves to a loopback address', async () => {
    const error = await new Promise<Error | null>((resolve) =>
      publicOnlyLookup('localhost', {}, (err) => resolve(err)),
    );
    expect(error?.message).toMatch(/localhost resolves to .*loopback/);
  });

  describe('over the API and at delivery', () => {
    let database: TestDatabase;
    let t: TestApp;
    let allowing: TestApp;
    let headers: { authorization: string };
    let siteId: string;
    let receiver: Server;
    let receiverUrl: string;
    let received = 0;
    beforeAll(async () => {
      database = await freshPostgres();
      t = await buildTestApp(database);
      allowing = await buildTestApp(database, { configOverrides: { allowPrivateWebhooks: true } });
      const orgId = await seedOrg(database.db);
      headers = (await signedIn(t.app, database.db, orgId, 'admin')).headers;
      siteId = await createSite(t.app, headers);
      receiver = createServer((_req, res) => {
        received += 1;
        res.end('ok');
      });
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
      receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    });
    afterAll(async () => {
      await new Promise((r) => receiver?.close(r));
      await t?.close();
      await allowing?.close();
      await database?.destroy();
    });

    const createRule = (app: TestApp, webhookUrl: string) =>
      app.app.inject({
        method: 'POST',
        url: `/api/sites/${siteId}/alert-rules`,
        headers,
        payload: {
          name: 'Busy',
          condition: { kind: 'occupancy_above', threshold: 1, forMinutes: 0 },
          webhookUrl,
        },
      });

    it.each([
      'http://169.254.169.254/latest/meta-data/iam/',
      'http://[::ffff:169.254.169.254]/',
      'http://127.1:8080/',
      'http://localhost:8080/x',
      'http://10.0.0.5/hook',
      'ftp://hooks.example.com/x',
      'file:///etc/passwd',
    ])('refuses the webhook %s with a 400', async (url) => {
      const res = await createRule(t, url);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(/^webhookUrl: /);
    });

    it('accepts a public https webhook, and a private one when ALLOW_PRIVATE_WEBHOOKS is set', async () => {
      expect((await createRule(t, 'https://hooks.example.com/x')).statusCode).toBe(201);
      expect((await createRule(allowing, receiverUrl)).statusCode).toBe(201);
    });

    it('does not POST to a private address at delivery (a rule stored before this check), unless allowed', async () => {
      const deliver = (allowPrivateTargets: boolean) =>
        new Deliverer({
          database,
          log: createLogger('test', 'silent'),
          retryDelaysMs: [10, 10],
          allowPrivateTargets,
        }).deliver(
          { orgId: '00000000-0000-4000-8000-000000000000', webhookUrl: receiverUrl, emailTo: null },
          { subject: 's', text: 't', body: { hello: 1 } },
        );
      await deliver(false);
      expect(received).toBe(0);
      const [refused] = await database.query<{ status: string; attempts: number; last_error: string }>(
        `select status, attempts, last_error from alert_deliveries where target = $1 order by id`,
        [receiverUrl],
      );
      expect(refused).toMatchObject({ status: 'failed', attempts: 1 });
      expect(refused!.last_error).toMatch(/webhook refused/);
      await deliver(true);
      expect(received).toBe(1);
    });
  });
});
