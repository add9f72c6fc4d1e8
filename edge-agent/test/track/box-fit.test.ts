import { describe, expect, it } from 'vitest';
import { RecentBoxes } from '../../src/track/box-fit';
import type { Box } from '../../src/vision/types';

const near = (got: Box, want: Box) => {
  for (const k of ['x1', 'y1', 'x2', 'y2'] as const) expect(got[k]).toBeCloseTo(want[k], 6);
};
const box = (cx: number, cy: number, w: number, h: number) => ({
  x1: cx - w / 2,
  y1: cy - h / 2,
  x2: cx + w / 2,
  y2: cy + h / 2,
});

describe('RecentBoxes', () => {
  it('reads one observation back as it is', () => {
    const r = new RecentBoxes();
    r.push(0, box(10, 20, 4, 8));
    near(r.fit(0.3, 0.5), box(10, 20, 4, 8));
  });

  it('follows a straight path without lag, also after its ring buffer has wrapped around', () => {
    const r = new RecentBoxes();
    for (let i = 0; i < 200; i++) r.push(i * 10, box(3 * i, 100 - i, 40 + 0.1 * i, 80));
    near(r.fit(0.3, 0.5), box(3 * 199, 100 - 199, 40 + 19.9, 80));
  });

  it('averages alternating jitter, and the size more than the centre', () => {
    const r = new RecentBoxes();
    // at rest; centre and size alternate ±2 around (100, 100) and 40 × 80, newest at +2
    for (let i = 0; i <= 20; i++) {
      const s = i % 2 === 0 ? 2 : -2;
      r.push(i * 100, box(100 + s, 100, 40 + s, 80));
    }
    const b = r.fit(0.3, 0.5);
    const cx = (b.x1 + b.x2) / 2;
    const w = b.x2 - b.x1;
    expect(Math.abs(cx - 100)).toBeLessThan(2);
    expect(Math.abs(w - 40)).toBeLessThan(Math.abs(cx - 100));
  });

  it('forgets observations older than 3σ, and gives the newest values at σ 0', () => {
    const r = new RecentBoxes();
    r.push(0, box(999, 999, 10, 10)); // 2 s before the others: beyond 3 × 0.5 s
    for (let i = 0; i < 5; i++) r.push(2000 + i * 100, box(50, 60, 20, 30));
    near(r.fit(0.3, 0.5), box(50, 60, 20, 30));
    const s = new RecentBoxes();
    s.push(0, box(0, 0, 10, 10));
    s.push(100, box(10, 0, 20, 10));
    s.push(200, box(30, 0, 20, 40));
    near(s.fit(0, 0), box(30, 0, 20, 40));
  });
});
