import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import * as ort from 'onnxruntime-node';
import { COCO_CLASSES, type ModelLayout } from '@tally/proto';
import type { Logger } from '@tally/proto/log';
import type { Detection } from '../vision/types';
import type { LetterboxStyle, LetterboxPlan } from './letterbox';
import { ModelError, requireModelFile } from './model-path';
import { nms } from './nms';
import { decodeYolov8, decodeYolox, yoloxGrid, type YoloxGrid } from './output-decoders';

export type ExecutionProvider = 'cpu' | 'cuda' | 'tensorrt';

/** What to load. Plain data: it crosses into the detector thread as is. */
export interface ModelSpec {
  modelPath: string;
  layout: ModelLayout;
  /** Tried in order; GPU providers that cannot load fall back to CPU with one log line. Default ['cpu']. */
  executionProviders?: ExecutionProvider[];
  /** Class names in output order; default COCO's 80. */
  classNames?: readonly string[];
  /** ONNX Runtime intra-op threads; default min(4, cores). */
  intraOpThreads?: number;
  /** IoU above which NMS suppresses a box of the same class. */
  nmsIou?: number;
}

/** What a loaded model tells its callers: enough to letterbox frames for it and to name its classes. */
export interface ModelInfo {
  inputSize: { width: number; height: number };
  classNames: readonly string[];
  layout: ModelLayout;
  letterbox: LetterboxStyle;
  /** Which execution provider actually runs the model (after any fallback). */
  executionProvider: string;
}

export interface InferOptions {
  plan: LetterboxPlan;
  scoreThreshold: number;
  /** classMask[id] === 1 for kept classes. */
  classMask: Uint8Array;
}

export interface Inference {
  detections: Detection[];
  inferenceMs: number;
  postprocessMs: number;
}

/**
 * An ONNX detector model (YOLOX or Ultralytics YOLOv8/YOLO11 layout) loaded in ONNX Runtime: runs letterboxed input
 * and decodes the output to frame-pixel detections (threshold, class filter, class-aware NMS). Preprocessing is the
 * caller's, so it can happen on another thread than inference (see detector-service.ts).
 */
export class OnnxModel {
  readonly info: ModelInfo;
  private readonly inputName: string;
  private readonly outputName: string;
  private readonly grid: YoloxGrid | null;
  private numClasses = 0;
  private anchors = 0;

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly spec: ModelSpec,
    executionProvider: string,
  ) {
    this.inputName = session.inputNames[0]!;
    this.outputName = session.outputNames[0]!;
    const inputSize = this.readInputSize();
    this.info = {
      inputSize,
      classNames: spec.classNames ?? COCO_CLASSES,
      layout: spec.layout,
      letterbox: spec.layout === 'yolox' ? 'yolox' : 'ultralytics',
      executionProvider,
    };
    this.grid = spec.layout === 'yolox' ? yoloxGrid(inputSize.width, inputSize.height) : null;
  }

  /**
   * Loads the model and checks it against the layout with one warm-up run, so a mismatched model fails here with
   * the file name and what was expected, not on the first frame.
   */
  static async load(spec: ModelSpec, log: Logger): Promise<OnnxModel> {
    requireModelFile(spec.modelPath);
    const { session, provider } = await openSession(spec, log);
    try {
      const model = new OnnxModel(session, spec, provider);
      await model.verify();
      log.info(
        { model: spec.modelPath, layout: spec.layout, provider, input: model.info.inputSize },
        'detector ready',
      );
      return model;
    } catch (err) {
      await session.release();
      throw err;
    }
  }

  /** A zeroed input of the model's size (3 × height × width, CHW). */
  newInput(): Float32Array {
    const { width, height } = this.info.inputSize;
    return new Float32Array(3 * width * height);
  }

  /** Runs the model on a letterboxed input and decodes the boxes back to the frame's pixels. */
  async infer(input: Float32Array, o: InferOptions): Promise<Inference> {
    const t0 = performance.now();
    const out = await this.run(input);
    const t1 = performance.now();
    const data = out.data as Float32Array;
    const params = {
      plan: o.plan,
      numClasses: this.numClasses,
      classNames: this.info.classNames,
      scoreThreshold: o.scoreThreshold,
      classMask: o.classMask,
    };
    const raw = this.grid ? decodeYolox(data, this.grid, params) : decodeYolov8(data, this.anchors, params);
    const detections = nms(raw, this.spec.nmsIou ?? 0.45);
    out.dispose();
    return { detections, inferenceMs: t1 - t0, postprocessMs: performance.now() - t1 };
  }

  /** The model alone on whatever `input` holds: the detector-only baseline of the benchmark. */
  async inferOnly(input: Float32Array): Promise<void> {
    (await this.run(input)).dispose();
  }

  async close(): Promise<void> {
    await this.session.release();
  }

  private async run(input: Float32Array): Promise<ort.Tensor> {
    const { width, height } = this.info.inputSize;
    // A Tensor only wraps the caller's buffer (no copy), so a new one per run allocates nothing large.
    const tensor = new ort.Tensor('float32', input, [1, 3, height, width]);
    return (await this.session.run({ [this.inputName]: tensor }))[this.outputName]!;
  }

  private async verify(): Promise<void> {
    const out = await this.run(this.newInput());
    const dims = out.dims.map(Number);
    out.dispose();
    const { modelPath, layout } = this.spec;
    const { width, height } = this.info.inputSize;
    if (layout === 'yolox') {
      const rows = this.grid!.rows;
      if (dims.length !== 3 || dims[0] !== 1 || dims[1] !== rows || dims[2]! < 6) {
        throw new ModelError(
          `${modelPath}: output "${this.outputName}" has shape [${dims.join(', ')}], which is not the yolox layout: expected [1, ${rows}, 5 + classes] for a ${width}×${height} input (check the model's layout setting: yolox or yolov8)`,
        );
      }
      this.numClasses = dims[2]! - 5;
    } else {
      if (dims.length !== 3 || dims[0] !== 1 || dims[1]! < 5 || dims[2]! < dims[1]!) {
        throw new ModelError(
          `${modelPath}: output "${this.outputName}" has shape [${dims.join(', ')}], which is not the yolov8 layout: expected [1, 4 + classes, anchors] (Ultralytics YOLOv8/YOLO11 export; check the layout setting: yolox or yolov8)`,
        );
      }
      this.numClasses = dims[1]! - 4;
      this.anchors = dims[2]!;
    }
    if (this.numClasses !== this.info.classNames.length) {
      throw new ModelError(
        `${basename(modelPath)} outputs ${this.numClasses} classes but ${this.info.classNames.length} class names are configured: give the model's class names in output order`,
      );
    }
  }

  private readInputSize(): { width: number; height: number } {
    const { modelPath, layout } = this.spec;
    const meta = this.session.inputMetadata[0];
    const shape = meta && meta.isTensor ? meta.shape : [];
    const [n, c, h, w] = shape;
    const fallback = layout === 'yolox' ? 416 : 640;
    if (this.session.inputNames.length !== 1 || shape.length !== 4 || (typeof c === 'number' && c !== 3)) {
      throw new ModelError(
        `${modelPath}: input has shape [${shape.join(', ')}]; expected one image input [1, 3, height, width] (float32)`,
      );
    }
    if (typeof n === 'number' && n !== 1) {
      throw new ModelError(`${modelPath}: input batch is ${n}; expected 1`);
    }
    return {
      width: typeof w === 'number' ? w : fallback,
      height: typeof h === 'number' ? h : fallback,
    };
  }
}

async function openSession(o: ModelSpec, log: Logger) {
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

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err)
    .split('\n')[0]!
    .slice(0, 300);
}
