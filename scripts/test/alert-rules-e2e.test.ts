import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { AlertRule } from '@tally/proto';
import { collectErrors, launchChromium, signIn, SIZES } from '../dashboard/browser';
import { startDashboardStack, type DashboardStack } from '../dashboard/stack';

/**
 * Alert rules end to end, in Debian's Chromium on a phone-sized screen, against a real `cloud serve` on PostgreSQL:
 * a site manager creates a webhook rule, copies the secret shown once, presses "Send test", and the test
 * notification reaches a real webhook receiver (node:http on a free port) which checks its body and its signature
 * with its own HMAC code (docs/WEBHOOKS.md's scheme); then the manager disables and edits the rule.
 */
let stack: DashboardStack;
let browser: Browser;
let server: Server;
let hookUrl: string;
const received: { headers: IncomingHttpHeaders; raw: string }[] = [];
const errors: string[] = [];
const started = Date.now();

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, raw });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tally-hook`;
  stack = await startDashboardStack({
    // The receiver is on this machine: the cloud refuses loopback webhooks unless told otherwise.
    env: { ALLOW_PRIVATE_WEBHOOKS: 'true' },
    log: (m) => console.error(`[alert-rules-e2e] +${((Date.now() - started) / 1000).toFixed(1)} s ${m}`),
  });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  console.error(`[alert-rules-e2e] whole run ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 60_000);

/** The receiver's own check: HMAC-SHA256 of "<timestamp>.<raw body>", hex, `v1=`, within five minutes. */
function signatureValid(secret: string, headers: IncomingHttpHeaders, raw: string): boolean {
  const ts = String(headers['x-tally-timestamp']);
  if (!/^\d+$/.test(ts) || Math.abs(Date.now() / 1000 - Number(ts)) > 300) return false;
  const want = Buffer.from(`v1=${createHmac('sha256', secret).update(`${ts}.${raw}`).digest('hex')}`);
  const got = Buffer.from(String(headers['x-tally-signature']));
  return got.length === want.length && timingSafeEqual(got, want);
}

describe('alert rules end to end', () => {
  let page: Page;
  let secret: string;
  const rules = () => stack.api<AlertRule[]>(stack.manager, 'GET', `/sites/${stack.siteId}/alert-rules`);

  it('a site manager creates a webhook rule and sees its secret once', async () => {
    const context = await browser.newContext({ viewport: SIZES.phone, locale: 'en-GB' });
    page = await context.newPage();
    errors.push(...collectErrors(page));
    await page.goto(`${stack.url}/sign-in`);
    await signIn(page, stack.manager);
    await page.goto(`${stack.url}/sites/${stack.siteId}/alert-rules`);
    await page.getByText('No alert rules on this site yet.').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'New rule' }).click();
    const form = page.getByTestId('rule-form');
    await form.getByLabel('Name').fill('Rush hour');
    await form.getByLabel('When').selectOption('count_above');
    await form.getByLabel('Threshold (count)').fill('500');
    await form.getByLabel('Per period (minutes)').fill('60');
    await form.getByLabel('Counted at').selectOption(stack.lineKey);
    await form.getByLabel('Webhook URL (optional)').fill(hookUrl);
    await form.getByRole('button', { name: 'Create rule' }).click();
    secret = (await page.getByTestId('webhook-secret').textContent({ timeout: 30_000 })) ?? '';
    expect(secret).toMatch(/^whsec_/);
    const [rule] = await rules();
    expect(rule).toMatchObject({
      name: 'Rush hour',
      enabled: true,
      webhookUrl: hookUrl,
      condition: { kind: 'count_above', threshold: 500, periodMinutes: 60, ruleId: stack.lineKey },
    });
    expect(JSON.stringify(rule)).not.toContain(secret);
    await page.getByRole('button', { name: 'I have stored it' }).click();
  }, 60_000);

  it('"Send test" reaches the real receiver, signed; the page shows the result and the delivery status', async () => {
    const card = page.getByTestId('rule-Rush hour');
    await card.getByRole('button', { name: 'Send test' }).click();
    await card
      .getByTestId('test-result')
      .getByText(/test delivered \(HTTP 204\)/)
      .waitFor({ timeout: 30_000 });
    expect(received).toHaveLength(1);
    const [delivery] = received;
    expect(JSON.parse(delivery!.raw)).toMatchObject({
      type: 'test',
      ruleName: 'Rush hour',
      siteId: stack.siteId,
    });
    expect(signatureValid(secret, delivery!.headers, delivery!.raw)).toBe(true);
    expect(signatureValid(`${secret}x`, delivery!.headers, delivery!.raw)).toBe(false);
    await card.getByTestId('delivery-webhook').getByText('delivered').waitFor({ timeout: 30_000 });
    expect(await card.getByTestId('delivery-webhook').textContent()).toMatch(/HTTP 204.*test/);
  }, 60_000);

  it('disables the rule, then edits it', async () => {
    const card = page.getByTestId('rule-Rush hour');
    await card.getByRole('switch', { name: 'Rush hour enabled' }).click();
    await card.getByText('Disabled').waitFor({ timeout: 30_000 });
    expect((await rules())[0]!.enabled).toBe(false);
    await card.getByRole('button', { name: 'Edit' }).click();
    const form = page.getByTestId('rule-form');
    expect(await form.getByLabel('Threshold (count)').inputValue()).toBe('500');
    await form.getByLabel('Name').fill('Evening rush');
    await form.getByLabel('Threshold (count)').fill('800');
    await form.getByRole('button', { name: 'Save rule' }).click();
    await page.getByTestId('rule-Evening rush').waitFor({ timeout: 30_000 });
    const [rule] = await rules();
    expect(rule).toMatchObject({
      name: 'Evening rush',
      enabled: false,
      condition: { kind: 'count_above', threshold: 800, periodMinutes: 60, ruleId: stack.lineKey },
      webhookUrl: hookUrl,
    });
    expect(errors).toEqual([]);
  }, 60_000);
});
