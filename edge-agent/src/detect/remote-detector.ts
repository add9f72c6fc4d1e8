import type { MessagePort } from 'node:worker_threads';
import type { Frame } from '../vision/types';
import { ClassMaskCache } from './class-filter';
import { DetectionDecoder, type DecodeOptions } from './detection-decoder';
import type { DetectOptions, DetectResult, Detector } from './detector';
import type { DetectorLink, DetectorReply, DetectorRequest } from './detector-protocol';
import { LetterboxWriter } from './letterbox-writer';

/** Inputs in flight per client: one being inferred while the next is prepared. */
const SLOTS = 2;
/** Up to this many cameras on one detector thread, each keeps two frames in flight (see overlapFrames). */
const OVERLAP_MAX_CLIENTS = 2;

interface Pending {
  resolve: (r: DetectResult) => void;
  reject: (e: Error) => void;
  preprocess: number;
  /** How to decode the output (absent for the benchmark's infer-only runs). */
  decode?: DecodeOptions;
}

/**
 * A Detector whose model runs in the detector thread (detector-thread.ts). The caller's thread letterboxes the
 * frame into one of two input buffers and sends it (transferred, not copied), and decodes the raw output that comes
 * back (also transferred); while the detector thread infers,
 * the caller is free to track and count the previous frame and to prepare the next. With a pipeline that keeps
 * two frames in flight, inference never waits for the JavaScript around it.
 */
export class RemoteDetector implements Detector {
  readonly inputSize: { width: number; height: number };
  readonly classNames: readonly string[];
  readonly executionProvider: string;
  private readonly port: MessagePort;
  private readonly writer: LetterboxWriter;
  private readonly masks: ClassMaskCache;
  private readonly decoder: DetectionDecoder;
  private readonly free: { slot: number; input: Float32Array }[] = [];
  /** Calls waiting for a free input buffer, in call order. */
  private readonly waiting: (() => void)[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Clients of the detector thread, as its last answer said. */
  private clients = 1;
  private lost: string | null = null;
  private readonly lostListeners: ((reason: string) => void)[] = [];

  constructor(link: DetectorLink) {
    this.port = link.port;
    ({
      inputSize: this.inputSize,
      classNames: this.classNames,
      executionProvider: this.executionProvider,
    } = link.info);
    this.writer = new LetterboxWriter(link.info);
    this.masks = new ClassMaskCache(this.classNames);
    this.decoder = new DetectionDecoder(link.info);
    const { width, height } = this.inputSize;
    for (let slot = 0; slot < SLOTS; slot++)
      this.free.push({ slot, input: new Float32Array(3 * width * height) });
    this.port.on('message', (m: DetectorReply) => this.onReply(m));
    this.port.on('close', () => this.onLost('the detector thread closed the connection'));
  }

  /** Frames sent to the detector thread and not answered yet: never more than its two input buffers. */
  inFlight(): number {
    return this.pending.size;
  }

  /**
   * Two frames in flight only while at most two cameras share the detector thread: then the second hides this
   * camera's letterboxing and tracking from the model. With more, the others' frames fill those gaps, and a
   * second frame per camera would only lengthen the queue every frame waits in (measured: frame → event p50
   * 294 ms with 8 cameras, about 16 queued inferences).
   */
  overlapFrames(): boolean {
    return this.clients <= OVERLAP_MAX_CLIENTS;
  }

  /** Called once when the detector thread goes away. */
  onceLost(cb: (reason: string) => void): void {
    this.lostListeners.push(cb);
  }

  async detect(frame: Frame, opts: DetectOptions): Promise<DetectResult> {
    // Checked before queueing, so a bad class list fails at once and names the class.
    const classMask = this.masks.get(opts.classes);
    if (this.free.length === 0) await new Promise<void>((r) => this.waiting.push(r));
    if (this.lost) throw new Error(this.lost);
    const { slot, input } = this.free.pop()!;
    const t0 = performance.now();
    const plan = this.writer.write(frame, input, slot);
    const preprocess = performance.now() - t0;
    const id = this.nextId++;
    const req: DetectorRequest = { type: 'run', id, slot, input: input.buffer as ArrayBuffer };
    const decode = { plan, classMask, scoreThreshold: opts.scoreThreshold };
    return new Promise<DetectResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, preprocess, decode });
      this.port.postMessage(req, [req.input]);
    });
  }

  /** `runs` inferences back to back in the detector thread; seconds. The detector-only baseline of bench:edge. */
  inferOnly(runs: number): Promise<number> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {
        resolve: (r) => resolve(r.timings.inference / 1000),
        reject,
        preprocess: 0,
      });
      this.port.postMessage({ type: 'infer-only', id, runs } satisfies DetectorRequest);
    });
  }

  /** Closes this client's connection; the detector thread and the other clients go on. */
  async close(): Promise<void> {
    this.onLost('detector closed');
    this.port.close();
  }

  private onReply(m: DetectorReply): void {
    const p = this.pending.get(m.id);
    this.pending.delete(m.id);
    if (m.type !== 'infer-only' && m.input && m.slot !== undefined) {
      this.free.push({ slot: m.slot, input: new Float32Array(m.input) });
      this.waiting.shift()?.();
    }
    if (!p) return;
    switch (m.type) {
      case 'output': {
        this.clients = m.clients;
        const t0 = performance.now();
        let detections;
        try {
          detections = this.decoder.decode(new Float32Array(m.output), p.decode!);
        } catch (err) {
          p.reject(err as Error);
          return;
        }
        const postprocess = performance.now() - t0;
        p.resolve({
          detections,
          timings: { preprocess: p.preprocess, inference: m.inferenceMs, postprocess },
        });
        return;
      }
      case 'infer-only':
        p.resolve({
          detections: [],
          timings: { preprocess: 0, inference: m.seconds * 1000, postprocess: 0 },
        });
        return;
      case 'error':
        p.reject(new Error(m.message));
        return;
    }
  }

  private onLost(reason: string): void {
    if (this.lost) return;
    this.lost = reason;
    for (const p of this.pending.values()) p.reject(new Error(reason));
    this.pending.clear();
    for (const wake of this.waiting.splice(0)) wake();
    for (const cb of this.lostListeners.splice(0)) cb(reason);
  }
}
