import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraConfig } from '@tally/proto';
import { assets, requireAsset } from '@tally/proto/assets';
import type { Detector } from '../../src/detect/detector';
import { createOnnxDetector } from '../../src/detect/onnx-detector';
import { CameraPipeline } from '../../src/pipeline/camera-pipeline';
import type { CountEventDraft } from '../../src/vision/types';
import { tempDir, vtestClip } from '../helpers/media';

const log = pino({ level: 'silent' });

/** vtest.avi's walkers: a line across their path and the path itself as a zone (normalised). */
const LINE = { id: 'mid', name: 'Middle', p1: { x: 0.3, y: 0.4 }, p2: { x: 0.9, y: 0.4 }, sustainMs: 0 };
const ZONE = {
  id: 'path',
  name: 'Path',
  polygon: [
    { x: 0.39, y: 0.26 },
    { x: 0.91, y: 0.26 },
    { x: 0.91, y: 0.52 },
    { x: 0.39, y: 0.52 },
  ],
};

function camera(url: string, extra: Partial<CameraConfig>): CameraConfig {
  return {
    id: 'cam',
    source: { url },
    fps: 10,
    inputSize: { width: 416, height: 312 },
    classes: ['person'],
    scoreThreshold: 0.3,
    lines: [LINE],
    zones: [ZONE],
    ...extra,
  };
}

/** Every frame of the file through the pipeline (no drops); the counts per rule/kind/direction and the health. */
async function count(detector: Detector, cam: CameraConfig) {
  const events: CountEventDraft[] = [];
  const pipeline = new CameraPipeline(cam, {
    detector,
    log,
    onEvents: (d) => events.push(...d),
    fileTiming: 'every-frame',
  });
  pipeline.start();
  await pipeline.done();
  const counts: Record<string, number> = {};
  for (const e of events) {
    const key = `${e.ruleId}:${e.kind}:${e.direction ?? '-'}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return { counts, health: pipeline.health() };
}

/**
 * A quiet/busy mix made by ffmpeg: `idleS` seconds of one still frame of the scene with fresh sensor noise in every
 * frame (ffmpeg's noise filter, temporal), then `busyS` seconds of the real video, then the still again.
 */
function quietBusyMix(dir: string, idleS: number, busyS: number): string {
  const busy = vtestClip(dir, busyS, 30);
  const out = join(dir, 'mix.mkv');
  const still = `[0:v]trim=end_frame=1,loop=loop=${idleS * 10 - 1}:size=1:start=0,setpts=N/10/TB,noise=alls=8:allf=t+u,format=yuv420p[idle]`;
  execFileSync('/usr/bin/ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-i', busy],
    ...[
      '-filter_complex',
      `${still};[idle]split[a][b];[0:v]fps=10,setpts=N/10/TB,format=yuv420p[busy];[a][busy][b]concat=n=3:v=1[out]`,
    ],
    ...['-map', '[out]', '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '10', '-r', '10', out],
  ]);
  return out;
}

describe('motion gating with the real detector on real video', () => {
  let detector: Detector;
  const dir = tempDir('gating');
  beforeAll(async () => {
    detector = await createOnnxDetector({ modelPath: requireAsset(assets.model()), layout: 'yolox', log });
  });
  afterAll(async () => {
    await detector?.close();
  });

  it('counts on the busy video with gating on (the default) equal the counts with gating off', async () => {
    const clip = vtestClip(dir, 12);
    const off = await count(detector, camera(clip, { motionGating: { enabled: false } }));
    const on = await count(detector, camera(clip, {}));
    expect(Object.keys(off.counts).length).toBeGreaterThan(0);
    expect(on.counts).toEqual(off.counts);
    expect(off.health.framesGated).toBe(0);
    expect(on.health.framesProcessed + (on.health.framesGated ?? 0)).toBe(off.health.framesProcessed);
  });

  it('on a quiet/busy mix, gating detects far fewer frames and the counts stay those of the ungated run', async () => {
    const mix = quietBusyMix(dir, 6, 10);
    const off = await count(detector, camera(mix, { motionGating: { enabled: false } }));
    const on = await count(detector, camera(mix, {}));
    expect(off.health.framesGated).toBe(0);
    expect(on.health.framesProcessed + (on.health.framesGated ?? 0)).toBe(off.health.framesProcessed);
    // 12 idle seconds (120 frames) at the 1 fps keep-alive instead of 10 fps, less the hang-over after the walkers.
    expect(on.health.framesGated).toBeGreaterThanOrEqual(80);
    expect(Object.keys(off.counts).length).toBeGreaterThan(0);
    expect(on.counts).toEqual(off.counts);
  });

  it('detectFps 5 sends every second frame of a 10 fps camera to the detector', async () => {
    const clip = vtestClip(dir, 4);
    const r = await count(detector, camera(clip, { motionGating: { enabled: false }, detectFps: 5 }));
    expect(r.health.framesProcessed).toBe(20);
    expect(r.health.framesGated).toBe(20);
  });
});
