import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import * as ort from 'onnxruntime-node';
import { COCO_CLASSES, type ModelLayout } from '@tally/proto';
import { createLogger, type Logger } from '@tally/proto/log';
import type { Detection, Frame } from '../vision/types';
import { ClassMaskCache } from './class-filter';
import type { DetectOptions, Detector, DetectorTimings } from './detector';
import { fillPadding, letterboxPlan, writeLetterboxed, type LetterboxPlan } from './letterbox';
import { ModelError, requireModelFile } from './model-path';
import { nms } from './nms';
import { decodeYolov8, decodeYolox, yoloxGrid, type YoloxGrid } from './output-decoders';

export type ExecutionProvider = 'cpu' | 'cuda' | 'tensorrt';

export interface OnnxDetectorOptions {
  modelPath: string;
  layout: ModelLayout;
  /** Tried in order; GPU providers that cannot load fall back to CPU with one log line. Default ['cpu']. */
  executionProviders?: ExecutionProvider[];
  /** Class names in output order; default COCO's 80. */
  classNames?: readonly string[];
  /** ONNX Runtime intra-op threads; default min(4, cores). */
  intraOpThreads?: number;
  log?: Logger;
  /** IoU above which NMS suppresses a box of the same class. */
  nmsIou?: number;
}

/**
 * Loads an ONNX detector (YOLOX or Ultralytics YOLOv8/YOLO11 layout) with ONNX Runtime and checks it against the
 * layout with one warm-up run, so a mismatched model fails here with the file name and what was expected, not on
 * the first frame.
 */
export async function createOnnxDetector(o: OnnxDetectorOptions): Promise<OnnxDetector> {
  const log = o.log ?? createLogger('detector');
  requireModelFile(o.modelPath);
  const { session, provider } = await openSession(o, log);
  try {
    const detector = new OnnxDetector(session, o, provider);
    await detector.verify();
    log.info({ model: o.modelPath, layout: o.layout, provider, input: detector.inputSize }, 'detector ready');
    return detector;
  } catch (err) {
    await session.release();
    throw err;
  }
}

async function openSession(o: OnnxDetectorOptions, log: Logger) {
  const threads = o.intraOpThreads ?? Math.min(4, availableParallelism());
  const base: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    // Idle ONNX Runtime workers sleep instead of spinning between frames: on a small box the cores they would burn
    // are the ones ffmpeg decodes the next frame on.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
  const wanted = o.executionProviders ?? ['cpu'];
  const gpu = wanted.filter((p) => p !== 'cpu');
  if (gpu.length > 0) {
    // ONNX Runtime prints its own error when a provider library cannot load; the warning below says it once, in
    // our log format. (ORT errors still reach us as exceptions. Takes effect if no session was created before.)
    ort.env.logLevel = 'fatal';
    try {
      const session = await ort.InferenceSession.create(o.modelPath, {
        ...base,
        executionProviders: [...gpu, 'cpu'],
        logSeverityLevel: 4,
      });
      return { session, provider: gpu[0]! };
    } catch (err) {
      log.warn(
        { requested: gpu, error: firstLine(err) },
        `execution provider ${gpu.join(', ')} unavailable on this machine: running on CPU`,
      );
    }
  }
  try {
    const session = await ort.InferenceSession.create(o.modelPath, { ...base, executionProviders: ['cpu'] });
    return { session, provider: 'cpu' };
  } catch (err) {
    throw new ModelError(`${o.modelPath} is not a loadable ONNX model: ${firstLine(err)}`);
  }
}

export class OnnxDetector implements Detector {
  readonly inputSize: { width: number; height: number };
  readonly classNames: readonly string[];
  private readonly inputName: string;
  private readonly outputName: string;
  private readonly input: Float32Array;
  private readonly tensor: ort.Tensor;
  private readonly masks: ClassMaskCache;
  private readonly grid: YoloxGrid | null;
  private plan: LetterboxPlan | null = null;
  private numClasses = 0;
  private anchors = 0;
  private timings: DetectorTimings = { preprocess: 0, inference: 0, postprocess: 0 };
  private busy: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly o: OnnxDetectorOptions,
    readonly executionProvider: string,
  ) {
    this.inputName = session.inputNames[0]!;
    this.outputName = session.outputNames[0]!;
    this.inputSize = this.readInputSize();
    this.classNames = o.classNames ?? COCO_CLASSES;
    this.masks = new ClassMaskCache(this.classNames);
    const { width, height } = this.inputSize;
    // The input tensor wraps one buffer for the detector's lifetime: preprocessing writes into it in place.
    this.input = new Float32Array(3 * width * height);
    this.tensor = new ort.Tensor('float32', this.input, [1, 3, height, width]);
    this.grid = o.layout === 'yolox' ? yoloxGrid(width, height) : null;
  }

  /** One run on a blank input: checks the output layout and warms ONNX Runtime up. */
  async verify(): Promise<void> {
    this.input.fill(0);
    const out = (await this.session.run({ [this.inputName]: this.tensor }))[this.outputName]!;
    const dims = out.dims.map(Number);
    const file = basename(this.o.modelPath);
    const { width, height } = this.inputSize;
    if (this.o.layout === 'yolox') {
      const rows = this.grid!.rows;
      if (dims.length !== 3 || dims[0] !== 1 || dims[1] !== rows || dims[2]! < 6) {
        throw new ModelError(
          `${this.o.modelPath}: output "${this.outputName}" has shape [${dims.join(', ')}], which is not the yolox layout: expected [1, ${rows}, 5 + classes] for a ${width}×${height} input (check the model's layout setting: yolox or yolov8)`,
        );
      }
      this.numClasses = dims[2]! - 5;
    } else {
      if (dims.length !== 3 || dims[0] !== 1 || dims[1]! < 5 || dims[2]! < dims[1]!) {
        throw new ModelError(
          `${this.o.modelPath}: output "${this.outputName}" has shape [${dims.join(', ')}], which is not the yolov8 layout: expected [1, 4 + classes, anchors] (Ultralytics YOLOv8/YOLO11 export; check the layout setting: yolox or yolov8)`,
        );
      }
      this.numClasses = dims[1]! - 4;
      this.anchors = dims[2]!;
    }
    if (this.numClasses !== this.classNames.length) {
      throw new ModelError(
        `${file} outputs ${this.numClasses} classes but ${this.classNames.length} class names are configured: give the model's class names in output order`,
      );
    }
  }

  /**
   * Calls are serialised: the input buffer is shared, so two cameras sharing one detector take turns instead of
   * overwriting each other's input.
   */
  detect(frame: Frame, opts: DetectOptions): Promise<Detection[]> {
    const run = this.busy.then(() => this.detectNow(frame, opts));
    this.busy = run.catch(() => undefined);
    return run;
  }

  private async detectNow(frame: Frame, opts: DetectOptions): Promise<Detection[]> {
    const mask = this.masks.get(opts.classes);
    const t0 = performance.now();
    const plan = this.planFor(frame.width, frame.height);
    writeLetterboxed(plan, frame.data, this.input);
    const t1 = performance.now();
    const out = (await this.session.run({ [this.inputName]: this.tensor }))[this.outputName]!;
    const t2 = performance.now();
    const params = {
      plan,
      numClasses: this.numClasses,
      classNames: this.classNames,
      scoreThreshold: opts.scoreThreshold,
      classMask: mask,
    };
    const data = out.data as Float32Array;
    const raw = this.grid ? decodeYolox(data, this.grid, params) : decodeYolov8(data, this.anchors, params);
    const dets = nms(raw, this.o.nmsIou ?? 0.45);
    out.dispose();
    this.timings = { preprocess: t1 - t0, inference: t2 - t1, postprocess: performance.now() - t2 };
    return dets;
  }

  /** Runs the model alone on whatever the input holds: the detector-only baseline of the benchmark. */
  async inferOnly(): Promise<void> {
    const out = (await this.session.run({ [this.inputName]: this.tensor }))[this.outputName]!;
    out.dispose();
  }

  lastTimings(): DetectorTimings {
    return this.timings;
  }

  async close(): Promise<void> {
    await this.session.release();
  }

  private planFor(width: number, height: number): LetterboxPlan {
    if (this.plan && this.plan.srcW === width && this.plan.srcH === height) return this.plan;
    const style = this.o.layout === 'yolox' ? 'yolox' : 'ultralytics';
    this.plan = letterboxPlan(width, height, this.inputSize.width, this.inputSize.height, style);
    fillPadding(this.plan, this.input);
    return this.plan;
  }

  private readInputSize(): { width: number; height: number } {
    const meta = this.session.inputMetadata[0];
    const shape = meta && meta.isTensor ? meta.shape : [];
    const [n, c, h, w] = shape;
    const fallback = this.o.layout === 'yolox' ? 416 : 640;
    if (this.session.inputNames.length !== 1 || shape.length !== 4 || (typeof c === 'number' && c !== 3)) {
      throw new ModelError(
        `${this.o.modelPath}: input has shape [${shape.join(', ')}]; expected one image input [1, 3, height, width] (float32)`,
      );
    }
    if (typeof n === 'number' && n !== 1) {
      throw new ModelError(`${this.o.modelPath}: input batch is ${n}; expected 1`);
    }
    return {
      width: typeof w === 'number' ? w : fallback,
      height: typeof h === 'number' ? h : fallback,
    };
  }
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err)
    .split('\n')[0]!
    .slice(0, 300);
}
