import type { Detection } from '../vision/types';
import type { LetterboxPlan } from './letterbox';
import { nms } from './nms';
import { decodeYolov8, decodeYolox, yoloxGrid, type YoloxGrid } from './output-decoders';

/** The shape facts a decoder needs, as the loaded model reports them (plain data: it crosses threads). */
export interface OutputLayout {
  layout: 'yolox' | 'yolov8';
  inputSize: { width: number; height: number };
  classNames: readonly string[];
  /** YOLOv8 only: candidate boxes per output. */
  anchors: number;
  /** IoU above which NMS suppresses a box of the same class. */
  nmsIou: number;
}

export interface DecodeOptions {
  plan: LetterboxPlan;
  scoreThreshold: number;
  /** classMask[id] === 1 for kept classes. */
  classMask: Uint8Array;
}

/**
 * A model's raw output → frame-pixel detections: the layout's decoder (score threshold, class filter, letterbox
 * undone), then class-aware NMS. Pure; runs on whichever thread has the output (the camera's, see remote-detector.ts).
 */
export class DetectionDecoder {
  private readonly grid: YoloxGrid | null;

  constructor(private readonly o: OutputLayout) {
    this.grid = o.layout === 'yolox' ? yoloxGrid(o.inputSize.width, o.inputSize.height) : null;
  }

  decode(output: Float32Array, d: DecodeOptions): Detection[] {
    const params = {
      plan: d.plan,
      numClasses: this.o.classNames.length,
      classNames: this.o.classNames,
      scoreThreshold: d.scoreThreshold,
      classMask: d.classMask,
    };
    const raw = this.grid
      ? decodeYolox(output, this.grid, params)
      : decodeYolov8(output, this.o.anchors, params);
    return nms(raw, this.o.nmsIou);
  }
}
