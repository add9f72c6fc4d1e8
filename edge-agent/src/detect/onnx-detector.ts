import { createLogger, type Logger } from '@tally/proto/log';
import type { Frame } from '../vision/types';
import { ClassMaskCache } from './class-filter';
import { DetectionDecoder } from './detection-decoder';
import type { DetectOptions, DetectResult, Detector } from './detector';
import { LetterboxWriter } from './letterbox-writer';
import { OnnxModel, type ModelSpec } from './onnx-model';

export type { ExecutionProvider } from './onnx-model';

export interface OnnxDetectorOptions extends ModelSpec {
  log?: Logger;
}

/** Loads a model into this thread (see OnnxModel.load for the checks). */
export async function createOnnxDetector(o: OnnxDetectorOptions): Promise<OnnxDetector> {
  return new OnnxDetector(await OnnxModel.load(o, o.log ?? createLogger('detector')));
}

/**
 * A detector whose model runs in the calling thread: preprocessing, inference and postprocessing one after the
 * other. Simple, for tests and one-off tools; onnxruntime-node runs inference synchronously on the JavaScript
 * thread, so nothing else in this thread moves meanwhile — the pipelines use the detector thread instead
 * (detector-service.ts), which overlaps a camera's own work with inference.
 */
export class OnnxDetector implements Detector {
  readonly inputSize: { width: number; height: number };
  readonly classNames: readonly string[];
  readonly executionProvider: string;
  private readonly input: Float32Array;
  private readonly writer: LetterboxWriter;
  private readonly masks: ClassMaskCache;
  private readonly decoder: DetectionDecoder;
  private busy: Promise<unknown> = Promise.resolve();

  constructor(private readonly model: OnnxModel) {
    ({
      inputSize: this.inputSize,
      classNames: this.classNames,
      executionProvider: this.executionProvider,
    } = model.info);
    // One input buffer for the detector's lifetime: preprocessing writes into it in place.
    this.input = model.newInput();
    this.writer = new LetterboxWriter(model.info);
    this.masks = new ClassMaskCache(this.classNames);
    this.decoder = new DetectionDecoder(model.info);
  }

  /** Calls are serialised: the input buffer is shared, so two callers take turns instead of overwriting it. */
  detect(frame: Frame, opts: DetectOptions): Promise<DetectResult> {
    const run = this.busy.then(() => this.detectNow(frame, opts));
    this.busy = run.catch(() => undefined);
    return run;
  }

  close(): Promise<void> {
    return this.model.close();
  }

  private async detectNow(frame: Frame, opts: DetectOptions): Promise<DetectResult> {
    const classMask = this.masks.get(opts.classes);
    const t0 = performance.now();
    const plan = this.writer.write(frame, this.input);
    const t1 = performance.now();
    const output = await this.model.run(this.input);
    const t2 = performance.now();
    const detections = this.decoder.decode(output, { plan, classMask, scoreThreshold: opts.scoreThreshold });
    return {
      detections,
      timings: { preprocess: t1 - t0, inference: t2 - t1, postprocess: performance.now() - t2 },
    };
  }
}
