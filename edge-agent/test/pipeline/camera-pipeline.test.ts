import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraConfig, OccupancySample } from '@tally/proto';
import { assets, requireAsset } from '@tally/proto/assets';
import type { Detector } from '../../src/detect/detector';
import { DetectorService } from '../../src/detect/detector-service';
import { createOnnxDetector } from '../../src/detect/onnx-detector';
import { CameraPipeline } from '../../src/pipeline/camera-pipeline';
import type { CountEventDraft } from '../../src/vision/types';
import { tempDir, vtestClip } from '../helpers/media';
import { startRtspServer, waitFor } from '../helpers/rtsp-server';

const log = pino({ level: 'silent' });

/** The path the walkers of vtest.avi use, as a zone (normalised), and a line across their way. */
const PATH_ZONE = {
  id: 'path',
  name: 'Path',
  polygon: [
    { x: 0.39, y: 0.26 },
    { x: 0.91, y: 0.26 },
    { x: 0.91, y: 0.52 },
    { x: 0.39, y: 0.52 },
  ],
};

function camera(url: string, extra: Partial<CameraConfig> = {}): CameraConfig {
  return {
    id: 'cam-test',
    source: { url },
    fps: 10,
    inputSize: { width: 768, height: 576 },
    classes: ['person'],
    scoreThreshold: 0.3,
    lines: [],
    zones: [PATH_ZONE],
    ...extra,
  };
}

describe('CameraPipeline with the real detector', () => {
  let detector: Detector;
  const dir = tempDir('pipeline');
  let clip: string;
  beforeAll(async () => {
    detector = await createOnnxDetector({ modelPath: requireAsset(assets.model()), layout: 'yolox', log });
    clip = vtestClip(dir, 3);
  });
  afterAll(async () => {
    await detector?.close();
  });

  it('with the detector thread (two frames in flight) gives frame for frame what the in-thread detector gives', async () => {
    const cam = camera(clip, {
      lines: [{ id: 'mid', name: 'Middle', p1: { x: 0.3, y: 0.4 }, p2: { x: 0.9, y: 0.4 }, sustainMs: 0 }],
    });
    // Per processed frame: its index, a checksum of the pixels it carried when tracked (a recycled buffer would
    // show here), and the tracks; then the events, timestamps made relative to the first frame.
    const run = async (d: Detector) => {
      const frames: { index: number; sum: number; tracks: unknown }[] = [];
      const events: CountEventDraft[] = [];
      let t0 = 0;
      const pipeline = new CameraPipeline(cam, {
        detector: d,
        log,
        onEvents: (e) => events.push(...e),
        fileTiming: 'every-frame',
        onFrame: (frame, output) => {
          if (frames.length === 0) t0 = frame.ts;
          let sum = 0;
          for (let i = 0; i < frame.data.length; i += 97) sum = (sum * 31 + frame.data[i]!) >>> 0;
          frames.push({ index: frame.index, sum, tracks: output.tracks });
        },
      });
      pipeline.start();
      await pipeline.done();
      return { frames, events: events.map((e) => ({ ...e, ts: e.ts - t0 })) };
    };
    const local = await run(detector);
    const service = await DetectorService.start(
      { modelPath: requireAsset(assets.model()), layout: 'yolox' },
      log,
    );
    const remote = service.connect();
    try {
      const threaded = await run(remote);
      expect(threaded.frames.map((f) => f.index)).toEqual(local.frames.map((f) => f.index));
      expect(threaded.frames.length).toBe(30);
      expect(threaded.frames.map((f) => f.sum)).toEqual(local.frames.map((f) => f.sum));
      expect(threaded.frames.map((f) => f.tracks)).toEqual(local.frames.map((f) => f.tracks));
      expect(threaded.events).toEqual(local.events);
      expect(local.frames.some((f) => (f.tracks as unknown[]).length > 0)).toBe(true);
    } finally {
      await remote.close();
      await service.close();
    }
  });

  it('with a shared detector (overlapFrames false) keeps one frame in flight and still counts every frame alike', async () => {
    const cam = camera(clip, {
      lines: [{ id: 'mid', name: 'Middle', p1: { x: 0.3, y: 0.4 }, p2: { x: 0.9, y: 0.4 }, sustainMs: 0 }],
    });
    const run = async (d: Detector) => {
      const events: CountEventDraft[] = [];
      let frames = 0;
      const pipeline = new CameraPipeline(cam, {
        detector: d,
        log,
        onEvents: (e) => events.push(...e),
        fileTiming: 'every-frame',
        onFrame: () => void frames++,
      });
      pipeline.start();
      await pipeline.done();
      return { frames, events: events.map((e) => `${e.ruleId}:${e.kind}:${e.direction ?? ''}:${e.trackId}`) };
    };
    let inFlight = 0;
    let most = 0;
    const single: Detector = {
      inputSize: detector.inputSize,
      classNames: detector.classNames,
      executionProvider: detector.executionProvider,
      overlapFrames: () => false,
      detect: async (frame, opts) => {
        most = Math.max(most, ++inFlight);
        try {
          // As slow as a busy shared detector, so a pipeline that overlaps frames does have two in flight.
          await new Promise((r) => setTimeout(r, 30));
          return await detector.detect(frame, opts);
        } finally {
          inFlight--;
        }
      },
      close: () => Promise.resolve(),
    };
    const one = await run(single);
    expect(most).toBe(1);
    most = 0;
    const two = await run({ ...single, overlapFrames: () => true });
    expect(most).toBe(2);
    expect(one.frames).toBe(30);
    expect(one).toEqual(two);
  });

  it('counts people entering a zone; bad rules and classes are reported and left out while the rest counts', async () => {
    const events: CountEventDraft[] = [];
    const cam = camera(clip, {
      classes: ['person', 'pedestrian'],
      lines: [{ id: 'flat', name: 'Flat', p1: { x: 0.5, y: 0.5 }, p2: { x: 0.5, y: 0.5 } }],
      zones: [
        PATH_ZONE,
        {
          id: 'bowtie',
          name: 'Bow tie',
          polygon: [
            { x: 0.1, y: 0.1 },
            { x: 0.3, y: 0.3 },
            { x: 0.3, y: 0.1 },
            { x: 0.1, y: 0.3 },
          ],
        },
      ],
    });
    const occupancy: OccupancySample[] = [];
    const pipeline = new CameraPipeline(cam, {
      detector,
      log,
      onEvents: (d) => events.push(...d),
      onOccupancy: (s) => occupancy.push(...s),
      occupancyIntervalMs: 1000,
      fileTiming: 'every-frame',
    });
    const issues = pipeline.issues();
    expect(issues).toHaveLength(3);
    expect(issues.find((i) => i.includes('"pedestrian"'))).toMatch(/unknown class "pedestrian"/);
    expect(issues.find((i) => i.startsWith('rule flat'))).toMatch(/end points are equal/);
    expect(issues.find((i) => i.startsWith('rule bowtie'))).toMatch(/intersect/);

    const before = Date.now();
    pipeline.start();
    await pipeline.done();
    const health = pipeline.health();
    expect(health).toMatchObject({
      cameraId: 'cam-test',
      state: 'stopped',
      framesProcessed: 30,
      framesDropped: 0,
    });
    expect(health.detectorLatencyMs.p50).toBeGreaterThan(0);

    const enters = events.filter((e) => e.kind === 'zone_enter');
    expect(enters.length).toBeGreaterThanOrEqual(1);
    expect(events.every((e) => e.ruleId === 'path' && e.objectClass === 'person')).toBe(true);
    // Stamped with the frames' times: start + pts, within the 3 s of the clip.
    expect(events.every((e) => e.ts >= before && e.ts <= before + 3000 + 5000)).toBe(true);
    expect(pipeline.counts()).toMatchObject({ path: { enter: enters.length } });
    // Occupancy once per second of frame time (3 s of video), only for the zone that was kept.
    expect(occupancy.length).toBe(3);
    expect(occupancy.every((o) => o.zoneId === 'path' && o.cameraId === 'cam-test')).toBe(true);
    expect(Math.max(...occupancy.map((o) => o.counts.person ?? 0))).toBeGreaterThan(0);

    const stages = pipeline.stageTimings();
    expect(Object.keys(stages)).toEqual([
      'decode',
      'preprocess',
      'inference',
      'postprocess',
      'track',
      'count',
    ]);
    expect(stages.inference.median).toBeGreaterThan(0);
    expect(stages.inference.p95).toBeGreaterThanOrEqual(stages.inference.median);

    const jpeg = await pipeline.snapshotJpeg();
    expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8]);
    const probe = execFileSync(
      '/usr/bin/ffprobe',
      ['-v', 'error', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', '-'],
      {
        input: jpeg,
      },
    );
    expect(probe.toString().trim()).toBe('768,576');
    await pipeline.stop();
  });

  it('restart() starts the camera again and keeps counting frames (a looping video played like a camera)', async () => {
    const pipeline = new CameraPipeline(
      camera(clip, { source: { url: clip, loop: true }, inputSize: { width: 416, height: 312 } }),
      {
        detector,
        log,
        onEvents: () => {},
      },
    );
    pipeline.start();
    await waitFor(() => pipeline.health().framesProcessed >= 3, 30_000, 'three frames');
    await pipeline.restart();
    const after = pipeline.health().framesProcessed;
    await waitFor(() => pipeline.health().framesProcessed >= after + 3, 30_000, 'frames after the restart');
    expect(pipeline.health().state).toBe('live');
    await pipeline.stop();
    expect(pipeline.health().state).toBe('stopped');
  });

  it('restart() ends every open zone visit with an exit carrying the reason; occupancy returns to zero', async () => {
    const events: CountEventDraft[] = [];
    const occupancy: OccupancySample[] = [];
    const pipeline = new CameraPipeline(
      camera(clip, { source: { url: clip, loop: true }, inputSize: { width: 416, height: 312 } }),
      {
        detector,
        log,
        onEvents: (d) => events.push(...d),
        onOccupancy: (s) => occupancy.push(...s),
        occupancyIntervalMs: 500,
      },
    );
    const open = () =>
      events.filter((e) => e.kind === 'zone_enter').length -
      events.filter((e) => e.kind === 'zone_exit').length;
    pipeline.start();
    await waitFor(() => open() > 0, 60_000, 'someone inside the zone');
    await pipeline.restart();
    // Taken at once: the restarted camera has not processed a frame yet, so these are the restart's own events.
    const snapshot = [...events];
    const restartExits = snapshot.filter((e) => e.endReason === 'camera_restart');
    expect(restartExits.length).toBeGreaterThan(0);
    expect(restartExits.every((e) => e.kind === 'zone_exit' && e.ruleId === 'path')).toBe(true);
    expect(snapshot.filter((e) => e.kind === 'zone_enter').length).toBe(
      snapshot.filter((e) => e.kind === 'zone_exit').length,
    );
    expect(occupancy.at(-1)!.counts).toEqual({ person: 0 });
    await pipeline.stop();
  });

  it('a camera whose stream cannot be opened reports failed with a reason and stops cleanly', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    const pipeline = new CameraPipeline(camera(`rtsp://127.0.0.1:${port}/none`), {
      detector,
      log,
      onEvents: () => {},
    });
    pipeline.start();
    await waitFor(() => pipeline.health().state === 'failed', 20_000, 'failed');
    expect(pipeline.health().reason).toMatch(/connection refused/);
    await expect(pipeline.snapshotJpeg()).rejects.toThrow(/has no frame yet/);
    await pipeline.stop();
    expect(pipeline.health().state).toBe('stopped');
  });

  it('runs live on RTSP: state live, frames processed, fps reported', async () => {
    const server = await startRtspServer(assets.video());
    try {
      const pipeline = new CameraPipeline(camera(server.url, { inputSize: { width: 416, height: 312 } }), {
        detector,
        log,
        onEvents: () => {},
      });
      pipeline.start();
      await waitFor(() => pipeline.health().framesProcessed >= 5, 30_000, 'five frames');
      const h = pipeline.health();
      expect(h.state).toBe('live');
      expect(h.fps).toBeGreaterThan(0);
      expect(h.lastFrameAt).toBeGreaterThan(Date.now() - 10_000);
      await pipeline.stop();
      expect(pipeline.health().state).toBe('stopped');
    } finally {
      await server.stop();
    }
  });
});
