import type { Detection, Frame } from '../vision/types';

export interface DetectOptions {
  /** Detections scoring below it are dropped before NMS. */
  scoreThreshold: number;
  /** Class names kept (the class filter); an unknown name is an error naming it. */
  classes: readonly string[];
}

/** Milliseconds one `detect()` spent in each step, for the pipeline's stage timings. */
export interface DetectorTimings {
  preprocess: number;
  inference: number;
  postprocess: number;
}

export interface DetectResult {
  detections: Detection[];
  timings: DetectorTimings;
}

/**
 * An object detector: a frame in, boxes in the frame's pixels out (after the score threshold, the class filter and
 * class-aware NMS). Implementations reuse their input buffers and accept overlapping calls (a pipeline submits the
 * next frame before it has tracked the previous one); results come back in call order. The frame must stay
 * unchanged until its promise settles.
 */
export interface Detector {
  /** The model's input size (letterboxed to it). */
  readonly inputSize: { width: number; height: number };
  /** Class names in the model's output order. */
  readonly classNames: readonly string[];
  /** Which execution provider actually runs the model (after any fallback). */
  readonly executionProvider: string;
  detect(frame: Frame, opts: DetectOptions): Promise<DetectResult>;
  /**
   * Whether the pipeline should keep a second frame in flight (default yes). A detector shared by several cameras
   * says no: the others' frames keep it busy while this camera prepares its next, so a second frame would only
   * queue, each camera's frames would wait behind two of every other camera's, and the latency would double.
   */
  overlapFrames?(): boolean;
  close(): Promise<void>;
}

/** Default class filter: people and road vehicles. */
export const DEFAULT_CLASSES: readonly string[] = ['person', 'bicycle', 'car', 'motorbike', 'bus', 'truck'];
