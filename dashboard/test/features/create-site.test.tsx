import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderApp, signedInTransport, stubApi } from '../support/render';

const EMPTY = { generatedAt: '2026-03-02T12:00:00Z', sites: [] };

describe('creating a site from the overview', () => {
  it('an owner on a fresh cloud creates the first site, which then shows on the overview', async () => {
    let sites: unknown[] = [];
    const calls = stubApi({
      'GET /api/overview': () => new Response(JSON.stringify({ ...EMPTY, sites }), { status: 200 }),
      'POST /api/sites': (_url, init) => {
        const body = JSON.parse(String(init!.body)) as { name: string; timezone: string };
        sites = [
          {
            siteId: '55555555-5555-4555-8555-555555555555',
            name: body.name,
            timezone: body.timezone,
            today: { from: '2026-03-02T00:00:00Z', crossings: { in: 0, out: 0, total: 0, net: 0 } },
            occupancy: { now: 0, staleZones: 0 },
            spark: [],
            devices: { total: 0, online: 0, offline: [], camerasDown: [] },
            openAlerts: 0,
          },
        ];
        return new Response(JSON.stringify({ id: 'x', ...body }), { status: 201 });
      },
    });
    renderApp('/', signedInTransport('owner'));
    expect(await screen.findByText(/Create the first one below/)).toBeTruthy();
    await userEvent.type(screen.getByLabelText('Site name'), '  Harbour Store ');
    await userEvent.selectOptions(screen.getByLabelText('Time zone'), 'Europe/Paris');
    await userEvent.click(screen.getByRole('button', { name: 'Create site' }));
    expect(await screen.findByText('Harbour Store')).toBeTruthy();
    const post = calls.find((c) => c.method === 'POST')!;
    expect(JSON.parse(String(post.init!.body))).toEqual({ name: 'Harbour Store', timezone: 'Europe/Paris' });
  });

  it("shows the cloud's refusal and keeps what was typed", async () => {
    stubApi({
      'GET /api/overview': { body: EMPTY },
      'POST /api/sites': {
        status: 400,
        body: { error: { code: 'TALLY_VALIDATION', message: 'unknown time zone' } },
      },
    });
    renderApp('/', signedInTransport('admin'));
    await userEvent.type(await screen.findByLabelText('Site name'), 'Depot');
    await userEvent.click(screen.getByRole('button', { name: 'Create site' }));
    expect((await screen.findByRole('alert')).textContent).toContain('unknown time zone');
    expect((screen.getByLabelText('Site name') as HTMLInputElement).value).toBe('Depot');
  });

  it('a site manager or viewer is not offered the form', async () => {
    stubApi({ 'GET /api/overview': { body: EMPTY } });
    renderApp('/', signedInTransport('site_manager'));
    expect(await screen.findByText(/An admin creates sites/)).toBeTruthy();
    await waitFor(() => expect(screen.queryByLabelText('Site name')).toBeNull());
  });
});
