import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import * as ort from 'onnxruntime-node';
import { COCO_CLASSES, type ModelLayout } from '@tally/proto';
import type { Logger } from '@tally/proto/log';
import type { OutputLayout } from './detection-decoder';
import { providerConfigs, type GpuOptions } from './gpu-options';
import type { LetterboxStyle } from './letterbox';
import { ModelError, requireModelFile } from './model-path';
import { yoloxGrid } from './output-decoders';

export type ExecutionProvider = 'cpu' | 'cuda' | 'tensorrt';

/** What to load. Plain data: it crosses into the detector thread as is. */
export interface ModelSpec {
  modelPath: string;
  layout: ModelLayout;
  /** Tried in order; GPU providers that cannot load fall back to CPU with one log line. Default ['cpu']. */
  executionProviders?: ExecutionProvider[];
  /** CUDA device and TensorRT settings for the GPU providers (see gpu-options.ts). */
  gpu?: GpuOptions;
  /** Class names in output order; default COCO's 80. */
  classNames?: readonly string[];
  /** ONNX Runtime intra-op threads; default defaultIntraOpThreads(). */
  intraOpThreads?: number;
  /**
   * Let ONNX Runtime's idle threads spin between ops (default no). Spinning makes inference alone faster and
   * everything beside it slower: on bench:edge's 2-core machine, detector only 172 vs 123 fps, end to end no better.
   */
  spinning?: boolean;
  /** IoU above which NMS suppresses a box of the same class. */
  nmsIou?: number;
}

/**
 * What a loaded model tells its callers: enough to letterbox frames for it, decode its output and name its
 * classes. Plain data: it is sent to every thread that uses the model.
 */
export interface ModelInfo extends OutputLayout {
  layout: ModelLayout;
  letterbox: LetterboxStyle;
  /** Which execution provider actually runs the model (after any fallback). */
  executionProvider: string;
}

/**
 * An ONNX detector model (YOLOX or Ultralytics YOLOv8/YOLO11 layout) loaded in ONNX Runtime, checked against its
 * layout. It only runs letterboxed inputs: preprocessing and decoding (DetectionDecoder) are the caller's, so they
 * can happen on another thread than inference (see detector-service.ts).
 */
export class OnnxModel {
  readonly info: ModelInfo;
  private readonly inputName: string;
  private readonly outputName: string;

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
      anchors: 0,
      nmsIou: spec.nmsIou ?? 0.45,
    };
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

  /**
   * Runs the model on a letterboxed input. The output is a new buffer each run (ONNX Runtime allocates it), owned
   * by the caller: the detector thread hands it to the camera's thread without copying.
   */
  async run(input: Float32Array): Promise<Float32Array> {
    const out = await this.runTensor(input);
    return out.data as Float32Array;
  }

  async close(): Promise<void> {
    await this.session.release();
  }

  private async runTensor(input: Float32Array): Promise<ort.Tensor> {
    const { width, height } = this.info.inputSize;
    // A Tensor only wraps the caller's buffer (no copy), so a new one per run allocates nothing large.
    const tensor = new ort.Tensor('float32', input, [1, 3, height, width]);
    return (await this.session.run({ [this.inputName]: tensor }))[this.outputName]!;
  }

  private async verify(): Promise<void> {
    const out = await this.runTensor(this.newInput());
    const dims = out.dims.map(Number);
    out.dispose();
    const { modelPath, layout } = this.spec;
    const { width, height } = this.info.inputSize;
    let numClasses: number;
    if (layout === 'yolox') {
      const rows = yoloxGrid(width, height).rows;
      if (dims.length !== 3 || dims[0] !== 1 || dims[1] !== rows || dims[2]! < 6) {
        throw new ModelError(
          `${modelPath}: output "${this.outputName}" has shape [${dims.join(', ')}], which is not the yolox layout: expected [1, ${rows}, 5 + classes] for a ${width}×${height} input (check the model's layout setting: yolox or yolov8)`,
        );
      }
      numClasses = dims[2]! - 5;
    } else {
      if (dims.length !== 3 || dims[0] !== 1 || dims[1]! < 5 || dims[2]! < dims[1]!) {
        throw new ModelError(
          `${modelPath}: output "${this.outputName}" has shape [${dims.join(', ')}], which is not the yolov8 layout: expected [1, 4 + classes, anchors] (Ultralytics YOLOv8/YOLO11 export; check the layout setting: yolox or yolov8)`,
        );
      }
      numClasses = dims[1]! - 4;
      this.info.anchors = dims[2]!;
    }
    if (numClasses !== this.info.classNames.length) {
      throw new ModelError(
        `${basename(modelPath)} outputs ${numClasses} classes but ${this.info.classNames.length} class names are configured: give the model's class names in output order`,
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

/**
 * Inference threads when not configured: all cores but one, at most 4. The spare core decodes, letterboxes, tracks
 * and counts while the model runs (the pipeline overlaps them), so those never preempt an inference thread — on a
 * 2-core box one inference thread gives the same end-to-end rate as two, at a quarter less CPU (docs/BENCHMARKS.md).
 */
export function defaultIntraOpThreads(cores = availableParallelism()): number {
  return Math.max(1, Math.min(4, cores - 1));
}

/**
 * Detector threads (sessions) one model gets when not configured, for cameras past the second (DetectorPool). On the
 * CPU two single-minded sessions keep both cores' worth of inference going where one session's intra-op threads wait
 * for each other on a model this small (docs/BENCHMARKS.md, "Cameras per box"); a GPU is kept busy by one.
 */
export function defaultDetectorSessions(
  providers: readonly string[] = ['cpu'],
  cores = availableParallelism(),
): number {
  return providers.every((p) => p === 'cpu') && cores >= 2 ? 2 : 1;
}

async function openSession(o: ModelSpec, log: Logger) {
  const base: ort.InferenceSession.SessionOptions = {
    intraOpNumThreads: o.intraOpThreads ?? defaultIntraOpThreads(),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    // Idle ONNX Runtime workers sleep instead of spinning between ops unless asked: the cores they would burn are
    // the ones ffmpeg and the pipelines run on.
    extra: { session: { intra_op: { allow_spinning: o.spinning ? '1' : '0' } } },
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
        executionProviders: providerConfigs(gpu, o.gpu),
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
