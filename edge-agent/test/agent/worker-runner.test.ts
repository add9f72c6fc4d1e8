import { afterEach, describe, expect, it } from 'vitest';
import type { CountEventDraft } from '../../src/vision/types';
import type { OccupancySample } from '@tally/proto';
import { assets } from '@tally/proto/assets';
import { createLogger } from '@tally/proto/log';
import { DetectorPool } from '../../src/workers/detector-pool';
import { WorkerCameraRunner } from '../../src/workers/worker-camera-runner';
import { camera } from '../helpers/configs';
import { waitFor } from '../helpers/temp-dir';

const log = createLogger('worker-test', 'silent');
const MODEL = { id: 'yolox_nano', path: assets.model(), layout: 'yolox' as const };

/** The real pipeline (ffmpeg decode of the shared video, YOLOX-Nano on ONNX Runtime) in a worker thread. */
describe('camera worker thread with the real pipeline', () => {
  const runners: WorkerCameraRunner[] = [];
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
  });

  it('loads the model, counts people on the shared video, and serves a snapshot', async () => {
    const events: CountEventDraft[] = [];
    const occupancy: OccupancySample[] = [];
    const cam = camera('cam-video', {
      source: { url: assets.video(), loop: true },
      inputSize: { width: 768, height: 576 },
      classes: ['person'],
      lines: [{ id: 'mid', name: 'Middle', p1: { x: 0, y: 0.5 }, p2: { x: 1, y: 0.5 }, sustainMs: 0 }],
    });
    const runner = new WorkerCameraRunner(
      cam,
      MODEL,
      { onEvents: (d) => events.push(...d), onOccupancy: (s) => occupancy.push(...s) },
      { log, detectors: new DetectorPool({ log }) },
    );
    runners.push(runner);
    await runner.prepare();
    runner.start();
    await waitFor(
      () => runner.health().state === 'live' && runner.health().framesProcessed > 5,
      'frames processed',
      60_000,
    );
    await waitFor(() => events.length > 0, 'a counted crossing', 90_000, 200);
    expect(events[0]).toMatchObject({
      cameraId: 'cam-video',
      ruleId: 'mid',
      kind: 'line_cross',
      objectClass: 'person',
    });
    expect(runner.latency()!.count).toBeGreaterThan(0);
    const jpeg = await runner.snapshotJpeg();
    expect(jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    await runner.stop();
    expect(runner.health().state).toBe('stopped');
  }, 180_000);

  it('rejects prepare() with the loader message when the model cannot load', async () => {
    const runner = new WorkerCameraRunner(
      camera('cam-x'),
      { ...MODEL, path: '/nonexistent/model.onnx' },
      { onEvents: () => {}, onOccupancy: () => {} },
      { log, detectors: new DetectorPool({ log }) },
    );
    runners.push(runner);
    await expect(runner.prepare()).rejects.toThrow(/model\.onnx/);
  });

  it('cameras running the same model share one detector thread, which closes when the last camera stops', async () => {
    const detectors = new DetectorPool({ log });
    const make = (id: string) => {
      const cam = camera(id, {
        source: { url: assets.video(), loop: true },
        inputSize: { width: 416, height: 312 },
        classes: ['person'],
      });
      const r = new WorkerCameraRunner(
        cam,
        MODEL,
        { onEvents: () => {}, onOccupancy: () => {} },
        { log, detectors },
      );
      runners.push(r);
      return r;
    };
    const a = make('cam-a');
    const b = make('cam-b');
    await Promise.all([a.prepare(), b.prepare()]);
    expect(detectors.size()).toBe(1);
    a.start();
    b.start();
    await waitFor(
      () => [a, b].every((r) => r.health().framesProcessed > 10),
      'both cameras processing frames through the shared detector',
      60_000,
    );
    await a.stop();
    expect(detectors.size()).toBe(1); // camera b still uses it
    const before = b.health().framesProcessed;
    await waitFor(() => b.health().framesProcessed > before + 5, 'camera b goes on alone', 30_000);
    await b.stop();
    expect(detectors.size()).toBe(0);
  }, 120_000);

  it('when the shared detector thread dies, its cameras restart on a fresh one and count again', async () => {
    const detectors = new DetectorPool({ log });
    const runner = new WorkerCameraRunner(
      camera('cam-c', {
        source: { url: assets.video(), loop: true },
        inputSize: { width: 416, height: 312 },
        classes: ['person'],
      }),
      MODEL,
      { onEvents: () => {}, onOccupancy: () => {} },
      { log, detectors, respawnDelayMs: 200 },
    );
    runners.push(runner);
    await runner.prepare();
    runner.start();
    await waitFor(() => runner.health().framesProcessed > 5, 'frames before the crash', 60_000);
    await detectors.terminateAll();
    await waitFor(() => runner.health().state === 'failed', 'the camera reported failed', 30_000, 20);
    expect(runner.health().reason).toMatch(/exited with code 3/);
    await waitFor(
      () => runner.health().state === 'live' && runner.health().framesProcessed > 5,
      'the camera live again on a new detector thread',
      60_000,
    );
    expect(detectors.size()).toBe(1);
  }, 120_000);
});
