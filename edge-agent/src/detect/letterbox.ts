/**
 * Letterbox preprocessing, pure: a packed BGR24 frame → the model's CHW float32 input, resized with the aspect ratio
 * kept and the rest padded with 114. Two conventions:
 * - YOLOX: BGR, raw 0–255, image at the top-left.
 * - Ultralytics (YOLOv8/YOLO11): RGB, 0–1, image centered.
 *
 * The plan (sizes, offsets, bilinear sampling tables) is computed once per frame size, and the padding is written
 * once into the reused input buffer: per frame only the image area is written. When the frame already has the
 * letterboxed size (ffmpeg scaled it), the resize is skipped and the step is a plain HWC → CHW conversion.
 */
export type LetterboxStyle = 'yolox' | 'ultralytics';

export interface LetterboxPlan {
  style: LetterboxStyle;
  srcW: number;
  srcH: number;
  dstW: number;
  dstH: number;
  /** Scale from frame pixels to model pixels. */
  scale: number;
  /** Size of the image inside the model input, and where it starts. */
  newW: number;
  newH: number;
  padX: number;
  padY: number;
  /** Bilinear tables: byte offsets of the two source columns/rows and the weight of the second (0–1). */
  x0: Int32Array;
  x1: Int32Array;
  wx: Float32Array;
  y0: Int32Array;
  y1: Int32Array;
  wy: Float32Array;
}

export const PAD_VALUE = 114;

export function letterboxPlan(
  srcW: number,
  srcH: number,
  dstW: number,
  dstH: number,
  style: LetterboxStyle,
): LetterboxPlan {
  const scale = Math.min(dstW / srcW, dstH / srcH);
  const newW = Math.round(srcW * scale);
  const newH = Math.round(srcH * scale);
  const padX = style === 'ultralytics' ? Math.floor((dstW - newW) / 2) : 0;
  const padY = style === 'ultralytics' ? Math.floor((dstH - newH) / 2) : 0;
  const axis = (n: number, srcN: number, stride: number) => {
    const a = new Int32Array(n);
    const b = new Int32Array(n);
    const w = new Float32Array(n);
    const ratio = srcN / n;
    for (let i = 0; i < n; i++) {
      // Pixel centers aligned, as OpenCV's INTER_LINEAR does.
      const s = Math.min(Math.max((i + 0.5) * ratio - 0.5, 0), srcN - 1);
      const lo = Math.floor(s);
      a[i] = lo * stride;
      b[i] = Math.min(lo + 1, srcN - 1) * stride;
      w[i] = s - lo;
    }
    return [a, b, w] as const;
  };
  const [x0, x1, wx] = axis(newW, srcW, 3);
  const [y0, y1, wy] = axis(newH, srcH, srcW * 3);
  return { style, srcW, srcH, dstW, dstH, scale, newW, newH, padX, padY, x0, x1, wx, y0, y1, wy };
}

/** Writes the padding of the whole input once (the image area is overwritten per frame). */
export function fillPadding(plan: LetterboxPlan, input: Float32Array): void {
  input.fill(plan.style === 'ultralytics' ? PAD_VALUE / 255 : PAD_VALUE);
}

/** Writes one frame into the model input (CHW float32, `3 × dstH × dstW`), image area only. */
export function writeLetterboxed(plan: LetterboxPlan, bgr: Uint8Array, input: Float32Array): void {
  const { dstW, dstH, newW, newH, padX, padY } = plan;
  const plane = dstW * dstH;
  const norm = plan.style === 'ultralytics' ? 1 / 255 : 1;
  // Output channel c reads source byte offset ch[c] (BGR in the frame).
  const c0 = plan.style === 'ultralytics' ? 2 : 0;
  const c2 = plan.style === 'ultralytics' ? 0 : 2;
  const same = newW === plan.srcW && newH === plan.srcH;
  for (let y = 0; y < newH; y++) {
    let o = (y + padY) * dstW + padX;
    if (same) {
      let s = y * plan.srcW * 3;
      for (let x = 0; x < newW; x++, o++, s += 3) {
        input[o] = bgr[s + c0]! * norm;
        input[o + plane] = bgr[s + 1]! * norm;
        input[o + 2 * plane] = bgr[s + c2]! * norm;
      }
      continue;
    }
    const r0 = plan.y0[y]!;
    const r1 = plan.y1[y]!;
    const fy = plan.wy[y]!;
    for (let x = 0; x < newW; x++, o++) {
      const a = r0 + plan.x0[x]!;
      const b = r0 + plan.x1[x]!;
      const c = r1 + plan.x0[x]!;
      const d = r1 + plan.x1[x]!;
      const fx = plan.wx[x]!;
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      input[o] = (bgr[a + c0]! * w00 + bgr[b + c0]! * w01 + bgr[c + c0]! * w10 + bgr[d + c0]! * w11) * norm;
      input[o + plane] =
        (bgr[a + 1]! * w00 + bgr[b + 1]! * w01 + bgr[c + 1]! * w10 + bgr[d + 1]! * w11) * norm;
      input[o + 2 * plane] =
        (bgr[a + c2]! * w00 + bgr[b + c2]! * w01 + bgr[c + c2]! * w10 + bgr[d + c2]! * w11) * norm;
    }
  }
}

/** The frame size ffmpeg should decode to so that preprocessing needs no resize (the letterboxed image size). */
export function fittedSize(
  srcW: number,
  srcH: number,
  dstW: number,
  dstH: number,
): { width: number; height: number } {
  const scale = Math.min(dstW / srcW, dstH / srcH);
  return { width: Math.round(srcW * scale), height: Math.round(srcH * scale) };
}
