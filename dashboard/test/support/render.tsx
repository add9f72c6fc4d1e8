import { render } from '@testing-library/react';
import type { Me, Permission, Role } from '@tally/proto';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { vi } from 'vitest';
import { AppProviders } from '../../src/app/providers';
import { routes } from '../../src/app/router';
import type { SessionTransport } from '../../src/lib/session';
import { FakeSocket } from './fake-socket';

export const SITE_ID = '11111111-1111-4111-8111-111111111111';

/** What the cloud grants each role (cloud/src/auth/permissions.ts), for the actions the pages offer. */
const GRANTS: Record<Role, Permission[]> = {
  owner: [
    'site.read',
    'site.create',
    'data.export',
    'alert.manage',
    'alert.ack',
    'device.provision',
    'device.manage',
    'model.manage',
    'camera.setup',
  ],
  admin: [
    'site.read',
    'site.create',
    'data.export',
    'alert.manage',
    'alert.ack',
    'device.provision',
    'device.manage',
    'model.manage',
    'camera.setup',
  ],
  site_manager: [
    'site.read',
    'data.export',
    'alert.manage',
    'alert.ack',
    'device.provision',
    'device.manage',
    'camera.setup',
  ],
  installer: ['site.read', 'device.provision', 'camera.setup'],
  viewer: ['site.read', 'data.export'],
};

export function user(role: Role): Me {
  return {
    permissions: GRANTS[role],
    sites: [SITE_ID],
    id: '22222222-2222-4222-8222-222222222222',
    email: `${role}@example.com`,
    name: role,
    role,
    siteIds: [SITE_ID],
    disabled: false,
    createdAt: '2026-01-01T00:00:00Z',
  };
}

/** An API answer: a JSON body with a status, or a function of the request. */
export type Handler = { status?: number; body: unknown } | ((url: URL, init?: RequestInit) => Response);

/**
 * Stand-in for the cloud in component tests: `fetch` answers from a table keyed by "METHOD /path" (the first key
 * the request's path starts with). The real cloud is exercised by the end-to-end test.
 */
export function stubApi(table: Record<string, Handler>) {
  const calls: { method: string; url: URL; init?: RequestInit }[] = [];
  const fetchStub = vi.fn(async (input: string | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    const method = init?.method ?? 'GET';
    calls.push({ method, url, init });
    const key = Object.keys(table)
      .filter((k) => {
        const [m, p] = k.split(' ');
        return m === method && url.pathname.startsWith(p!);
      })
      .sort((a, b) => b.length - a.length)[0];
    if (!key)
      return new Response(
        JSON.stringify({ error: { code: 'TEST_NO_ROUTE', message: `${method} ${url.pathname}` } }),
        { status: 404 },
      );
    const h = table[key]!;
    if (typeof h === 'function') return h(url, init);
    return new Response(JSON.stringify(h.body), {
      status: h.status ?? 200,
      headers: { 'content-type': 'application/json' },
    });
  });
  vi.stubGlobal('fetch', fetchStub);
  return calls;
}

/** A transport whose session is already there (as after a page load with the cookie). */
export function signedInTransport(role: Role): SessionTransport {
  return {
    mayHaveSession: () => true,
    remember: () => {},
    refresh: async () => ({ accessToken: `token-${Math.random()}`, expiresIn: 900 }),
    me: async () => user(role),
  };
}

/** No session yet; after signing in, `/api/me` says who it is (a viewer). */
export const signedOutTransport: SessionTransport = {
  mayHaveSession: () => false,
  remember: () => {},
  refresh: async () => null,
  me: async () => user('viewer'),
};

/** Renders the whole app (providers, router, layout) at `path`, with the live socket faked. */
export function renderApp(path: string, transport: SessionTransport) {
  FakeSocket.instances = [];
  vi.stubGlobal('WebSocket', FakeSocket);
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const view = render(
    <AppProviders transport={transport}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return { ...view, router };
}
