import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assets, requireAsset } from '@tally/proto/assets';
import { DetectorService } from '../../src/detect/detector-service';
import { ModelError } from '../../src/detect/model-path';
import { createOnnxDetector, type OnnxDetector } from '../../src/detect/onnx-detector';
import type { Frame } from '../../src/vision/types';
import { vtestFrame } from '../helpers/media';

const silent = pino({ level: 'silent' });
const opts = { scoreThreshold: 0.3, classes: ['person'] };

/** The real YOLOX-Nano in its own thread, shared by several clients. */
describe('detector thread shared by several clients', () => {
  let service: DetectorService;
  let local: OnnxDetector;
  let busy: Frame;
  let empty: Frame;
  beforeAll(async () => {
    const spec = { modelPath: requireAsset(assets.model()), layout: 'yolox' as const };
    service = await DetectorService.start(spec, silent);
    local = await createOnnxDetector({ ...spec, log: silent });
    busy = { ...vtestFrame(100), ts: 0, index: 0 };
    empty = { data: new Uint8Array(768 * 576 * 3).fill(90), width: 768, height: 576, ts: 0, index: 1 };
  });
  afterAll(async () => {
    await local?.close();
    await service?.close();
  });

  it('gives each client the boxes of its own frames, in call order, equal to the in-thread detector', async () => {
    const a = service.connect();
    const b = service.connect();
    expect(a.inputSize).toEqual({ width: 416, height: 416 });
    expect(a.classNames).toHaveLength(80);
    // Three overlapping calls per client: more than its two input buffers, so the third waits for one.
    const results = await Promise.all([
      a.detect(busy, opts),
      b.detect(empty, opts),
      a.detect(empty, opts),
      b.detect(busy, opts),
      a.detect(busy, opts),
      b.detect(empty, opts),
    ]);
    const want = (await local.detect(busy, opts)).detections;
    expect(want.length).toBeGreaterThanOrEqual(6);
    for (const i of [0, 3, 4]) {
      const got = results[i]!.detections;
      expect(got).toHaveLength(want.length);
      got.forEach((d, k) => {
        expect(d.className).toBe(want[k]!.className);
        expect(d.score).toBeCloseTo(want[k]!.score, 4);
        expect(d.box.x1).toBeCloseTo(want[k]!.box.x1, 2);
        expect(d.box.y2).toBeCloseTo(want[k]!.box.y2, 2);
      });
    }
    for (const i of [1, 2, 5]) expect(results[i]!.detections).toEqual([]);
    const t = results[0]!.timings;
    expect(t.inference).toBeGreaterThan(0);
    expect(t.preprocess).toBeGreaterThan(0);
    await a.close();
    await b.close();
  });

  it('rejects an unknown class by name, and the client keeps working', async () => {
    const c = service.connect();
    await expect(c.detect(busy, { ...opts, classes: ['pedestrian'] })).rejects.toThrow(
      /unknown class "pedestrian"/,
    );
    expect((await c.detect(busy, opts)).detections.length).toBeGreaterThanOrEqual(6);
    await c.close();
  });

  it('a client keeps two frames in flight while at most two share the thread, one when more do', async () => {
    const a = service.connect();
    expect(a.overlapFrames()).toBe(true);
    const others = [service.connect(), service.connect()];
    // The thread's answer says how many clients it has: three now.
    await a.detect(empty, opts);
    expect(a.overlapFrames()).toBe(false);
    for (const o of others) await o.close();
    // Closing is seen by the thread once its port closes; the next answers say one client again.
    await expect
      .poll(async () => (await a.detect(empty, opts), a.overlapFrames()), { timeout: 5000 })
      .toBe(true);
    await a.close();
  });

  it('one client closing leaves the others served', async () => {
    const c = service.connect();
    const d = service.connect();
    await c.close();
    await expect(c.detect(busy, opts)).rejects.toThrow(/closed/);
    expect((await d.detect(busy, opts)).detections.length).toBeGreaterThanOrEqual(6);
    await d.close();
  });
});

describe('detector thread lifecycle', () => {
  it('fails to start with the loader message when the model is missing', async () => {
    const err = await DetectorService.start(
      { modelPath: '/nonexistent/m.onnx', layout: 'yolox' },
      silent,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as Error).message).toMatch(/model file not found: \/nonexistent\/m\.onnx/);
  });

  it('after close, a client still connected fails its calls with a clear error instead of hanging', async () => {
    const service = await DetectorService.start(
      { modelPath: requireAsset(assets.model()), layout: 'yolox' },
      silent,
    );
    const c = service.connect();
    const lost = new Promise<string>((r) => c.onceLost(r));
    await service.close();
    expect(await lost).toMatch(/closed/);
    await expect(c.detect({ ...vtestFrame(100), ts: 0, index: 0 }, opts)).rejects.toThrow(/closed/);
    expect(service.alive()).toBe(false);
  });
});
