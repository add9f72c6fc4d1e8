import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ROLE_PERMISSIONS, type Role, type User } from '@tally/proto';
import { describe, expect, it } from 'vitest';
import type { SessionTransport } from '../../src/lib/session';
import { site } from '../support/fixtures';
import { renderApp, SITE_ID, stubApi, user } from '../support/render';

/** Signed in with what the cloud really grants the role (proto's table), as /api/me says. */

// Tables of fifty rows render slowly in happy-dom on a loaded machine.
configure({ asyncUtilTimeout: 8000 });
function as(role: Role, id = '22222222-2222-4222-8222-222222222222'): SessionTransport {
  return {
    mayHaveSession: () => true,
    remember: () => {},
    refresh: async () => ({ accessToken: 'token', expiresIn: 900 }),
    me: async () => ({ ...user(role), id, permissions: [...ROLE_PERMISSIONS[role]] }),
  };
}

const SELF = '22222222-2222-4222-8222-222222222222';
const person = (over: Partial<User>): User => ({
  id: '33333333-3333-4333-8333-333333333333',
  email: 'vic@example.com',
  name: 'Vic Viewer',
  role: 'viewer',
  siteIds: [SITE_ID],
  disabled: false,
  createdAt: '2026-01-01T00:00:00Z',
  ...over,
});
const owner = person({
  id: SELF,
  email: 'owner@example.com',
  name: 'Olga Owner',
  role: 'owner',
  siteIds: [],
});
const viewer = person({});
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('users page', () => {
  it('lists users with role, sites and status; an owner adds a viewer and sees the password once', async () => {
    let users = [owner, viewer];
    const calls = stubApi({
      'GET /api/users': () => json(users),
      'GET /api/sites': { body: [site] },
      'POST /api/users': (_url, init) => {
        const body = JSON.parse(String(init?.body)) as { email: string; role: Role; siteIds: string[] };
        const made = person({ id: '44444444-4444-4444-8444-444444444444', name: '', ...body });
        users = [...users, made];
        return json(made, 201);
      },
    });
    renderApp('/users', as('owner'));
    const table = await screen.findByTestId('users-table');
    expect(within(table).getByText('Vic Viewer')).toBeTruthy();
    expect(within(table).getByText('Riverside Mall')).toBeTruthy();
    expect(within(table).getAllByText('Active')).toHaveLength(2);
    // The only owner: the rule is said in the row, before any button is pressed.
    expect(within(table).getByText(/Last owner: make another user an owner/)).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: /Add user/ }));
    const form = screen.getByRole('form', { name: 'Add a user' });
    await userEvent.type(within(form).getByLabelText('Email'), 'new@example.com');
    await userEvent.selectOptions(within(form).getByLabelText('Role'), 'viewer');
    const password = (within(form).getByLabelText('Initial password') as HTMLInputElement).value;
    expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    await userEvent.click(within(form).getByRole('button', { name: 'Create user' }));

    const secret = await screen.findByTestId('one-time-secret');
    expect(within(secret).getByTestId('secret-value').textContent).toBe(password);
    expect(secret.textContent).toMatch(/Created new@example.com/);
    const post = calls.find((c) => c.method === 'POST');
    expect(JSON.parse(String(post?.init?.body))).toEqual({
      email: 'new@example.com',
      role: 'viewer',
      siteIds: [],
      password,
    });
    expect(await within(screen.getByTestId('users-table')).findByText('new@example.com')).toBeTruthy();
  });

  it('refuses a bad email and a site role without sites before sending anything', async () => {
    const calls = stubApi({ 'GET /api/users': { body: [owner] }, 'GET /api/sites': { body: [site] } });
    renderApp('/users', as('owner'));
    await userEvent.click(await screen.findByRole('button', { name: /Add user/ }));
    const form = screen.getByRole('form', { name: 'Add a user' });
    await userEvent.type(within(form).getByLabelText('Email'), 'not-an-email');
    await userEvent.selectOptions(within(form).getByLabelText('Role'), 'installer');
    await userEvent.click(within(form).getByRole('button', { name: 'Create user' }));
    expect(await within(form).findByText(/enter an email such as/)).toBeTruthy();
    expect(within(form).getByText('choose at least one site for this role')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('disabling asks first, naming the user, then sends it', async () => {
    const calls = stubApi({
      'GET /api/users': { body: [owner, viewer] },
      'GET /api/sites': { body: [site] },
      [`PATCH /api/users/${viewer.id}`]: { body: { ...viewer, disabled: true } },
    });
    renderApp('/users', as('owner'));
    await userEvent.click(await screen.findByRole('button', { name: 'Disable Vic Viewer' }));
    const dialog = screen.getByRole('alertdialog');
    expect(dialog.textContent).toMatch(/Disable Vic Viewer \(vic@example.com\)\?/);
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Disable' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(JSON.parse(String(patch?.init?.body))).toEqual({ disabled: true });
  });

  it("shows the cloud's last-owner refusal as its message", async () => {
    const second = person({
      id: '55555555-5555-4555-8555-555555555555',
      email: 'oscar@example.com',
      name: 'Oscar',
      role: 'owner',
    });
    const message =
      'this is the last owner of the organisation: make another user an owner first, then change or remove this one';
    stubApi({
      // Two owners as listed; meanwhile the other one was disabled elsewhere, so the cloud refuses.
      'GET /api/users': { body: [owner, second] },
      'GET /api/sites': { body: [site] },
      [`PATCH /api/users/${second.id}`]: () => json({ error: { code: 'TALLY_LAST_OWNER', message } }, 409),
    });
    renderApp('/users', as('owner'));
    await userEvent.click(await screen.findByRole('button', { name: 'Edit access Oscar' }));
    const form = screen.getByRole('form', { name: 'Access of Oscar (oscar@example.com)' });
    await userEvent.selectOptions(within(form).getByLabelText('Role'), 'admin');
    await userEvent.click(within(form).getByRole('button', { name: 'Save access' }));
    expect((await screen.findByTestId('users-error')).textContent).toBe(message);
  });

  it('a password reset names the user, then shows the temporary password once', async () => {
    stubApi({
      'GET /api/users': { body: [owner, viewer] },
      'GET /api/sites': { body: [site] },
      [`POST /api/users/${viewer.id}/password-reset`]: { body: { temporaryPassword: 'Tmp-Pass_1234567' } },
    });
    renderApp('/users', as('admin', '66666666-6666-4666-8666-666666666666'));
    await userEvent.click(await screen.findByRole('button', { name: 'Reset password Vic Viewer' }));
    const dialog = screen.getByRole('alertdialog');
    expect(dialog.textContent).toMatch(/Reset the password of Vic Viewer \(vic@example.com\)\?/);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Reset password' }));
    expect((await screen.findByTestId('secret-value')).textContent).toBe('Tmp-Pass_1234567');
    await userEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByText('Tmp-Pass_1234567')).toBeNull();
  });

  it('an admin gets no buttons on an owner, and cannot give the owner role', async () => {
    const second = person({
      id: '55555555-5555-4555-8555-555555555555',
      email: 'o2@example.com',
      name: 'Oscar',
      role: 'owner',
    });
    stubApi({ 'GET /api/users': { body: [owner, second, viewer] }, 'GET /api/sites': { body: [site] } });
    renderApp('/users', as('admin', '66666666-6666-4666-8666-666666666666'));
    const table = await screen.findByTestId('users-table');
    expect(within(table).getAllByText('Only an owner can change an owner')).toHaveLength(2);
    expect(within(table).queryByRole('button', { name: /Oscar/ })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: /Add user/ }));
    const roles = within(screen.getByLabelText('Role'))
      .getAllByRole('option')
      .map((o) => o.textContent);
    expect(roles).toEqual(['Admin', 'Site manager', 'Installer', 'Viewer']);
  });

  it('an owner invites another owner and sees the code once with the command that redeems it', async () => {
    const calls = stubApi({
      'GET /api/users': { body: [owner] },
      'GET /api/sites': { body: [site] },
      'POST /api/invitations': {
        status: 201,
        body: {
          code: 'inv-code-123',
          email: 'new-owner@example.com',
          role: 'owner',
          expiresAt: '2026-03-05T09:00:00Z',
        },
      },
    });
    renderApp('/users', as('owner'));
    await userEvent.click(await screen.findByRole('button', { name: /Invite an owner/ }));
    const form = screen.getByRole('form', { name: 'Invite an owner' });
    await userEvent.type(within(form).getByLabelText('Email'), 'new-owner@example.com');
    await userEvent.click(within(form).getByRole('button', { name: 'Create invitation' }));
    const secret = await screen.findByTestId('one-time-secret');
    expect(within(secret).getByTestId('secret-value').textContent).toBe('inv-code-123');
    expect(secret.textContent).toMatch(/pnpm cloud create-owner --email new-owner@example.com/);
    const post = calls.find((c) => c.method === 'POST')!;
    expect(JSON.parse(String(post.init?.body))).toEqual({ email: 'new-owner@example.com' });
  });

  it('an admin is not offered owner invitations', async () => {
    stubApi({ 'GET /api/users': { body: [owner] }, 'GET /api/sites': { body: [site] } });
    renderApp('/users', as('admin', '66666666-6666-4666-8666-666666666666'));
    await screen.findByTestId('users-table');
    expect(screen.queryByRole('button', { name: /Invite an owner/ })).toBeNull();
  });

  it('loading, then an error with a retry that recovers', async () => {
    let fail = true;
    stubApi({
      'GET /api/users': () =>
        fail
          ? json({ error: { code: 'TALLY_FORBIDDEN', message: 'only owners and admins manage users' } }, 403)
          : json([owner]),
      'GET /api/sites': { body: [site] },
    });
    renderApp('/users', as('owner'));
    expect(await screen.findByText('Loading users…')).toBeTruthy();
    expect((await screen.findByRole('alert')).textContent).toMatch(/only owners and admins manage users/);
    fail = false;
    await userEvent.click(screen.getByRole('button', { name: /Retry/ }));
    expect(await screen.findByTestId('users-table')).toBeTruthy();
  });

  it('a viewer (and a site manager) gets the forbidden state and no Users or Audit link', async () => {
    for (const role of ['viewer', 'site_manager'] as const) {
      const calls = stubApi({ 'GET /api/overview': { body: { generatedAt: '', sites: [] } } });
      const view = renderApp('/users', as(role));
      expect((await screen.findByTestId('forbidden')).textContent).toMatch(/cannot open user management/);
      const nav = screen.getByRole('navigation', { name: 'Main' });
      expect(within(nav).queryByRole('link', { name: 'Users' })).toBeNull();
      expect(within(nav).queryByRole('link', { name: 'Audit' })).toBeNull();
      expect(calls.some((c) => c.url.pathname === '/api/users')).toBe(false);
      view.unmount();
    }
  });

  it('an admin sees the Users and Audit links', async () => {
    stubApi({ 'GET /api/overview': { body: { generatedAt: '', sites: [] } } });
    renderApp('/', as('admin'));
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(await within(nav).findByRole('link', { name: 'Users' })).toBeTruthy();
    expect(within(nav).getByRole('link', { name: 'Audit' })).toBeTruthy();
  });
});
