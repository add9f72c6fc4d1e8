import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderApp, signedOutTransport, stubApi } from '../support/render';

const TOKEN = 'Wq3kZp8VtY2mN4bR7cX1dF6gH9jL0sAe';

describe('first-run setup', () => {
  it('a fresh cloud sends the visitor from sign-in to setup, which creates the owner with the logged token', async () => {
    let created = false;
    const calls = stubApi({
      'GET /api/setup': () => new Response(JSON.stringify({ needed: !created }), { status: 200 }),
      'POST /api/setup': (_url, init) => {
        created = true;
        const body = JSON.parse(String(init!.body)) as { email: string };
        return new Response(
          JSON.stringify({
            orgId: '33333333-3333-4333-8333-333333333333',
            userId: '44444444-4444-4444-8444-444444444444',
            email: body.email.toLowerCase(),
          }),
          { status: 201 },
        );
      },
    });
    const { router } = renderApp('/sign-in', signedOutTransport);
    await screen.findByRole('button', { name: 'Create owner account' });
    expect(router.state.location.pathname).toBe('/setup');

    await userEvent.type(screen.getByLabelText('Setup token'), ` ${TOKEN} `);
    await userEvent.type(screen.getByLabelText('Organisation'), 'Acme');
    await userEvent.type(screen.getByLabelText('Email'), 'Owner@Example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse battery');
    await userEvent.click(screen.getByRole('button', { name: 'Create owner account' }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/sign-in'));
    expect(await screen.findByText(/The owner account owner@example.com is ready/)).toBeTruthy();
    const post = calls.find((c) => c.method === 'POST' && c.url.pathname === '/api/setup')!;
    // The token is sent trimmed (pasted from a log line), the optional name left out when empty.
    expect(JSON.parse(String(post.init!.body))).toEqual({
      token: TOKEN,
      organisation: 'Acme',
      email: 'Owner@Example.com',
      password: 'correct horse battery',
    });
  });

  it("shows the cloud's refusal of a wrong token and stays on the form", async () => {
    stubApi({
      'GET /api/setup': { body: { needed: true } },
      'POST /api/setup': {
        status: 400,
        body: { error: { code: 'TALLY_SETUP_TOKEN_INVALID', message: 'wrong or spent setup token' } },
      },
    });
    const { router } = renderApp('/setup', signedOutTransport);
    await userEvent.type(await screen.findByLabelText('Setup token'), TOKEN);
    await userEvent.type(screen.getByLabelText('Organisation'), 'Acme');
    await userEvent.type(screen.getByLabelText('Email'), 'o@example.com');
    await userEvent.type(screen.getByLabelText('Password'), 'correct horse battery');
    await userEvent.click(screen.getByRole('button', { name: 'Create owner account' }));
    expect((await screen.findByRole('alert')).textContent).toContain('wrong or spent setup token');
    expect(router.state.location.pathname).toBe('/setup');
  });

  it('checks the fields before calling the cloud', async () => {
    const calls = stubApi({ 'GET /api/setup': { body: { needed: true } } });
    renderApp('/setup', signedOutTransport);
    await userEvent.type(await screen.findByLabelText('Password'), 'short');
    await userEvent.click(screen.getByRole('button', { name: 'Create owner account' }));
    expect(await screen.findByText('paste the setup token from the server log')).toBeTruthy();
    expect(screen.getByText('at least 10 characters')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
  });

  it('once an account exists, the setup page sends visitors to sign in', async () => {
    stubApi({ 'GET /api/setup': { body: { needed: false } } });
    const { router } = renderApp('/setup', signedOutTransport);
    await screen.findByRole('button', { name: 'Sign in' });
    expect(router.state.location.pathname).toBe('/sign-in');
  });
});
