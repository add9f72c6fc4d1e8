import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assets, requireAsset } from '@tally/proto/assets';
import { UnknownClassError } from '../../src/detect/class-filter';
import { createOnnxDetector, type OnnxDetector } from '../../src/detect/onnx-detector';
import { iou } from '../../src/detect/nms';
import type { Box, Frame } from '../../src/vision/types';
import { tempDir, vtestFrame } from '../helpers/media';
import { identityModel } from './tiny-onnx';

/**
 * People in frame 100 of vtest.avi, boxes written down by looking at the frame (extracted with
 * `ffmpeg -i vtest.avi -vf "select=eq(n\,100)" -frames:v 1 f100.png`): five walkers on the path in the middle and
 * one far away at the top left. A sixth walker hidden behind the sign at x≈440 is not required.
 */
const PEOPLE_FRAME_100: Box[] = [
  { x1: 348, y1: 198, x2: 380, y2: 275 }, // black coat, walking left
  { x1: 376, y1: 178, x2: 410, y2: 256 }, // dark jacket, jeans
  { x1: 494, y1: 148, x2: 518, y2: 220 }, // the pair, left
  { x1: 517, y1: 152, x2: 541, y2: 220 }, // the pair, right
  { x1: 589, y1: 154, x2: 618, y2: 234 }, // alone on the right
  { x1: 222, y1: 60, x2: 238, y2: 94 }, // far, top left
];
const VAN: Box = { x1: 652, y1: 44, x2: 724, y2: 100 };

const silent = pino({ level: 'silent' });

describe('ONNX detector on the real YOLOX-Nano model and vtest.avi', () => {
  let det: OnnxDetector;
  let frame: Frame;
  beforeAll(async () => {
    det = await createOnnxDetector({ modelPath: requireAsset(assets.model()), layout: 'yolox', log: silent });
    frame = { ...vtestFrame(100), ts: 0, index: 100 };
  });
  afterAll(async () => {
    await det?.close();
  });

  it('finds the people where they are', async () => {
    const dets = (await det.detect(frame, { scoreThreshold: 0.3, classes: ['person'] })).detections;
    for (const want of PEOPLE_FRAME_100) {
      const best = Math.max(...dets.map((d) => iou(d.box, want)));
      expect(best, `person at ${JSON.stringify(want)}`).toBeGreaterThan(0.6);
    }
    expect(dets.every((d) => d.className === 'person')).toBe(true);
    // Nobody on the lawn in the lower half (a tripod and litter there are not people).
    expect(dets.filter((d) => (d.box.y1 + d.box.y2) / 2 > 320)).toEqual([]);
  });

  it('finds the parked van as a vehicle, and the class filter and threshold apply', async () => {
    const vehicles = (await det.detect(frame, { scoreThreshold: 0.3, classes: ['car', 'truck', 'bus'] }))
      .detections;
    expect(vehicles.some((d) => iou(d.box, VAN) > 0.7)).toBe(true);
    expect(vehicles.some((d) => d.className === 'person')).toBe(false);
    expect((await det.detect(frame, { scoreThreshold: 0.99, classes: ['person'] })).detections).toEqual([]);
  });

  it('gives the same boxes for a frame ffmpeg already scaled to the letterbox size (no resize in JS)', async () => {
    const small = { ...vtestFrame(100, { width: 416, height: 312 }), ts: 0, index: 100 };
    const dets = (await det.detect(small, { scoreThreshold: 0.3, classes: ['person'] })).detections;
    const scale = 416 / 768;
    for (const want of PEOPLE_FRAME_100.slice(0, 5)) {
      const scaled = { x1: want.x1 * scale, y1: want.y1 * scale, x2: want.x2 * scale, y2: want.y2 * scale };
      expect(Math.max(...dets.map((d) => iou(d.box, scaled)))).toBeGreaterThan(0.6);
    }
  });

  it('names an unknown class', async () => {
    await expect(
      det.detect(frame, { scoreThreshold: 0.3, classes: ['person', 'pedestrian'] }),
    ).rejects.toThrow(UnknownClassError);
    await expect(det.detect(frame, { scoreThreshold: 0.3, classes: ['pedestrian'] })).rejects.toThrow(
      /unknown class "pedestrian"/,
    );
  });
});

describe('ONNX detector set-up errors and fallbacks', () => {
  const dir = tempDir('detect');

  it('a missing model file is an error naming the file', async () => {
    const path = join(dir, 'missing.onnx');
    await expect(createOnnxDetector({ modelPath: path, layout: 'yolox', log: silent })).rejects.toThrow(
      `model file not found: ${path}`,
    );
  });

  it('a file that is not an ONNX model is an error naming the file', async () => {
    const path = join(dir, 'garbage.onnx');
    writeFileSync(path, 'not a model');
    await expect(createOnnxDetector({ modelPath: path, layout: 'yolox', log: silent })).rejects.toThrow(
      `${path} is not a loadable ONNX model`,
    );
  });

  it('a model whose input is not one [1, 3, H, W] image is an error naming the file and the expected shape', async () => {
    const path = join(dir, 'four-channels.onnx');
    writeFileSync(path, identityModel([1, 4, 64, 64]));
    await expect(createOnnxDetector({ modelPath: path, layout: 'yolox', log: silent })).rejects.toThrow(
      `${path}: input has shape [1, 4, 64, 64]; expected one image input [1, 3, height, width] (float32)`,
    );
  });

  it('a model with an unknown output layout (here an image in, the same image out) is an error', async () => {
    const path = join(dir, 'identity.onnx');
    writeFileSync(path, identityModel([1, 3, 64, 64]));
    await expect(createOnnxDetector({ modelPath: path, layout: 'yolox', log: silent })).rejects.toThrow(
      /identity\.onnx: output "output" has shape \[1, 3, 64, 64\], which is not the yolox layout: expected \[1, 84, 5 \+ classes\]/,
    );
  });

  it('a model whose output is not the configured layout is an error saying what was expected', async () => {
    const path = requireAsset(assets.model());
    await expect(createOnnxDetector({ modelPath: path, layout: 'yolov8', log: silent })).rejects.toThrow(
      /has shape \[1, 3549, 85\], which is not the yolov8 layout: expected \[1, 4 \+ classes, anchors\]/,
    );
    await expect(
      createOnnxDetector({ modelPath: path, layout: 'yolox', classNames: ['a', 'b'], log: silent }),
    ).rejects.toThrow(/outputs 80 classes but 2 class names are configured/);
  });

  it('cuda and tensorrt fall back to CPU with one clear log line (no GPU here)', async () => {
    const lines: { msg: string; level: number }[] = [];
    const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
    const det = await createOnnxDetector({
      modelPath: requireAsset(assets.model()),
      layout: 'yolox',
      executionProviders: ['tensorrt', 'cuda'],
      log,
    });
    expect(det.executionProvider).toBe('cpu');
    const warnings = lines.filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toBe(
      'execution provider tensorrt, cuda unavailable on this machine: running on CPU',
    );
    await det.close();
  });
});

describe('ONNX detector shared by two callers', () => {
  it('serialises concurrent calls so each gets the boxes of its own frame', async () => {
    const det = await createOnnxDetector({
      modelPath: requireAsset(assets.model()),
      layout: 'yolox',
      log: silent,
    });
    const busy = { ...vtestFrame(100), ts: 0, index: 0 };
    const empty = { data: new Uint8Array(768 * 576 * 3).fill(90), width: 768, height: 576, ts: 0, index: 1 };
    const opts = { scoreThreshold: 0.3, classes: ['person'] };
    const [a, b] = await Promise.all([det.detect(busy, opts), det.detect(empty, opts)]);
    expect(a.detections.length).toBeGreaterThanOrEqual(6);
    expect(b.detections).toEqual([]);
    await det.close();
  });
});
