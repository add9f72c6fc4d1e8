/**
 * Named detection-noise profiles for `simulate-dets` (detection-noise.ts describes each effect). Sizes are in pixels
 * of the output frame (after `scale`), probabilities per object and frame unless said otherwise.
 */
export interface NoiseProfile {
  /** Every coordinate and the frame size are multiplied by this first (0.3: a 1224×370 scene becomes 367×111, its
   * people a few dozen pixels tall, like cars on a far road). */
  scale: number;
  /** Miss probability = missBase + missOcclusion · occlusion + missSmall · smallness, at most 0.95. */
  missBase: number;
  missOcclusion: number;
  missSmall: number;
  /** Height (px) below which an object counts as small: smallness = (smallHeightPx − h) / smallHeightPx, ≥ 0. */
  smallHeightPx: number;
  /** Score = scoreBase − scoreOcclusion · occlusion − scoreSmall · smallness + N(0, scoreNoise), in [0.01, 1]. */
  scoreBase: number;
  scoreOcclusion: number;
  scoreSmall: number;
  scoreNoise: number;
  /** Each box edge moves by N(0, jitter · the box's width) in x and N(0, jitter · height) in y. */
  jitter: number;
  /** Mean false boxes per frame (Poisson), sized like a random true box, placed uniformly, score uniform in
   * [fpScoreMin, fpScoreMax]. */
  falsePerFrame: number;
  fpScoreMin: number;
  fpScoreMax: number;
  /** Two detected boxes overlapping by IoU ≥ mergeIou become one box around both with this probability. */
  mergeProbability: number;
  mergeIou: number;
  /** Objects shorter than this (px) flicker: per object a detector state that turns off with flickerOff per frame
   * and back on with flickerOn (mean off run 1 / flickerOn frames). 0: no flicker. */
  flickerHeightPx: number;
  flickerOff: number;
  flickerOn: number;
}

const NONE: NoiseProfile = {
  scale: 1,
  missBase: 0,
  missOcclusion: 0,
  missSmall: 0,
  smallHeightPx: 0,
  scoreBase: 0.9,
  scoreOcclusion: 0,
  scoreSmall: 0,
  scoreNoise: 0,
  jitter: 0,
  falsePerFrame: 0,
  fpScoreMin: 0.1,
  fpScoreMax: 0.6,
  mergeProbability: 0,
  mergeIou: 0.3,
  flickerHeightPx: 0,
  flickerOff: 0,
  flickerOn: 1,
};

export const NOISE_PROFILES: Readonly<Record<string, Readonly<NoiseProfile>>> = Object.freeze({
  /** Nothing but a little jitter: the ground truth as a good detector would see it. */
  clean: Object.freeze({ ...NONE, jitter: 0.02, scoreNoise: 0.03 }),
  /** People in a group: the ones behind are missed or scored low, neighbours merge, some false boxes. */
  crowd: Object.freeze({
    ...NONE,
    missBase: 0.03,
    missOcclusion: 0.6,
    missSmall: 0.2,
    smallHeightPx: 60,
    scoreBase: 0.85,
    scoreOcclusion: 0.45,
    scoreSmall: 0.3,
    scoreNoise: 0.08,
    jitter: 0.05,
    falsePerFrame: 0.3,
    mergeProbability: 0.3,
    mergeIou: 0.3,
  }),
  /** The scene scaled down to far, small objects: intermittent low-score detections that flicker, clusters merged. */
  'far-traffic': Object.freeze({
    ...NONE,
    scale: 0.3,
    missBase: 0.05,
    missOcclusion: 0.5,
    missSmall: 0.3,
    smallHeightPx: 80,
    scoreBase: 0.8,
    scoreOcclusion: 0.3,
    scoreSmall: 0.4,
    scoreNoise: 0.1,
    jitter: 0.08,
    falsePerFrame: 0.2,
    mergeProbability: 0.4,
    mergeIou: 0.2,
    flickerHeightPx: 60,
    flickerOff: 0.15,
    flickerOn: 0.5,
  }),
});

export function noiseProfile(name: string): NoiseProfile | null {
  return Object.hasOwn(NOISE_PROFILES, name) ? { ...NOISE_PROFILES[name]! } : null;
}
