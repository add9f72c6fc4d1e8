import { describe, expect, it, vi } from 'vitest';
import { LiveSocket, type LiveStatus } from '../../src/lib/live-socket';
import { backoffMs } from '../../src/lib/backoff';
import { FakeSocket } from '../support/fake-socket';

function start(token: (fresh: boolean) => Promise<string | null>) {
  FakeSocket.instances = [];
  const statuses: LiveStatus[] = [];
  const socket = new LiveSocket({
    url: 'ws://host/api/live',
    token,
    onMessage: () => {},
    onStatus: (s) => statuses.push(s),
    createSocket: (u) => new FakeSocket(u) as unknown as WebSocket,
  });
  socket.start();
  return { socket, statuses };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

describe('live socket', () => {
  it('authenticates with its first message, never in the URL, and is open on hello', async () => {
    const { statuses } = start(async () => 'secret-token');
    await until(() => FakeSocket.instances[0]?.sent.length === 1);
    const s = FakeSocket.latest();
    expect(s.url).toBe('ws://host/api/live');
    expect(JSON.parse(s.sent[0]!)).toEqual({ type: 'auth', token: 'secret-token' });
    s.push({ type: 'hello', siteIds: 'all', expiresAt: 0 });
    expect(statuses.at(-1)).toBe('open');
  });

  it('a dropped connection shows as lost and reconnects after a backoff', async () => {
    vi.useFakeTimers();
    try {
      const { statuses } = start(async () => 't');
      await vi.advanceTimersByTimeAsync(0);
      FakeSocket.latest().push({ type: 'hello', siteIds: 'all', expiresAt: 0 });
      FakeSocket.latest().drop();
      expect(statuses.at(-1)).toBe('lost');
      expect(FakeSocket.instances).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1300);
      expect(FakeSocket.instances).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('closed for an expired token (4001), it reconnects at once with a fresh one', async () => {
    const token = vi.fn(async (fresh: boolean) => (fresh ? 'fresh' : 'old'));
    start(token);
    await until(() => FakeSocket.instances[0]?.sent.length === 1);
    FakeSocket.latest().drop(4001);
    await until(() => FakeSocket.instances[1]?.sent.length === 1);
    expect(token).toHaveBeenLastCalledWith(true);
    expect(JSON.parse(FakeSocket.latest().sent[0]!)).toEqual({ type: 'auth', token: 'fresh' });
  });

  it('backoff doubles up to 30 s, with at most 20 % jitter', () => {
    expect([0, 1, 2, 3, 10].map((a) => backoffMs(a, () => 0))).toEqual([1000, 2000, 4000, 8000, 30_000]);
    expect(backoffMs(0, () => 1)).toBe(1200);
  });
});
