import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { OpenClaimCode } from '@tally/proto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  formatCountdown,
  provisionCommand,
  quote,
} from '../../src/features/devices/components/provision-command';
import { device, site } from '../support/fixtures';
import { renderApp, signedInTransport, SITE_ID, stubApi } from '../support/render';

// The page is a lazy route: load its module once up front, so a cold import on a busy machine does not eat the
// first assertion's time.
beforeAll(async () => {
  await import('../../src/features/devices/routes/devices');
}, 30_000);

const openCode = (over: Partial<OpenClaimCode> = {}): OpenClaimCode => ({
  id: '66666666-6666-4666-8666-666666666666',
  siteId: SITE_ID,
  name: 'Loading dock',
  prefix: 'K7',
  createdBy: { userId: '22222222-2222-4222-8222-222222222222', email: 'installer@example.com' },
  createdAt: '2026-03-02T09:00:00Z',
  expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
  ...over,
});

const page = `/sites/${SITE_ID}/devices`;
const base = (extra: Record<string, Parameters<typeof stubApi>[0][string]> = {}) => ({
  [`GET /api/sites/${SITE_ID}`]: { body: site },
  'GET /api/devices': { body: [device()] },
  [`GET /api/sites/${SITE_ID}/claim-codes`]: { body: [] },
  ...extra,
});

describe('the provisioning command', () => {
  it("uses the edge CLI's flags and quotes what a shell would split", () => {
    expect(
      provisionCommand({ cloudUrl: 'https://tally.example.com', code: 'K7QM-4XPR', name: 'Gate3' }),
    ).toBe('pnpm edge provision --cloud https://tally.example.com --code K7QM-4XPR --name Gate3');
    expect(quote('Gate 3')).toBe("'Gate 3'");
    expect(quote("Bob's box")).toBe(`'Bob'\\''s box'`);
    expect(quote('$(rm -rf /)')).toBe("'$(rm -rf /)'");
  });

  it('counts down in minutes and seconds, hours when long, never below zero', () => {
    expect(formatCountdown(59 * 60_000 + 58_000)).toBe('59:58');
    expect(formatCountdown(3_849_000)).toBe('1:04:09');
    expect(formatCountdown(-5)).toBe('0:00');
  });
});

describe('devices page: claim codes', () => {
  it('an installer creates a code: shown once with the command, its QR code and a countdown that runs out', async () => {
    const calls = stubApi(
      base({
        [`POST /api/sites/${SITE_ID}/claim-codes`]: () =>
          new Response(
            JSON.stringify({
              id: '77777777-7777-4777-8777-777777777777',
              code: 'K7QM-4XPR',
              siteId: SITE_ID,
              name: 'Gate 3',
              expiresAt: new Date(Date.now() + 2_500).toISOString(),
            }),
            { status: 201 },
          ),
      }),
    );
    renderApp(page, signedInTransport('installer'));
    expect(await screen.findByText('No open claim codes.')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Create claim code' }));
    expect((await screen.findByRole('alert')).textContent).toContain('give the box a name');
    await userEvent.type(screen.getByLabelText('Box name'), 'Gate 3');
    await userEvent.selectOptions(screen.getByLabelText('Valid for'), '15');
    await userEvent.click(screen.getByRole('button', { name: 'Create claim code' }));

    const shown = await screen.findByTestId('new-claim-code');
    const post = calls.find((c) => c.method === 'POST')!;
    expect(JSON.parse(String(post.init!.body))).toEqual({ name: 'Gate 3', ttlMinutes: 15 });
    expect(within(shown).getByTestId('claim-code').textContent).toBe('K7QM-4XPR');
    expect((within(shown).getByTestId('provision-command') as HTMLTextAreaElement).value).toBe(
      `pnpm edge provision --cloud ${window.location.origin} --code K7QM-4XPR --name 'Gate 3'`,
    );
    const qr = (await within(shown).findByTestId('provision-qr')) as HTMLImageElement;
    expect(qr.src).toMatch(/^data:image\/svg\+xml/);
    expect(decodeURIComponent(qr.src)).toContain('<path');
    expect(within(shown).getByTestId('countdown').textContent).toMatch(/^expires in 0:0[12]$/);
    // The countdown runs out: the command goes, and the page says to make a new code.
    await waitFor(() => expect(within(shown).getByTestId('countdown').textContent).toBe('expired'), {
      timeout: 5_000,
    });
    expect(within(shown).getByRole('alert').textContent).toContain('expired: create a new one');
    expect(within(shown).queryByTestId('provision-command')).toBeNull();
    // Done: the code is gone for good; the form is back.
    await userEvent.click(within(shown).getByRole('button', { name: 'Done' }));
    expect(screen.queryByText('K7QM-4XPR')).toBeNull();
    expect(screen.getByRole('button', { name: 'Create claim code' })).toBeTruthy();
  });

  it('lists open codes by name, prefix, creator and time left, and revokes one after a confirmation naming it', async () => {
    let revoked = false;
    const calls = stubApi(
      base({
        [`GET /api/sites/${SITE_ID}/claim-codes`]: () =>
          new Response(JSON.stringify(revoked ? [] : [openCode()])),
        'DELETE /api/claim-codes/': () => {
          revoked = true;
          return new Response(null, { status: 204 });
        },
      }),
    );
    renderApp(page, signedInTransport('installer'));
    const row = await screen.findByTestId(`claim-${openCode().id}`);
    expect(row.textContent).toContain('Loading dock');
    expect(row.textContent).toContain('K7··-····');
    expect(row.textContent).toContain('by installer@example.com');
    expect(row.textContent).toMatch(/expires in (29:5\d|30:00)/);
    await userEvent.click(within(row).getByRole('button', { name: 'Revoke' }));
    await userEvent.click(within(row).getByRole('button', { name: 'Revoke the code for Loading dock' }));
    expect(await screen.findByText('No open claim codes.')).toBeTruthy();
    expect(calls.some((c) => c.method === 'DELETE' && c.url.pathname.endsWith(openCode().id))).toBe(true);
  });

  it('an installer manages no boxes: no rotate or revoke on a device', async () => {
    stubApi(base());
    renderApp(page, signedInTransport('installer'));
    expect(await screen.findByText('Main entrance box')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Rotate credentials/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Revoke' })).toBeNull();
  });

  it('a viewer sees the boxes, but no claim codes and no actions (and the codes are not even fetched)', async () => {
    const calls = stubApi(base());
    renderApp(page, signedInTransport('viewer'));
    expect(await screen.findByText('Main entrance box')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Create claim code' })).toBeNull();
    expect(screen.queryByText('Open claim codes')).toBeNull();
    expect(screen.queryByRole('button', { name: /Rotate/ })).toBeNull();
    expect(calls.some((c) => c.url.pathname.endsWith('/claim-codes'))).toBe(false);
  });

  it('a claim code the cloud refuses to make shows its message', async () => {
    stubApi(
      base({
        [`POST /api/sites/${SITE_ID}/claim-codes`]: {
          status: 403,
          body: {
            error: {
              code: 'TALLY_FORBIDDEN',
              message: 'your role (installer) cannot do device.provision here',
            },
          },
        },
      }),
    );
    renderApp(page, signedInTransport('installer'));
    await userEvent.type(await screen.findByLabelText('Box name'), 'Gate 3');
    await userEvent.click(screen.getByRole('button', { name: 'Create claim code' }));
    expect((await screen.findByRole('alert')).textContent).toContain('cannot do device.provision');
  });
});

describe('devices page: boxes', () => {
  it('shows each box with status, heartbeat, version, backlog and per-camera fps and state', async () => {
    stubApi(base());
    renderApp(page, signedInTransport('admin'));
    const card = await screen.findByTestId('device-dev-1');
    expect(card.textContent).toContain('online');
    expect(card.textContent).toContain('agent 0.3.1 · model yolox-nano');
    expect(card.textContent).toContain('12 events not yet synced');
    expect(card.textContent).toMatch(/Last heartbeat.*ago/);
    const cams = within(card).getByRole('region', { name: 'Cameras of Main entrance box' });
    expect(cams.textContent).toContain('9.8');
    expect(cams.textContent).toContain('live');
  });

  it('rotating credentials asks to type the box name, then shows the new password once', async () => {
    const calls = stubApi(
      base({
        'POST /api/devices/dev-1/credentials': {
          body: {
            deviceId: 'dev-1',
            mqtt: {
              url: 'mqtt://cloud.example.com:1883',
              username: 'dev-1',
              password: 'n3w-s3cret-pa55word',
            },
            previousValidUntil: '2026-03-09T09:00:00Z',
            handedOver: true,
          },
        },
      }),
    );
    renderApp(page, signedInTransport('admin'));
    await userEvent.click(await screen.findByRole('button', { name: 'Rotate credentials' }));
    const dialog = screen.getByRole('dialog', { name: 'Rotate the credentials of “Main entrance box”?' });
    const confirm = within(dialog).getByRole('button', { name: 'Rotate credentials' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await userEvent.type(within(dialog).getByRole('textbox'), 'Main entrance');
    expect(confirm.disabled).toBe(true);
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    await userEvent.type(within(dialog).getByRole('textbox'), ' box');
    expect(confirm.disabled).toBe(false);
    await userEvent.click(confirm);
    const shown = await screen.findByTestId('new-credentials');
    expect(within(shown).getByTestId('new-password').textContent).toBe('n3w-s3cret-pa55word');
    expect(shown.textContent).toContain('switches by itself');
    expect(shown.textContent).toContain('old password keeps working until 9 Mar');
    await userEvent.click(within(shown).getByRole('button', { name: 'Done' }));
    expect(screen.queryByText('n3w-s3cret-pa55word')).toBeNull();
  });

  it('revoking a box names it, can be cancelled, and then revokes it', async () => {
    let revoked = false;
    const calls = stubApi(
      base({
        'GET /api/devices': () => new Response(JSON.stringify([device({ revoked })])),
        'POST /api/devices/dev-1/revoke': () => {
          revoked = true;
          return new Response(JSON.stringify(device({ revoked: true })));
        },
      }),
    );
    renderApp(page, signedInTransport('site_manager'));
    await userEvent.click(await screen.findByRole('button', { name: 'Revoke' }));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Revoke' }));
    const dialog = screen.getByRole('dialog', { name: 'Revoke “Main entrance box”?' });
    await userEvent.type(within(dialog).getByRole('textbox'), 'Main entrance box');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoke Main entrance box' }));
    await waitFor(() => expect(screen.getByTestId('device-dev-1').textContent).toContain('revoked'));
    expect(screen.queryByRole('button', { name: 'Revoke' })).toBeNull();
    expect(calls.filter((c) => c.method === 'POST' && c.url.pathname.endsWith('/revoke'))).toHaveLength(1);
  });

  it('loading, then the error with a retry', async () => {
    stubApi(
      base({ 'GET /api/devices': { status: 500, body: { error: { code: 'X', message: 'database down' } } } }),
    );
    renderApp(page, signedInTransport('admin'));
    expect(await screen.findByText(/Loading devices/)).toBeTruthy();
    // Server errors are retried twice (about 3 s) before the page gives up.
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    expect(alert.textContent).toContain('database down');
    expect(within(alert).getByRole('button', { name: 'Retry' })).toBeTruthy();
  });

  it('forbidden: a site outside the scope says so instead of a blank page', async () => {
    stubApi(
      base({
        [`GET /api/sites/${SITE_ID}`]: {
          status: 403,
          body: { error: { code: 'TALLY_FORBIDDEN', message: 'x' } },
        },
      }),
    );
    renderApp(page, signedInTransport('installer'));
    expect((await screen.findByRole('alert')).textContent).toContain(
      "You do not have access to this site's devices",
    );
  });

  it('empty: no boxes yet', async () => {
    stubApi(base({ 'GET /api/devices': { body: [] } }));
    renderApp(page, signedInTransport('installer'));
    expect(await screen.findByText('No devices on this site yet.')).toBeTruthy();
  });
});
