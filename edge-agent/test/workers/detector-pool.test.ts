import { afterEach, describe, expect, it } from 'vitest';
import { assets } from '@tally/proto/assets';
import { createLogger } from '@tally/proto/log';
import { RemoteDetector } from '../../src/detect/remote-detector';
import { DetectorPool, type DetectorLease } from '../../src/workers/detector-pool';
import { vtestFrame } from '../helpers/media';

const log = createLogger('detector-pool-test', 'silent');
const OPTS = { scoreThreshold: 0.3, classes: ['person'] };
const MODEL = { id: 'yolox_nano', path: assets.model(), layout: 'yolox' as const };

/** The real model on ONNX Runtime: each detector thread loads its own session. */
describe('DetectorPool: cameras spread over a model’s detector threads', () => {
  const leases: DetectorLease[] = [];
  afterEach(async () => {
    await Promise.all(leases.splice(0).map((l) => l.release()));
  });
  const acquireAll = async (pool: DetectorPool, n: number) => {
    const got = await Promise.all(Array.from({ length: n }, () => pool.acquire(MODEL)));
    leases.push(...got);
    return got;
  };

  it('two cameras share one thread; cameras acquiring at once past that spread evenly over the allowed threads', async () => {
    const pool = new DetectorPool({ log, intraOpThreads: 1, threadsPerModel: 2 });
    await acquireAll(pool, 2);
    expect(pool.camerasPerThread()).toEqual([[2]]);
    await acquireAll(pool, 6);
    expect(pool.camerasPerThread()).toEqual([[4, 4]]);
    const ids = await pool.threadIds();
    expect(new Set(ids).size).toBe(2);
  }, 60_000);

  it('a released thread closes when its last camera leaves, and the next camera joins the thread with room', async () => {
    const pool = new DetectorPool({ log, intraOpThreads: 1, threadsPerModel: 2 });
    const [a, b, c] = await acquireAll(pool, 3);
    expect(pool.camerasPerThread()).toEqual([[2, 1]]);
    await c!.release();
    expect(pool.size()).toBe(1);
    await a!.release();
    await acquireAll(pool, 1);
    expect(pool.camerasPerThread()).toEqual([[2]]);
    await b!.release();
    expect(pool.camerasPerThread()).toEqual([[1]]);
  }, 60_000);

  it('with one thread per model (the setting at 1), every camera shares it', async () => {
    const pool = new DetectorPool({ log, intraOpThreads: 1, threadsPerModel: 1 });
    await acquireAll(pool, 5);
    expect(pool.camerasPerThread()).toEqual([[5]]);
  }, 60_000);

  it('every thread answers with the same people on the same frame', async () => {
    const pool = new DetectorPool({ log, intraOpThreads: 1, threadsPerModel: 2 });
    const got = await acquireAll(pool, 4);
    expect(pool.camerasPerThread()).toEqual([[2, 2]]);
    const frame = { ...vtestFrame(100), ts: 0, index: 0 };
    // Leases 0 and 2 are on different threads (the third camera started the second thread).
    const [first, second] = [new RemoteDetector(got[0]!.link()), new RemoteDetector(got[2]!.link())];
    const [a, b] = await Promise.all([first.detect(frame, OPTS), second.detect(frame, OPTS)]);
    expect(a.detections.length).toBeGreaterThanOrEqual(6);
    expect(b.detections.map((d) => Math.round(d.box.x1))).toEqual(
      a.detections.map((d) => Math.round(d.box.x1)),
    );
    await Promise.all([first.close(), second.close()]);
  }, 60_000);
});
