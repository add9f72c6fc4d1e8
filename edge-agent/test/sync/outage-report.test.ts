import { describe, expect, it } from 'vitest';
import { OutageReport } from '../../src/sync/outage-report';

describe('OutageReport: a broker outage is logged once, then summarised every interval', () => {
  it('says nothing while connected, one line when the outage starts, nothing for each retry', () => {
    const r = new OutageReport(60_000);
    expect(r.connected(0)).toBeUndefined();
    expect(r.failed(1_000, 'connect ECONNREFUSED 127.0.0.1:1883')).toEqual({
      kind: 'started',
      reason: 'connect ECONNREFUSED 127.0.0.1:1883',
    });
    // 29 more retries 2 s apart, within the first minute: silence.
    for (let t = 3_000; t < 61_000; t += 2_000) {
      expect(r.retrying(t)).toBeUndefined();
      expect(r.failed(t, 'connect ECONNREFUSED 127.0.0.1:1883')).toBeUndefined();
    }
  });

  it('summarises a long outage once per interval with its length, attempts and last error, then says when it ended', () => {
    const r = new OutageReport(60_000);
    r.failed(0, 'connect ECONNREFUSED');
    const lines = [];
    // A retry every 2 s for 3 minutes: 90 attempts in all (the first failure included).
    for (let t = 2_000; t <= 178_000; t += 2_000) {
      const a = r.retrying(t);
      const b = r.failed(t, t > 100_000 ? 'Connection refused: Not authorized' : 'connect ECONNREFUSED');
      for (const l of [a, b]) if (l) lines.push(l);
    }
    expect(lines).toEqual([
      { kind: 'ongoing', downForS: 60, attempts: 31, lastError: 'connect ECONNREFUSED' },
      { kind: 'ongoing', downForS: 120, attempts: 61, lastError: 'Connection refused: Not authorized' },
    ]);
    expect(r.connected(180_000)).toEqual({ kind: 'ended', downForS: 180, attempts: 90 });
    expect(r.down).toBe(false);
    // The next outage starts afresh.
    expect(r.failed(200_000, '')).toEqual({ kind: 'started', reason: 'connection lost' });
  });
});
