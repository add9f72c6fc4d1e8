import { act, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AlertEvent } from '@tally/proto';
import { describe, expect, it } from 'vitest';
import { device, site } from '../support/fixtures';
import { FakeSocket } from '../support/fake-socket';
import { renderApp, signedInTransport, SITE_ID, stubApi } from '../support/render';

const alert = (over: Partial<AlertEvent> & Record<string, unknown> = {}) => ({
  id: 'a1',
  siteId: SITE_ID,
  ruleId: 'r1',
  subject: '',
  state: 'firing' as const,
  message: 'Lobby: 31 inside (alert above 30)',
  startedAt: '2026-03-02T09:00:00Z',
  resolvedAt: null,
  ...over,
});

describe('alerts page', () => {
  it('a site manager acknowledges an open alert', async () => {
    let acknowledged = false;
    const calls = stubApi({
      [`GET /api/sites/${SITE_ID}/alerts`]: () =>
        new Response(
          JSON.stringify([
            alert({
              acknowledged: acknowledged
                ? { at: '2026-03-02T09:05:00Z', userId: 'u1', email: 'manager@example.com' }
                : null,
            }),
          ]),
        ),
      [`GET /api/sites/${SITE_ID}`]: { body: site },
      [`POST /api/sites/${SITE_ID}/alerts/a1/ack`]: () => {
        acknowledged = true;
        return new Response('{}');
      },
    });
    renderApp(`/sites/${SITE_ID}/alerts`, signedInTransport('site_manager'));
    await userEvent.click(await screen.findByRole('button', { name: 'Acknowledge' }));
    expect(await screen.findByText(/by manager@example.com/)).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST' && c.url.pathname.endsWith('/a1/ack'))).toBe(true);
  });

  it('a viewer sees the alerts but no acknowledge button; nor does anyone when the cloud cannot record it', async () => {
    stubApi({
      [`GET /api/sites/${SITE_ID}/alerts`]: { body: [alert({ acknowledged: null })] },
      [`GET /api/sites/${SITE_ID}`]: { body: site },
    });
    const viewer = renderApp(`/sites/${SITE_ID}/alerts`, signedInTransport('viewer'));
    expect(await screen.findByText(/31 inside/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Acknowledge' })).toBeNull();
    viewer.unmount();
    stubApi({
      [`GET /api/sites/${SITE_ID}/alerts`]: { body: [alert()] },
      [`GET /api/sites/${SITE_ID}`]: { body: site },
    });
    renderApp(`/sites/${SITE_ID}/alerts`, signedInTransport('owner'));
    expect(await screen.findByText(/31 inside/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Acknowledge' })).toBeNull();
  });

  it('empty: says there are none', async () => {
    stubApi({
      [`GET /api/sites/${SITE_ID}/alerts`]: { body: [] },
      [`GET /api/sites/${SITE_ID}`]: { body: site },
    });
    renderApp(`/sites/${SITE_ID}/alerts`, signedInTransport('viewer'));
    expect(await screen.findByText('No open alerts.')).toBeTruthy();
  });

  it('an alert firing anywhere shows a notice on any page', async () => {
    stubApi({ 'GET /api/overview': { body: { generatedAt: '', sites: [] } } });
    renderApp('/', signedInTransport('viewer'));
    await screen.findByText(/No sites yet/);
    act(() =>
      FakeSocket.latest().push({
        type: 'alert',
        siteId: SITE_ID,
        ts: 1,
        alertId: 'a9',
        ruleId: 'r',
        state: 'firing',
        message: 'Car park box offline for 5 min',
      }),
    );
    expect((await screen.findByTestId('toasts')).textContent).toContain('Car park box offline for 5 min');
  });
});

describe('devices page', () => {
  it("shows status, last heartbeat and a rejected config with the device's message", async () => {
    stubApi({
      [`GET /api/sites/${SITE_ID}`]: { body: site },
      'GET /api/devices': {
        body: [
          device({
            status: 'offline',
            statusReason: 'silent',
            config: {
              version: 3,
              status: 'rejected',
              appliedVersion: 2,
              errors: [{ path: '/cameras/0/source/url', message: 'cannot open stream' }],
            },
          }),
        ],
      },
    });
    renderApp(`/sites/${SITE_ID}/devices`, signedInTransport('viewer'));
    expect(await screen.findByText('offline')).toBeTruthy();
    expect(screen.getByText(/version 3: rejected \(running 2\)/)).toBeTruthy();
    expect(screen.getByText(/cannot open stream/)).toBeTruthy();
    expect(screen.getByText(/silent \(no heartbeat\) since/)).toBeTruthy();
    expect(screen.getByText('12 events not yet synced')).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Cameras of Main entrance box' }).textContent).toContain('9.8');
  });

  it('no devices: says so', async () => {
    stubApi({ [`GET /api/sites/${SITE_ID}`]: { body: site }, 'GET /api/devices': { body: [] } });
    renderApp(`/sites/${SITE_ID}/devices`, signedInTransport('viewer'));
    expect(await screen.findByText('No devices on this site yet.')).toBeTruthy();
  });
});
