import { describe, expect, it } from 'vitest';
import { OutboxCursor, type SendRange } from '../../src/sync/outbox-cursor';

/** Drives the pure cursor as the outbox would, with every range fully present in the store. */
function cycle(c: OutboxCursor, now: number, lastSeq: number): SendRange[] {
  const sent: SendRange[] = [];
  for (let i = 0; i < 100; i++) {
    const ranges = c.plan(now, lastSeq);
    if (ranges.length === 0) break;
    for (const r of ranges) {
      const upTo = Math.min(r.to, r.from + r.limit - 1);
      c.sent(r, upTo, upTo - r.from + 1);
      sent.push({ ...r, to: upTo });
    }
  }
  return sent;
}

describe('outbox cursor (pure): live first, backfill under a rate ceiling, resend on ack timeout', () => {
  const opts = { batchSize: 100, backfillRatePerS: 1000, ackTimeoutMs: 5000 };

  it('after an outage sends live events at once while the backlog trickles at the ceiling', () => {
    const c = new OutboxCursor(opts);
    c.reset(0, 100_000, 0); // a day of backlog: seqs 1..100000
    cycle(c, 0, 100_000); // the initial burst of one batch
    const sent = cycle(c, 1000, 100_010); // one second later, 10 live events arrived
    const live = sent.filter((r) => r.kind === 'live');
    const backfill = sent.filter((r) => r.kind === 'backfill');
    expect(live).toEqual([{ kind: 'live', from: 100_001, to: 100_010, limit: 100 }]);
    expect(sent[0]!.kind).toBe('live'); // live goes first in the cycle
    const backfilled = backfill.reduce((n, r) => n + r.to - r.from + 1, 0);
    expect(backfilled).toBe(1000); // exactly the ceiling for one second
    expect(backfill[0]!.from).toBe(101);
    expect(backfill.every((r) => r.to - r.from + 1 === 100)).toBe(true); // full batches only
  });

  it('resends everything unacknowledged after the ack timeout, and not before', () => {
    const c = new OutboxCursor(opts);
    c.reset(0, 0, 0);
    cycle(c, 0, 50); // 50 live events sent, no ack comes
    expect(cycle(c, 4000, 50)).toEqual([]);
    const resent = cycle(c, 5001, 50);
    expect(resent).toEqual([{ kind: 'backfill', from: 1, to: 50, limit: 50 }]);
  });

  it('an ack moves the backfill past acknowledged seqs; resync goes back below it', () => {
    const c = new OutboxCursor(opts);
    c.reset(0, 1000, 0);
    c.settle(800, 10);
    const sent = cycle(c, 10, 1000);
    expect(sent[0]).toMatchObject({ kind: 'backfill', from: 801 });
    c.resync(1, 1000);
    const again = cycle(c, 1000, 1000);
    expect(again[0]).toMatchObject({ kind: 'backfill', from: 1 });
  });
});
