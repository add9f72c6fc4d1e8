import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { deviceSummary } from '../../src/features/overview/components/site-card';
import { countsReport, device, occupancy, site } from '../support/fixtures';
import { renderApp, signedInTransport, stubApi } from '../support/render';

describe('overview', () => {
  it("shows each site's crossings today, occupancy, devices and open alerts", async () => {
    stubApi({
      'GET /api/sites': { body: [site] },
      'GET /api/sites/': {
        body: countsReport({
          series: [
            {
              points: [
                [1200, 30],
                [34, 5],
              ],
            },
          ],
        }),
      },
      [`GET /api/sites/${site.id}/analytics/occupancy`]: { body: occupancy },
      [`GET /api/sites/${site.id}/alerts`]: { body: [] },
      'GET /api/devices': {
        body: [
          device(),
          device({ id: 'dev-2', name: 'Car park box', status: 'offline', statusReason: 'silent' }),
        ],
      },
    });
    renderApp('/', signedInTransport('viewer'));
    expect((await screen.findByTestId('today-in')).textContent).toBe((1234).toLocaleString());
    expect(screen.getByTestId('today-out').textContent).toBe('35');
    expect((await screen.findByTestId('occupancy-now')).textContent).toBe('4');
    expect(await screen.findByText(/1 online · Car park box offline for/)).toBeTruthy();
    expect(await screen.findByText('No open alerts')).toBeTruthy();
  });

  it('says so when there are no sites', async () => {
    stubApi({ 'GET /api/sites': { body: [] } });
    renderApp('/', signedInTransport('viewer'));
    expect(await screen.findByText(/No sites yet/)).toBeTruthy();
  });

  it('an API error shows a message and a retry, never a blank page', async () => {
    stubApi({
      'GET /api/sites': {
        status: 503,
        body: { error: { code: 'TALLY_UNAVAILABLE', message: 'database unavailable' } },
      },
    });
    renderApp('/', signedInTransport('viewer'));
    const alert = await screen.findByRole('alert', {}, { timeout: 10_000 });
    expect(alert.textContent).toContain('database unavailable');
    expect(screen.getByRole('button', { name: /Retry/ })).toBeTruthy();
  });

  it('device summary: revoked boxes are left out; a box never seen says so', () => {
    const now = Date.parse('2026-03-02T12:00:00Z');
    expect(
      deviceSummary(
        [
          device(),
          device({ id: 'r', revoked: true, status: 'offline' }),
          device({
            id: 'n',
            name: 'New box',
            status: 'offline',
            statusReason: 'never_seen',
            statusSince: null,
            lastSeenAt: null,
          }),
          device({
            id: 'g',
            name: 'Gate box',
            status: 'offline',
            statusReason: 'silent',
            statusSince: '2026-03-02T11:55:00Z',
          }),
        ],
        now,
      ),
    ).toBe('1 online · New box never seen · Gate box offline for 5 minutes');
    const stalled = device();
    stalled.health!.cameras[0]!.state = 'stalled';
    expect(deviceSummary([stalled], now)).toBe('1 online · Main entrance box: camera cam-1 stalled');
    expect(deviceSummary([], now)).toBe('No devices yet');
  });
});
