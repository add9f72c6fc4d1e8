import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../src/lib/api-client';
import { SessionStore, type SessionTransport } from '../../src/lib/session';
import { user } from '../support/render';

function transport(overrides: Partial<SessionTransport> = {}): SessionTransport {
  return {
    mayHaveSession: () => true,
    remember: vi.fn(),
    refresh: vi.fn(async () => ({ accessToken: 'fresh', expiresIn: 900 })),
    me: async () => user('viewer'),
    ...overrides,
  };
}

describe('session', () => {
  it('concurrent refreshes share one request (the cloud rotates the cookie on each use)', async () => {
    type Tokens = { accessToken: string; expiresIn: number };
    let release: (v: Tokens) => void = () => {};
    const t = transport({ refresh: vi.fn(() => new Promise<Tokens | null>((r) => (release = r))) });
    const session = new SessionStore(t);
    const both = Promise.all([session.refresh(), session.refresh()]);
    release({ accessToken: 'one', expiresIn: 900 });
    expect(await both).toEqual(['one', 'one']);
    expect(t.refresh).toHaveBeenCalledTimes(1);
  });

  it('a refused refresh of a live session ends it as "ended" (the sign-in page explains)', async () => {
    const t = transport();
    const session = new SessionStore(t);
    await session.restore();
    expect(session.getSnapshot().status).toBe('signed-in');
    vi.mocked(t.refresh).mockResolvedValueOnce(null);
    await session.refresh();
    expect(session.getSnapshot()).toMatchObject({ status: 'signed-out', ended: true });
    expect(session.accessToken).toBeNull();
  });

  it('a first visit asks for no refresh it knows will fail', async () => {
    const t = transport({ mayHaveSession: () => false });
    const session = new SessionStore(t);
    await session.restore();
    expect(t.refresh).not.toHaveBeenCalled();
    expect(session.getSnapshot()).toMatchObject({ status: 'signed-out', ended: false });
  });

  it('refreshes silently before the access token expires', async () => {
    vi.useFakeTimers();
    try {
      const t = transport();
      const session = new SessionStore(t);
      await session.signedIn('first', 900);
      await vi.advanceTimersByTimeAsync(839_000);
      expect(t.refresh).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(2_000);
      expect(t.refresh).toHaveBeenCalledTimes(1);
      expect(session.accessToken).toBe('fresh');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('API client', () => {
  it('on a 401 refreshes once and retries with the new token', async () => {
    const seen: (string | null)[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        const auth = (init.headers as Record<string, string>).authorization ?? null;
        seen.push(auth);
        return auth === 'Bearer fresh'
          ? new Response('[]', { status: 200 })
          : new Response('{"error":{"code":"TALLY_UNAUTHORIZED","message":"expired"}}', { status: 401 });
      }),
    );
    const session = new SessionStore(transport());
    await session.signedIn('stale', 900);
    expect(await new ApiClient(session).json('/sites')).toEqual([]);
    expect(seen).toEqual(['Bearer stale', 'Bearer fresh']);
  });

  it('when the refresh fails too, the session ends and the error carries the code', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response('{"error":{"code":"TALLY_UNAUTHORIZED","message":"expired"}}', { status: 401 }),
      ),
    );
    const t = transport();
    const session = new SessionStore(t);
    await session.signedIn('stale', 900);
    vi.mocked(t.refresh).mockResolvedValueOnce(null);
    await expect(new ApiClient(session).json('/sites')).rejects.toMatchObject({
      status: 401,
      code: 'TALLY_UNAUTHORIZED',
    });
    expect(session.getSnapshot()).toMatchObject({ status: 'signed-out', ended: true });
  });
});
