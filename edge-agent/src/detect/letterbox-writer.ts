import type { Frame } from '../vision/types';
import {
  fillPadding,
  letterboxPlan,
  writeLetterboxed,
  type LetterboxPlan,
  type LetterboxStyle,
} from './letterbox';

/**
 * Writes frames into a model's input buffers: one letterbox plan per frame size (cameras keep their size, so it is
 * computed once), and each buffer's padding written once per plan — per frame only the image area is written.
 * Buffers are named by a slot number because their ArrayBuffers move between threads (see remote-detector.ts).
 */
export class LetterboxWriter {
  private plan: LetterboxPlan | null = null;
  private readonly paddedFor = new Map<number, LetterboxPlan>();

  constructor(
    private readonly model: { inputSize: { width: number; height: number }; letterbox: LetterboxStyle },
  ) {}

  write(frame: Frame, input: Float32Array, slot = 0): LetterboxPlan {
    const plan = this.planFor(frame.width, frame.height);
    if (this.paddedFor.get(slot) !== plan) {
      fillPadding(plan, input);
      this.paddedFor.set(slot, plan);
    }
    writeLetterboxed(plan, frame.data, input);
    return plan;
  }

  planFor(width: number, height: number): LetterboxPlan {
    if (this.plan && this.plan.srcW === width && this.plan.srcH === height) return this.plan;
    const { width: w, height: h } = this.model.inputSize;
    this.plan = letterboxPlan(width, height, w, h, this.model.letterbox);
    return this.plan;
  }
}
