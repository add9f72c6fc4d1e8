import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { camera, countsReport, occupancy, rules, site } from '../support/fixtures';
import { FakeSocket } from '../support/fake-socket';
import { renderApp, signedInTransport, SITE_ID, stubApi, type Handler } from '../support/render';

/** The site page's API: counts answer by kind and breakdown, as the cloud does. */
function siteApi(): Record<string, Handler> {
  return {
    [`GET /api/sites/${SITE_ID}`]: { body: site },
    'GET /api/cameras': { body: [camera] },
    [`GET /api/cameras/${camera.id}/rules`]: { body: rules },
    [`GET /api/sites/${SITE_ID}/analytics/counts`]: (url) => {
      const kind = url.searchParams.get('kind') as 'line_cross' | 'zone_enter';
      const byRule = url.searchParams.get('groupBy') === 'rule';
      const report = byRule
        ? countsReport({
            kind,
            groupBy: 'rule',
            series: [
              {
                ruleId: kind === 'line_cross' ? 'doors' : 'lobby',
                points: kind === 'line_cross' ? [[10, 4]] : [[7, 0]],
              },
            ],
          })
        : countsReport({
            kind,
            series: [
              {
                points: [
                  [5, 1],
                  [3, 2],
                ],
              },
            ],
          });
      return new Response(JSON.stringify(report), { headers: { 'content-type': 'application/json' } });
    },
    [`GET /api/sites/${SITE_ID}/analytics/occupancy`]: { body: occupancy },
    [`GET /api/sites/${SITE_ID}/analytics/dwell`]: { body: { siteId: SITE_ID, from: '', to: '', zones: [] } },
  };
}

describe('site page', () => {
  it('live counters tick from the socket without reloading; kinds stay apart', async () => {
    const calls = stubApi(siteApi());
    renderApp(`/sites/${SITE_ID}`, signedInTransport('viewer'));
    const doors = await screen.findByTestId('counter-doors', {}, { timeout: 10_000 });
    expect(within(doors).getByTestId('counter-in').textContent).toBe('10');
    const lobby = screen.getByTestId('counter-lobby');
    expect(within(lobby).getByTestId('counter-entries').textContent).toBe('7');
    expect(within(lobby).getByTestId('counter-inside').textContent).toBe('4');
    const loads = calls.length;
    const socket = FakeSocket.latest();
    act(() => {
      socket.push({ type: 'hello', siteIds: [SITE_ID], expiresAt: 0 });
      socket.push({
        type: 'counts',
        siteId: SITE_ID,
        ts: 1,
        items: [
          {
            deviceId: 'dev-1',
            cameraId: 'cam-1',
            ruleId: 'doors',
            kind: 'line_cross',
            direction: 'in',
            objectClass: 'person',
            count: 2,
            lastTs: 1,
          },
          {
            deviceId: 'dev-1',
            cameraId: 'cam-1',
            ruleId: 'lobby',
            kind: 'zone_enter',
            direction: '',
            objectClass: 'person',
            count: 1,
            lastTs: 1,
          },
          {
            deviceId: 'dev-1',
            cameraId: 'cam-1',
            ruleId: 'lobby',
            kind: 'zone_exit',
            direction: '',
            objectClass: 'person',
            count: 5,
            lastTs: 1,
          },
        ],
      });
      socket.push({
        type: 'occupancy',
        siteId: SITE_ID,
        ts: 2,
        deviceId: 'dev-1',
        cameraId: 'cam-1',
        zoneId: 'lobby',
        counts: { person: 2, car: 1 },
      });
    });
    expect(within(doors).getByTestId('counter-in').textContent).toBe('12');
    expect(within(doors).getByTestId('counter-out').textContent).toBe('4');
    expect(within(lobby).getByTestId('counter-entries').textContent).toBe('8');
    expect(within(lobby).getByTestId('counter-inside').textContent).toBe('3');
    // Ticking needs no request of its own.
    expect(calls.slice(loads).filter((c) => c.url.pathname.endsWith('/counts'))).toHaveLength(0);
  });

  it("an offline box's last occupancy shows as stale with its age, until a live value comes", async () => {
    const api = siteApi();
    api[`GET /api/sites/${SITE_ID}/analytics/occupancy`] = {
      body: { ...occupancy, now: 0, zones: [{ ...occupancy.zones[0]!, stale: true, ageMs: 300_000 }] },
    };
    stubApi(api);
    renderApp(`/sites/${SITE_ID}`, signedInTransport('viewer'));
    const lobby = await screen.findByTestId('counter-lobby', {}, { timeout: 10_000 });
    expect(within(lobby).getByTestId('counter-inside').textContent).toBe('4 (stale)');
    expect((await screen.findByTestId('occupancy-table')).textContent).toContain('4 (stale, 5 min 0 s old)');
    act(() =>
      FakeSocket.latest().push({
        type: 'occupancy',
        siteId: SITE_ID,
        ts: 2,
        deviceId: 'dev-1',
        cameraId: 'cam-1',
        zoneId: 'lobby',
        counts: { person: 1 },
      }),
    );
    expect(within(lobby).getByTestId('counter-inside').textContent).toBe('1');
  });

  it('a lost live connection shows as such', async () => {
    stubApi(siteApi());
    renderApp(`/sites/${SITE_ID}`, signedInTransport('viewer'));
    await screen.findByTestId('counter-doors', {}, { timeout: 10_000 });
    act(() => FakeSocket.latest().push({ type: 'hello', siteIds: [SITE_ID], expiresAt: 0 }));
    expect(screen.queryByTestId('connection-lost')).toBeNull();
    act(() => FakeSocket.latest().drop());
    expect(await screen.findByTestId('connection-lost')).toBeTruthy();
  });

  it('the chart totals and table come from the counts API; a site manager may export, a viewer may not', async () => {
    stubApi(siteApi());
    const manager = renderApp(
      `/sites/${SITE_ID}?range=today&kind=line_cross`,
      signedInTransport('site_manager'),
    );
    expect((await screen.findByTestId('total-in')).textContent).toBe('8');
    expect(screen.getByTestId('total-out').textContent).toBe('3');
    expect(within(screen.getByTestId('counts-table')).getAllByRole('row')).toHaveLength(3);
    expect(screen.getByRole('button', { name: /Export CSV/ })).toBeTruthy();
    manager.unmount();
    renderApp(`/sites/${SITE_ID}?range=today&kind=line_cross`, signedInTransport('viewer'));
    await screen.findByTestId('total-in');
    expect(screen.queryByRole('button', { name: /Export/ })).toBeNull();
  });

  it('regression: two quick changes (range, then bucket) both stick in the URL', async () => {
    stubApi(siteApi());
    const { router } = renderApp(
      `/sites/${SITE_ID}?range=today&kind=line_cross`,
      signedInTransport('viewer'),
    );
    await screen.findByTestId('total-in', {}, { timeout: 10_000 });
    // No re-render between the two: the second change must build on the first.
    act(() => {
      fireEvent.change(screen.getByTestId('range-preset'), { target: { value: 'last-7-days' } });
      fireEvent.change(screen.getByTestId('bucket'), { target: { value: 'hour' } });
    });
    const params = new URLSearchParams(router.state.location.search);
    expect([params.get('range'), params.get('bucket')]).toEqual(['last-7-days', 'hour']);
  });

  it('an invalid custom range asks for dates instead of calling the API', async () => {
    const calls = stubApi(siteApi());
    renderApp(`/sites/${SITE_ID}?range=custom&from=2026-03-05&to=2026-03-01`, signedInTransport('viewer'));
    expect(await screen.findByText(/Choose a start and end date/)).toBeTruthy();
    expect(calls.filter((c) => c.url.searchParams.get('from')?.startsWith('2026-03-0'))).toHaveLength(0);
  });
});
