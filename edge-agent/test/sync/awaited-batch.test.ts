import { describe, expect, it } from 'vitest';
import { AwaitedBatch } from '../../src/sync/awaited-batch';

describe('AwaitedBatch: one bucket/occupancy batch waiting for the cloud', () => {
  const opts = { ackTimeoutMs: 1000, maxWaitMs: 4000 };

  it('holds the next batch back until the ack, and hands back what the acked batch carried', () => {
    const b = new AwaitedBatch<number[]>(opts);
    expect(b.due(0)).toBe(true);
    b.sent('a', [1, 2], 0);
    expect(b.due(999)).toBe(false);
    expect(b.acked('other')).toBeUndefined(); // a stale or foreign ack marks nothing
    expect(b.acked('a')).toEqual([1, 2]);
    expect(b.due(1000)).toBe(true);
  });

  it('resends an unanswered batch after a wait that doubles up to the ceiling, and an ack resets it', () => {
    const b = new AwaitedBatch<string>(opts);
    let now = 0;
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      b.sent(`x${i}`, 'x', now);
      let t = now;
      while (!b.due(t)) t += 100;
      waits.push(t - now);
      now = t;
    }
    expect(waits).toEqual([1000, 2000, 4000, 4000, 4000]);
    b.sent('y', 'y', now);
    expect(b.acked('y')).toBe('y');
    b.sent('z', 'z', now);
    expect(b.due(now + 999)).toBe(false);
    expect(b.due(now + 1000)).toBe(true);
  });

  it('a reconnect sends again at once', () => {
    const b = new AwaitedBatch<string>(opts);
    b.sent('a', 'a', 0);
    b.reset();
    expect(b.due(1)).toBe(true);
    expect(b.acked('a')).toBeUndefined();
  });
});
