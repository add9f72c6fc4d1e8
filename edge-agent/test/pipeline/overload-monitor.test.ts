import { describe, expect, it } from 'vitest';
import { OverloadMonitor } from '../../src/pipeline/overload-monitor';

describe('overload monitor', () => {
  it('is quiet without drops, overloaded with the share and the window once drops reach 2 %', () => {
    const m = new OverloadMonitor({ windowMs: 10_000, threshold: 0.02 });
    expect(m.observe(0, 0, 0)).toEqual({ dropRate: 0, overloaded: false });
    expect(m.observe(5_000, 50, 0)).toEqual({ dropRate: 0, overloaded: false });
    // 100 received over 10 s, 10 of them dropped.
    expect(m.observe(10_000, 100, 10)).toEqual({
      dropRate: 0.1,
      overloaded: true,
      reason: 'detection cannot keep up: 10 % of frames dropped in the last 10 s (10 of 100)',
    });
  });

  it('forgets drops older than the window, and starts over when the counters restart', () => {
    const m = new OverloadMonitor({ windowMs: 10_000, threshold: 0.02 });
    m.observe(0, 0, 0);
    m.observe(1_000, 10, 5);
    for (let t = 2_000; t <= 12_000; t += 1_000) m.observe(t, 10 + (t / 1_000 - 1) * 10, 5);
    // The window now starts at 2 s: no drop since.
    expect(m.observe(13_000, 130, 5).overloaded).toBe(false);
    expect(m.observe(14_000, 3, 1)).toEqual({ dropRate: 0, overloaded: false });
    expect(m.observe(15_000, 13, 2).dropRate).toBe(0.1);
  });
});
