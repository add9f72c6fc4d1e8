import { describe, expect, it } from 'vitest';
import * as kalman from '../../src/track/kalman';

describe('kalman (constant velocity, time in seconds)', () => {
  const run = (fps: number, seconds: number) => {
    const mean = new Float64Array(8);
    const cov = new Float64Array(64);
    const speed = 50; // px/s to the right
    kalman.initiate(mean, cov, 100, 200, 0.5, 100);
    const dt = 1 / fps;
    for (let i = 1; i <= seconds * fps; i++) {
      kalman.predict(mean, cov, dt);
      kalman.update(mean, cov, 100 + speed * i * dt, 200, 0.5, 100);
    }
    return { mean, cov };
  };

  it('learns the velocity in pixels per second, whatever the frame rate', () => {
    for (const fps of [5, 30]) {
      const { mean } = run(fps, 4);
      expect(mean[4]).toBeGreaterThan(45);
      expect(mean[4]).toBeLessThan(55);
      expect(mean[0]).toBeCloseTo(300, 0);
    }
  });

  it('predicts ahead by velocity × dt and grows its uncertainty', () => {
    const { mean, cov } = run(10, 3);
    const x = mean[0]!;
    const v = mean[4]!;
    const varianceBefore = cov[0]!;
    kalman.predict(mean, cov, 0.5);
    expect(mean[0]).toBeCloseTo(x + 0.5 * v, 6);
    expect(cov[0]!).toBeGreaterThan(varianceBefore);
  });

  it('keeps the covariance symmetric', () => {
    const { cov } = run(25, 2);
    for (let i = 0; i < 8; i++)
      for (let j = 0; j < 8; j++) expect(cov[i * 8 + j]).toBeCloseTo(cov[j * 8 + i]!, 6);
  });
});
