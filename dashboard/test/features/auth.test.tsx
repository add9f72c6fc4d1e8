import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderApp, signedOutTransport, SITE_ID, stubApi, user } from '../support/render';
import { site } from '../support/fixtures';

describe('sign-in', () => {
  it('a signed-out visitor is sent to sign in, and comes back to the page they asked for', async () => {
    const calls = stubApi({
      'POST /api/auth/login': { body: { accessToken: 'a', expiresIn: 900 } },
      'GET /api/me': { body: user('viewer') },
      'GET /api/sites/': { body: site },
      'GET /api/cameras': { body: [] },
      'GET /api/sites': { body: [site] },
    });
    const { router } = renderApp(`/sites/${SITE_ID}/devices`, signedOutTransport);
    await screen.findByRole('button', { name: 'Sign in' });
    expect(router.state.location.search).toBe(`?next=${encodeURIComponent(`/sites/${SITE_ID}/devices`)}`);
    await userEvent.type(screen.getByLabelText('Email'), 'viewer@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'pw-123456789');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(router.state.location.pathname).toBe(`/sites/${SITE_ID}/devices`));
    const login = calls.find((c) => c.url.pathname === '/api/auth/login')!;
    // The browser session: the refresh token comes back only as the httpOnly cookie.
    expect(JSON.parse(String(login.init!.body))).toEqual({
      email: 'viewer@example.com',
      password: 'pw-123456789',
      session: 'cookie',
    });
  });

  it("shows the cloud's message for wrong credentials and stays on the form", async () => {
    stubApi({
      'POST /api/auth/login': {
        status: 401,
        body: { error: { code: 'TALLY_INVALID_CREDENTIALS', message: 'wrong email or password' } },
      },
    });
    renderApp('/sign-in', signedOutTransport);
    await userEvent.type(await screen.findByLabelText('Email'), 'x@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'nope');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toContain('wrong email or password');
  });

  it('asks for both fields before calling the cloud', async () => {
    const calls = stubApi({});
    renderApp('/sign-in', signedOutTransport);
    await userEvent.click(await screen.findByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('enter your email')).toBeTruthy();
    // Only the first-run check (GET /api/setup) has been made: no sign-in attempt.
    expect(calls.filter((c) => c.url.pathname !== '/api/setup')).toEqual([]);
  });
});
