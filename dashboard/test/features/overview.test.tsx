import { screen } from '@testing-library/react';
import type { SiteOverview } from '@tally/proto';
import { describe, expect, it } from 'vitest';
import { deviceSummary } from '../../src/features/overview/components/site-card';
import { renderApp, signedInTransport, SITE_ID, stubApi } from '../support/render';

function siteOverview(over: Partial<SiteOverview> = {}): SiteOverview {
  return {
    siteId: SITE_ID,
    name: 'Riverside Mall',
    timezone: 'Europe/Paris',
    today: { from: '2026-03-02T00:00:00+01:00', crossings: { in: 1234, out: 35, total: 1269, net: 1199 } },
    occupancy: { now: 4, staleZones: 0 },
    spark: Array.from({ length: 24 }, (_, i) => ({ startMs: i * 3_600_000, total: i % 5 })),
    devices: { total: 1, online: 1, offline: [], camerasDown: [] },
    openAlerts: 0,
    ...over,
  };
}

describe('overview', () => {
  it("shows each site's crossings today, occupancy, devices and open alerts", async () => {
    stubApi({
      'GET /api/overview': {
        body: {
          generatedAt: '2026-03-02T12:00:00Z',
          sites: [
            siteOverview({
              occupancy: { now: 4, staleZones: 1 },
              devices: {
                total: 2,
                online: 1,
                offline: [
                  { deviceId: 'd2', name: 'Car park box', since: '2026-03-02T11:00:00Z', reason: 'silent' },
                ],
                camerasDown: [],
              },
              openAlerts: 2,
            }),
          ],
        },
      },
    });
    renderApp('/', signedInTransport('viewer'));
    expect((await screen.findByTestId('today-in')).textContent).toBe((1234).toLocaleString());
    expect(screen.getByTestId('today-out').textContent).toBe('35');
    expect(screen.getByTestId('occupancy-now').textContent).toBe('4 (1 zone stale)');
    expect(screen.getByText(/1 online · Car park box offline for/)).toBeTruthy();
    expect(screen.getByRole('link', { name: '2 open alerts' })).toBeTruthy();
  });

  it('says so when there are no sites', async () => {
    stubApi({ 'GET /api/overview': { body: { generatedAt: '', sites: [] } } });
    renderApp('/', signedInTransport('viewer'));
    expect(await screen.findByText(/No sites yet/)).toBeTruthy();
  });

  it('an API error shows a message and a retry, never a blank page', async () => {
    stubApi({
      'GET /api/overview': {
        status: 503,
        body: { error: { code: 'TALLY_UNAVAILABLE', message: 'database unavailable' } },
      },
    });
    renderApp('/', signedInTransport('viewer'));
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    expect(alert.textContent).toContain('database unavailable');
    expect(screen.getByRole('button', { name: /Retry/ })).toBeTruthy();
  });

  it('device summary: offline since when, never seen, cameras down', () => {
    const now = Date.parse('2026-03-02T12:00:00Z');
    expect(
      deviceSummary(
        {
          total: 3,
          online: 1,
          offline: [
            { deviceId: 'n', name: 'New box', since: null, reason: 'never_seen' },
            { deviceId: 'g', name: 'Gate box', since: '2026-03-02T11:55:00Z', reason: 'silent' },
          ],
          camerasDown: [{ deviceId: 'd', cameraId: 'gate-cam', state: 'stalled' }],
        },
        now,
      ),
    ).toBe('1 online · New box never seen · Gate box offline for 5 minutes · camera gate-cam stalled');
    expect(deviceSummary({ total: 0, online: 0, offline: [], camerasDown: [] }, now)).toBe('No devices yet');
  });
});
