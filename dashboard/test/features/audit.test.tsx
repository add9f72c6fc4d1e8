import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ROLE_PERMISSIONS, type AuditEntry, type Role } from '@tally/proto';
import { describe, expect, it, vi } from 'vitest';
import type { SessionTransport } from '../../src/lib/session';
import { renderApp, stubApi, user } from '../support/render';

// Tables of fifty rows render slowly in happy-dom on a loaded machine.
configure({ asyncUtilTimeout: 8000 });
function as(role: Role): SessionTransport {
  return {
    mayHaveSession: () => true,
    remember: () => {},
    refresh: async () => ({ accessToken: 'token', expiresIn: 900 }),
    me: async () => ({ ...user(role), permissions: [...ROLE_PERMISSIONS[role]] }),
  };
}

const ADMIN = '77777777-7777-4777-8777-777777777777';
const users = [
  {
    id: ADMIN,
    email: 'ada@example.com',
    name: 'Ada',
    role: 'admin',
    siteIds: [],
    disabled: false,
    createdAt: '2026-01-01T00:00:00Z',
  },
];
/** Entries with ids n..1, newest first. */
const entries = (n: number, action = 'user.create'): AuditEntry[] =>
  Array.from({ length: n }, (_, i) => ({
    id: n - i,
    action,
    actorUserId: ADMIN,
    actorDeviceId: null,
    targetType: 'user',
    targetId: `target-${n - i}`,
    details: { role: 'viewer' },
    ip: '127.0.0.1',
    createdAt: new Date(Date.UTC(2026, 2, 2, 9, 0, 0) - i * 60_000).toISOString(),
  }));
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('audit page', () => {
  it('lists entries with the actor, filters through the URL and pages by id', async () => {
    const all = entries(60);
    const calls = stubApi({
      'GET /api/users': { body: users },
      'GET /api/audit': (url) => {
        const before = Number(url.searchParams.get('before') ?? Infinity);
        const limit = Number(url.searchParams.get('limit'));
        const action = url.searchParams.get('action');
        return json(all.filter((e) => e.id < before && (!action || e.action === action)).slice(0, limit));
      },
    });
    const { router } = renderApp('/audit', as('admin'));
    const table = await screen.findByTestId('audit-table');
    expect(within(table).getAllByText('ada@example.com').length).toBe(50);
    expect(within(table).getByText('target-60')).toBeTruthy();
    expect(screen.getByText('Page 1')).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: /Older/ }));
    expect(await within(screen.getByTestId('audit-table')).findByText('target-10')).toBeTruthy();
    expect(screen.getByText('Page 2')).toBeTruthy();
    expect((screen.getByRole('button', { name: /Older/ }) as HTMLButtonElement).disabled).toBe(true);
    const lastGet = calls.filter((c) => c.url.pathname === '/api/audit').at(-1)!;
    expect(lastGet.url.searchParams.get('before')).toBe('11');
    expect(lastGet.url.searchParams.get('limit')).toBe('51');
    await userEvent.click(screen.getByRole('button', { name: /Newer/ }));
    expect(await within(screen.getByTestId('audit-table')).findByText('target-60')).toBeTruthy();

    await userEvent.selectOptions(screen.getByLabelText('User'), ADMIN);
    await userEvent.type(screen.getByLabelText('Action'), 'user.role');
    await userEvent.click(screen.getByRole('button', { name: /Apply filters/ }));
    // Fifty rows take a while to leave in happy-dom on a loaded machine.
    expect(await screen.findByText('No entries match these filters.', {}, { timeout: 8000 })).toBeTruthy();
    expect(router.state.location.search).toBe(`?actorUserId=${ADMIN}&action=user.role`);
    const filtered = calls.filter((c) => c.url.pathname === '/api/audit').at(-1)!;
    expect(filtered.url.searchParams.get('action')).toBe('user.role');
    expect(filtered.url.searchParams.get('actorUserId')).toBe(ADMIN);
    expect(filtered.url.searchParams.get('before')).toBeNull();
  });

  it('sends the time range as instants and refuses an inverted one', async () => {
    const calls = stubApi({ 'GET /api/users': { body: users }, 'GET /api/audit': { body: [] } });
    renderApp('/audit?from=2026-03-02T09:00&to=2026-03-02T10:00', as('owner'));
    expect(await screen.findByText('No entries match these filters.')).toBeTruthy();
    const get = calls.find((c) => c.url.pathname === '/api/audit')!;
    expect(get.url.searchParams.get('from')).toBe(new Date('2026-03-02T09:00').toISOString());
    expect(get.url.searchParams.get('to')).toBe(new Date('2026-03-02T10:00').toISOString());
    const to = screen.getByLabelText('To');
    await userEvent.clear(to);
    await userEvent.type(to, '2026-03-01T10:00');
    await userEvent.click(screen.getByRole('button', { name: /Apply filters/ }));
    expect(await screen.findByText('“To” must be after “From”')).toBeTruthy();
  });

  it('exports the filtered set as CSV from the cloud', async () => {
    const created = vi.fn(() => 'blob:audit');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: created, revokeObjectURL: () => {} }));
    const calls = stubApi({
      'GET /api/users': { body: users },
      'GET /api/audit/export': () =>
        new Response('id,created_at\r\n2,x\r\n1,y\r\n', { headers: { 'content-type': 'text/csv' } }),
      'GET /api/audit': { body: entries(2) },
    });
    renderApp('/audit?action=user.create', as('admin'));
    await screen.findByTestId('audit-table');
    await userEvent.click(screen.getByRole('button', { name: /Export filtered CSV/ }));
    expect((await screen.findByTestId('export-done')).textContent).toBe('Exported 2 entries.');
    const get = calls.find((c) => c.url.pathname === '/api/audit/export')!;
    expect(get.url.searchParams.get('action')).toBe('user.create');
    expect(created).toHaveBeenCalledTimes(1);
  });

  it('empty log, and an error with a retry', async () => {
    stubApi({ 'GET /api/users': { body: users }, 'GET /api/audit': { body: [] } });
    const view = renderApp('/audit', as('admin'));
    expect(await screen.findByText('Nothing has been recorded yet.')).toBeTruthy();
    view.unmount();
    let fail = true;
    stubApi({
      'GET /api/users': { body: users },
      'GET /api/audit': () =>
        fail ? json({ error: { code: 'TALLY_BAD_REQUEST', message: 'bad filter' } }, 400) : json(entries(1)),
    });
    renderApp('/audit', as('admin'));
    expect((await screen.findByRole('alert')).textContent).toMatch(/bad filter/);
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: /Retry/ }));
    await waitFor(() => expect(screen.getByTestId('audit-table')).toBeTruthy());
  });

  it('a site manager gets the forbidden state, and the log is never asked for', async () => {
    const calls = stubApi({});
    renderApp('/audit', as('site_manager'));
    expect((await screen.findByTestId('forbidden')).textContent).toMatch(/cannot open the audit log/);
    expect(calls.some((c) => c.url.pathname.startsWith('/api/audit'))).toBe(false);
  });
});
