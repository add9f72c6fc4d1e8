import { describe, expect, it } from 'vitest';
import { COCO_CLASSES } from '@tally/proto';
import { classMask } from '../../src/detect/class-filter';
import { fillPadding, letterboxPlan, writeLetterboxed } from '../../src/detect/letterbox';
import { nms } from '../../src/detect/nms';
import { decodeYolov8, decodeYolox, yoloxGrid } from '../../src/detect/output-decoders';

/**
 * There is no real YOLOv8/YOLO11 model here, so the Ultralytics decoder is checked on an output tensor built by
 * hand in its layout (1 × (4 + C) × N, channel-major, boxes in input pixels of a centered letterbox).
 */
describe('YOLOv8 decoder on a synthetic output tensor', () => {
  const C = 80;
  const N = 6;
  // A 1280×720 frame letterboxed into 640×640: scale 0.5, image 640×360 centered, 140 px of padding above.
  const plan = letterboxPlan(1280, 720, 640, 640, 'ultralytics');
  const rows: [number, number, number, number, number, number][] = [
    // cx, cy, w, h (input pixels), class id, score
    [100, 240, 40, 100, 0, 0.9], // person → frame (160..240, 100..300)
    [102, 242, 40, 100, 0, 0.6], // the same person again: NMS removes it
    [104, 241, 40, 100, 2, 0.7], // a car on the same spot: another class, kept
    [500, 400, 80, 60, 7, 0.2], // truck below the threshold
    [300, 300, 50, 50, 14, 0.95], // a bird: filtered out by class
    [320, 320, 10, 10, 0, 0.01], // noise
  ];
  const out = new Float32Array((4 + C) * N);
  rows.forEach(([cx, cy, w, h, cls, score], i) => {
    out[i] = cx;
    out[N + i] = cy;
    out[2 * N + i] = w;
    out[3 * N + i] = h;
    out[(4 + cls) * N + i] = score;
  });

  it('maps boxes back to frame pixels and applies threshold, class filter and class-aware NMS', () => {
    expect(plan).toMatchObject({ scale: 0.5, newW: 640, newH: 360, padX: 0, padY: 140 });
    const raw = decodeYolov8(out, N, {
      plan,
      numClasses: C,
      classNames: COCO_CLASSES,
      scoreThreshold: 0.3,
      classMask: classMask(['person', 'car', 'truck'], COCO_CLASSES),
    });
    expect(raw).toHaveLength(3);
    const kept = nms(raw, 0.45);
    expect(kept.map((d) => [d.className, d.score])).toEqual([
      ['person', expect.closeTo(0.9, 5)],
      ['car', expect.closeTo(0.7, 5)],
    ]);
    expect(kept[0]!.box).toEqual({ x1: 160, y1: 100, x2: 240, y2: 300 });
  });
});

describe('YOLOX decoder', () => {
  it('decodes a grid cell of each stride into frame pixels (objectness × class score)', () => {
    const grid = yoloxGrid(416, 416);
    expect(grid.rows).toBe(3549);
    const out = new Float32Array(3549 * 85);
    // Row of cell (x 3, y 2) at stride 16: after the 52×52 cells of stride 8.
    const r = 52 * 52 + 2 * 26 + 3;
    out.set([0.5, 0.5, Math.log(2), Math.log(4), 0.9], r * 85);
    out[r * 85 + 5] = 0.8; // person
    // Frame 832×416 → scale 0.5, image at the top-left.
    const plan = letterboxPlan(832, 416, 416, 416, 'yolox');
    const dets = decodeYolox(out, grid, {
      plan,
      numClasses: 80,
      classNames: COCO_CLASSES,
      scoreThreshold: 0.3,
      classMask: classMask(['person'], COCO_CLASSES),
    });
    expect(dets).toHaveLength(1);
    expect(dets[0]!.score).toBeCloseTo(0.72, 5);
    // cx = 3.5 × 16 = 56, cy = 2.5 × 16 = 40, w = 32, h = 64 in input pixels; ×2 in the frame.
    const { x1, y1, x2, y2 } = dets[0]!.box;
    [x1, y1, x2, y2].forEach((v, i) => expect(v).toBeCloseTo([80, 16, 144, 144][i]!, 4));
  });
});

describe('letterbox preprocessing', () => {
  const frame = new Uint8Array(4 * 2 * 3);
  for (let p = 0; p < 8; p++) frame.set([10 + p, 100 + p, 200 + p], p * 3); // B, G, R per pixel

  it('YOLOX: BGR, 0–255, image at the top-left, padding 114', () => {
    const plan = letterboxPlan(4, 2, 4, 4, 'yolox');
    const input = new Float32Array(3 * 16);
    fillPadding(plan, input);
    writeLetterboxed(plan, frame, input);
    expect(Array.from(input.subarray(0, 16))).toEqual([
      10,
      11,
      12,
      13,
      14,
      15,
      16,
      17,
      ...Array(8).fill(114),
    ]);
    expect(input[32]).toBe(200); // third plane is red
  });

  it('Ultralytics: RGB, 0–1, image centered', () => {
    const plan = letterboxPlan(4, 2, 4, 4, 'ultralytics');
    const input = new Float32Array(3 * 16);
    fillPadding(plan, input);
    writeLetterboxed(plan, frame, input);
    expect(input[0]).toBeCloseTo(114 / 255, 6); // padding row above
    expect(input[4]).toBeCloseTo(200 / 255, 6); // first plane is red, image starts on row 1
    expect(input[16 + 4]).toBeCloseTo(100 / 255, 6);
    expect(input[32 + 4]).toBeCloseTo(10 / 255, 6);
  });

  it('resizes bilinearly when the frame is larger than the model input', () => {
    const plan = letterboxPlan(4, 2, 2, 2, 'yolox');
    const input = new Float32Array(3 * 4);
    fillPadding(plan, input);
    writeLetterboxed(plan, frame, input);
    // 4×2 → 2×1: each output pixel is the mean of a 2×2 block.
    expect(Array.from(input.subarray(0, 4))).toEqual([12.5, 14.5, 114, 114]);
  });
});
