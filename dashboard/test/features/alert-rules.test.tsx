import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AlertRule } from '@tally/proto';
import { describe, expect, it } from 'vitest';
import {
  describeCondition,
  fromRule,
  toBody,
  toCondition,
  toPatch,
} from '../../src/features/alert-rules/components/rule-fields';
import { site } from '../support/fixtures';
import { renderApp, signedInTransport, SITE_ID, stubApi } from '../support/render';

// The page is a lazy route: on a loaded machine its first import alone can take longer than the default 1 s.
configure({ asyncUtilTimeout: 10_000 });

const PAGE = `/sites/${SITE_ID}/alert-rules`;
const RULES = `/api/sites/${SITE_ID}/alert-rules`;

const rule = (over: Partial<AlertRule> = {}): AlertRule => ({
  id: 'r1',
  siteId: SITE_ID,
  name: 'Lobby full',
  condition: { kind: 'occupancy_above', threshold: 30, forMinutes: 5, zoneId: 'lobby' },
  enabled: true,
  webhookUrl: 'https://hooks.example.com/tally',
  emailTo: null,
  createdAt: '2026-03-01T00:00:00Z',
  webhookSigned: true,
  delivery: { webhook: null, email: null },
  ...over,
});

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const bodyOf = (init?: RequestInit) => JSON.parse(String(init?.body ?? 'null'));

describe('alert rules page: states', () => {
  it('loading: says so while the rules are on their way', async () => {
    stubApi({
      [`GET ${RULES}`]: () => new Promise<Response>(() => {}) as unknown as Response,
      [`GET /api/sites/${SITE_ID}`]: { body: site },
    });
    renderApp(PAGE, signedInTransport('site_manager'));
    expect(await screen.findByText('Loading alert rules…')).toBeTruthy();
  });

  it('empty: a site manager is invited to create one', async () => {
    stubApi({ [`GET ${RULES}`]: { body: [] }, [`GET /api/sites/${SITE_ID}`]: { body: site } });
    renderApp(PAGE, signedInTransport('site_manager'));
    expect(await screen.findByText(/No alert rules on this site yet\. Create one/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'New rule' })).toBeTruthy();
  });

  it('error: shows the cloud’s message and retries', async () => {
    let calls = 0;
    stubApi({
      [`GET ${RULES}`]: () => {
        calls += 1;
        return calls <= 3
          ? json({ error: { code: 'TALLY_INTERNAL', message: 'database unavailable' } }, 503)
          : json([rule()]);
      },
      [`GET /api/sites/${SITE_ID}`]: { body: site },
    });
    renderApp(PAGE, signedInTransport('site_manager'));
    // Server errors are retried twice before the page says so.
    expect(
      await screen.findByText(/Could not load this: database unavailable/, undefined, { timeout: 10_000 }),
    ).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('Lobby full')).toBeTruthy();
  });

  it('forbidden: the cloud’s 403 is shown as such', async () => {
    stubApi({
      [`GET ${RULES}`]: {
        status: 403,
        body: { error: { code: 'TALLY_FORBIDDEN', message: 'your role (viewer) cannot do site.read here' } },
      },
      [`GET /api/sites/${SITE_ID}`]: { body: site },
    });
    renderApp(PAGE, signedInTransport('viewer'));
    const forbidden = await screen.findByTestId('forbidden');
    expect(forbidden.textContent).toMatch(/cannot see this site’s alert rules.*cannot do site\.read/);
  });

  it('viewers and installers read the rules without any control', async () => {
    for (const role of ['viewer', 'installer'] as const) {
      stubApi({
        [`GET ${RULES}`]: { body: [rule({ webhookUrl: 'https://hooks.example.com/…' })] },
        [`GET /api/sites/${SITE_ID}`]: { body: site },
      });
      const view = renderApp(PAGE, signedInTransport(role));
      expect(await screen.findByText('More than 30 inside lobby for 5 minutes')).toBeTruthy();
      expect(screen.getByText(/you can read them/)).toBeTruthy();
      for (const name of ['New rule', 'Edit', 'Send test', 'Delete', 'Rotate secret'])
        expect(screen.queryByRole('button', { name: new RegExp(name) })).toBeNull();
      expect(screen.queryByRole('switch')).toBeNull();
      view.unmount();
    }
  });
});

describe('alert rules page: a site manager', () => {
  it('creates a count rule with kind-specific fields, is told what is wrong, then sees the secret once', async () => {
    const calls = stubApi({
      [`GET ${RULES}`]: { body: [] },
      [`GET /api/sites/${SITE_ID}`]: { body: site },
      [`POST ${RULES}`]: (_url, init) =>
        json({ ...rule({ ...bodyOf(init), id: 'r9' }), webhookSecret: 'whsec_shown-once' }, 201),
    });
    renderApp(PAGE, signedInTransport('site_manager'));
    await userEvent.click(await screen.findByRole('button', { name: 'New rule' }));
    const form = screen.getByTestId('rule-form');
    const f = within(form);
    // Occupancy first: threshold, minutes and zone; no period.
    expect(f.getByLabelText('More than (people)')).toBeTruthy();
    expect(f.queryByLabelText('Per period (minutes)')).toBeNull();
    await userEvent.selectOptions(f.getByLabelText('When'), 'device_offline');
    expect(f.queryByLabelText('More than (people)')).toBeNull();
    expect(f.queryByLabelText('Zone')).toBeNull();
    await userEvent.selectOptions(f.getByLabelText('When'), 'count_below');
    await userEvent.type(f.getByLabelText('Threshold (count)'), '-3');
    await userEvent.type(f.getByLabelText('Webhook URL (optional)'), 'ftp://x');
    await userEvent.click(f.getByRole('button', { name: 'Create rule' }));
    expect(await f.findByText('give the rule a name')).toBeTruthy();
    expect(f.getByText('the threshold: a whole number from 0 to 1000000')).toBeTruthy();
    expect(f.getByText('a webhook URL starts with https://')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    await userEvent.type(f.getByLabelText('Name'), 'Quiet morning');
    await userEvent.clear(f.getByLabelText('Threshold (count)'));
    await userEvent.type(f.getByLabelText('Threshold (count)'), '5');
    await userEvent.clear(f.getByLabelText('Per period (minutes)'));
    await userEvent.type(f.getByLabelText('Per period (minutes)'), '120');
    await userEvent.selectOptions(f.getByLabelText('Direction'), 'in');
    await userEvent.clear(f.getByLabelText('Webhook URL (optional)'));
    await userEvent.type(f.getByLabelText('Webhook URL (optional)'), 'https://hooks.example.com/q');
    await userEvent.click(f.getByRole('button', { name: 'Create rule' }));
    const secret = await screen.findByTestId('webhook-secret');
    expect(secret.textContent).toBe('whsec_shown-once');
    const post = calls.find((c) => c.method === 'POST')!;
    expect(bodyOf(post.init)).toEqual({
      name: 'Quiet morning',
      condition: { kind: 'count_below', threshold: 5, periodMinutes: 120, forMinutes: 5, direction: 'in' },
      enabled: true,
      webhookUrl: 'https://hooks.example.com/q',
    });
    await userEvent.click(screen.getByRole('button', { name: 'Copy secret' }));
    expect(await screen.findByRole('button', { name: 'Copied' })).toBeTruthy();
    expect(await navigator.clipboard.readText()).toBe('whsec_shown-once');
    await userEvent.click(screen.getByRole('button', { name: 'I have stored it' }));
    expect(screen.queryByTestId('webhook-secret')).toBeNull();
  });

  it('shows the cloud’s refusal under the form (email without SMTP)', async () => {
    stubApi({
      [`GET ${RULES}`]: { body: [] },
      [`GET /api/sites/${SITE_ID}`]: { body: site },
      [`POST ${RULES}`]: {
        status: 400,
        body: {
          error: { code: 'TALLY_BAD_REQUEST', message: 'email delivery is not configured on this server' },
        },
      },
    });
    renderApp(PAGE, signedInTransport('admin'));
    await userEvent.click(await screen.findByRole('button', { name: 'New rule' }));
    await userEvent.type(screen.getByLabelText('Name'), 'Mail');
    await userEvent.selectOptions(screen.getByLabelText('When'), 'camera_stalled');
    await userEvent.type(screen.getByLabelText('Email (optional)'), 'ops@example.com');
    await userEvent.click(screen.getByRole('button', { name: 'Create rule' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/email delivery is not configured/);
  });

  it('disables, edits, tests and deletes a rule; sees each delivery’s status and error', async () => {
    let current = rule({
      delivery: {
        webhook: {
          status: 'failed',
          at: '2026-03-02T09:00:00Z',
          attempts: 4,
          httpStatus: 500,
          error: 'webhook failed after 4 attempts: HTTP 500',
          test: false,
        },
        email: null,
      },
    });
    let deleted = false;
    const calls = stubApi({
      [`GET ${RULES}`]: () => json(deleted ? [] : [current]),
      [`GET /api/sites/${SITE_ID}`]: { body: site },
      [`PATCH ${RULES}/r1`]: (_url, init) => {
        const patch = bodyOf(init);
        current = { ...current, ...patch };
        return json(current);
      },
      [`POST ${RULES}/r1/test`]: () =>
        json({
          results: [
            {
              channel: 'webhook',
              target: current.webhookUrl,
              ok: true,
              httpStatus: 204,
              error: null,
              durationMs: 12,
            },
          ],
        }),
      [`DELETE ${RULES}/r1`]: () => {
        deleted = true;
        return new Response(null, { status: 204 });
      },
    });
    renderApp(PAGE, signedInTransport('site_manager'));
    const card = await screen.findByTestId('rule-Lobby full');
    expect(within(card).getByTestId('delivery-webhook').textContent).toMatch(
      /failed.*HTTP 500.*4 attempts.*webhook failed after 4 attempts: HTTP 500/,
    );

    await userEvent.click(within(card).getByRole('switch', { name: 'Lobby full enabled' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));
    expect(bodyOf(calls.find((c) => c.method === 'PATCH')!.init)).toEqual({ enabled: false });
    expect(await within(card).findByText('Disabled')).toBeTruthy();

    await userEvent.click(within(card).getByRole('button', { name: /Send test/ }));
    expect((await screen.findByTestId('test-result')).textContent).toMatch(
      /test delivered \(HTTP 204\) in 12 ms/,
    );

    await userEvent.click(
      within(screen.getByTestId('rule-Lobby full')).getByRole('button', { name: /Edit/ }),
    );
    const form = screen.getByTestId('rule-form');
    expect((within(form).getByLabelText('Name') as HTMLInputElement).value).toBe('Lobby full');
    expect((within(form).getByLabelText('More than (people)') as HTMLInputElement).value).toBe('30');
    expect((within(form).getByLabelText('Zone') as HTMLSelectElement).value).toBe('lobby');
    await userEvent.clear(within(form).getByLabelText('More than (people)'));
    await userEvent.type(within(form).getByLabelText('More than (people)'), '45');
    await userEvent.clear(within(form).getByLabelText('Webhook URL (optional)'));
    await userEvent.click(within(form).getByRole('button', { name: 'Save rule' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(2));
    expect(bodyOf(calls.filter((c) => c.method === 'PATCH')[1]!.init)).toEqual({
      name: 'Lobby full',
      condition: { kind: 'occupancy_above', threshold: 45, forMinutes: 5, zoneId: 'lobby' },
      enabled: false,
      webhookUrl: null,
      emailTo: null,
    });
    expect(await screen.findByText('More than 45 inside lobby for 5 minutes')).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: /^Delete$/ }));
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    await userEvent.click(screen.getByRole('button', { name: 'Delete “Lobby full”' }));
    expect(await screen.findByText(/No alert rules on this site yet/)).toBeTruthy();
    expect(calls.some((c) => c.method === 'DELETE' && c.url.pathname === `${RULES}/r1`)).toBe(true);
  });

  it('shows the new secret once when an edit adds the first webhook', async () => {
    const bare = rule({ webhookUrl: null, emailTo: 'ops@example.com' });
    stubApi({
      [`GET ${RULES}`]: { body: [bare] },
      [`GET /api/sites/${SITE_ID}`]: { body: site },
      [`PATCH ${RULES}/r1`]: (_url, init) =>
        json({ ...bare, ...bodyOf(init), webhookSecret: 'whsec_after-edit' }),
    });
    renderApp(PAGE, signedInTransport('site_manager'));
    await userEvent.click(await screen.findByRole('button', { name: /Edit/ }));
    await userEvent.type(screen.getByLabelText('Webhook URL (optional)'), 'https://hooks.example.com/new');
    await userEvent.click(screen.getByRole('button', { name: 'Save rule' }));
    expect((await screen.findByTestId('webhook-secret')).textContent).toBe('whsec_after-edit');
  });

  it('shows why a test was not delivered', async () => {
    stubApi({
      [`GET ${RULES}`]: { body: [rule()] },
      [`GET /api/sites/${SITE_ID}`]: { body: site },
      [`POST ${RULES}/r1/test`]: {
        body: {
          results: [
            {
              channel: 'webhook',
              target: 'https://hooks.example.com/tally',
              ok: false,
              httpStatus: null,
              error: 'webhook failed: connect ECONNREFUSED 203.0.113.9:443',
              durationMs: 3,
            },
          ],
        },
      },
    });
    renderApp(PAGE, signedInTransport('site_manager'));
    await userEvent.click(await screen.findByRole('button', { name: /Send test/ }));
    expect((await screen.findByTestId('test-result')).textContent).toMatch(
      /not delivered: webhook failed: connect ECONNREFUSED/,
    );
  });
});

describe('rule fields', () => {
  const rules: AlertRule[] = [
    rule(),
    rule({ condition: { kind: 'device_offline', forMinutes: 10 }, webhookUrl: null, emailTo: 'a@b.example' }),
    rule({ condition: { kind: 'camera_stalled', forMinutes: 0 } }),
    rule({
      condition: { kind: 'count_above', threshold: 100, periodMinutes: 60, forMinutes: 0, ruleId: 'door' },
    }),
    rule({
      condition: { kind: 'count_below', threshold: 2, periodMinutes: 30, forMinutes: 15, direction: 'out' },
      enabled: false,
    }),
  ];
  it.each(rules.map((r) => [r.condition.kind, r] as const))('%s survives form fields and back', (_k, r) => {
    const fields = fromRule(r);
    expect(toCondition(fields)).toEqual(r.condition);
    expect(toPatch(fields)).toEqual({
      name: r.name,
      condition: r.condition,
      enabled: r.enabled,
      webhookUrl: r.webhookUrl,
      emailTo: r.emailTo,
    });
    expect(toBody(fields).condition).toEqual(r.condition);
  });
  it('describes each kind in words', () => {
    expect(
      rules.map((r) => describeCondition(r.condition, (k) => (k === 'door' ? 'Main doors' : k))),
    ).toEqual([
      'More than 30 inside lobby for 5 minutes',
      'A device offline for 10 minutes',
      'A camera stalled',
      'Count of Main doors above 100 in 60 minutes',
      'Out count of the site below 2 in 30 minutes for 15 minutes',
    ]);
  });
});
