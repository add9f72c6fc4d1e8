/**
 * The pure arithmetic of `pnpm bench:box` (scripts/bench-box.ts): count tallies and their comparison with the
 * baseline, latency quantiles, CPU use per core from two /proc/stat readings, and the verdict for one step.
 */

/** Count events as `rule:kind:direction` → number. */
export type Tally = Record<string, number>;

export function tallyKey(e: { ruleId: string; kind: string; direction?: string | undefined }): string {
  return `${e.ruleId}:${e.kind}:${e.direction ?? '-'}`;
}

/** Counts of the events made before frame `cut` (and from frame `from`), from (frame index, key) pairs. */
export function tallyUpTo(events: readonly { frame: number; key: string }[], cut: number, from = 0): Tally {
  const t: Tally = {};
  for (const e of events) if (e.frame < cut && e.frame >= from) t[e.key] = (t[e.key] ?? 0) + 1;
  return t;
}

/**
 * Where whole loops end. The looped video is [quiet lead-in of `lead` frames][clip], `loop` frames in all; loop j
 * is cut in the middle of the (j+1)-th lead-in, at j·loop + lead/2, where nothing moves and nothing is counted, so a
 * frame or two of misalignment between a camera and the baseline cannot move an event across the cut. Returns the
 * last cut a camera that received `frames` frames has passed (0: not one whole loop yet).
 */
export function wholeLoopCut(frames: number, loop: number, lead: number): number {
  const loops = Math.floor((frames - lead / 2) / loop);
  return loops > 0 ? loops * loop + Math.floor(lead / 2) : 0;
}

/**
 * The shift (in frames, within ±maxShift) that lines a camera's events up with the baseline's: the one under which
 * the most camera events have a baseline event of the same key on the same frame or one frame off (ties: the
 * smallest shift). A camera's frame index is inferred from timestamps and frame counts, which can be off by seconds
 * (frames an RTSP client never hands on); the counts are then compared over the same stretch of video.
 */
export function alignmentShift(
  camera: readonly { frame: number; key: string }[],
  baseline: readonly { frame: number; key: string }[],
  maxShift: number,
): number {
  const at = new Set(baseline.map((e) => `${e.frame}|${e.key}`));
  // An event on the same frame scores 1, a frame off ½ (timestamps jitter by a frame).
  const near = (frame: number, key: string) =>
    at.has(`${frame}|${key}`) ? 1 : at.has(`${frame - 1}|${key}`) || at.has(`${frame + 1}|${key}`) ? 0.5 : 0;
  const matches = (shift: number) => camera.reduce((sum, e) => sum + near(e.frame + shift, e.key), 0);
  let best = 0;
  let bestScore = matches(0);
  for (let m = 1; m <= maxShift; m++) {
    for (const shift of [-m, m]) {
      const score = matches(shift);
      if (score > bestScore) [best, bestScore] = [shift, score];
    }
  }
  return best;
}

/**
 * Moves a whole-loop cut (wholeLoopCut) within its lead-in, at most `reach` frames either way, to the frame farthest
 * from any baseline event: events do happen in a lead-in (a zone visit ends when its track expires, a fixed time after
 * the clip stops), and a cut on top of them would count a frame's jitter as a difference.
 */
export function quietCut(cut: number, reach: number, baseline: readonly { frame: number }[]): number {
  const gap = (c: number) => Math.min(...baseline.map((e) => Math.abs(e.frame + 0.5 - c)), Infinity);
  let best = cut;
  for (let c = cut - reach; c <= cut + reach; c++) if (gap(c) > gap(best)) best = c;
  return best;
}

/** Keys whose counts differ, as `key: camera vs baseline`; empty when they agree exactly. */
export function tallyDiff(camera: Tally, baseline: Tally): string[] {
  const keys = [...new Set([...Object.keys(camera), ...Object.keys(baseline)])].sort();
  return keys
    .filter((k) => (camera[k] ?? 0) !== (baseline[k] ?? 0))
    .map((k) => `${k}: ${camera[k] ?? 0} vs ${baseline[k] ?? 0}`);
}

/** Nearest-rank quantile (q in 0–1) of unsorted samples; 0 for none. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Per-core busy share (0–1) between two readings of /proc/stat's `cpuN` lines. */
export function cpuPerCore(before: string, after: string): number[] {
  const parse = (text: string) =>
    text
      .split('\n')
      .filter((l) => /^cpu\d+ /.test(l))
      .map((l) => l.trim().split(/\s+/).slice(1).map(Number));
  const a = parse(before);
  const b = parse(after);
  return b.map((cur, i) => {
    const prev = a[i] ?? cur.map(() => 0);
    const total = cur.reduce((s, v) => s + v, 0) - prev.reduce((s, v) => s + v, 0);
    // Fields: user nice system idle iowait irq softirq steal …; idle and iowait are not busy.
    const idle = cur[3]! + (cur[4] ?? 0) - (prev[3]! + (prev[4] ?? 0));
    return total > 0 ? Math.round((1 - idle / total) * 1000) / 1000 : 0;
  });
}

export interface CameraFigures {
  cameraId: string;
  framesReceived: number;
  framesDetected: number;
  framesGated: number;
  framesDropped: number;
  /** Frames handled (detected or gated on purpose) per second over the measurement window. */
  fps: number;
  /** Count differences against the baseline over the same frames (empty: exact agreement). */
  countDiff: string[];
}

/** Why a step fails the box targets: every camera ≥ `minFps`, no frame dropped, counts equal to the baseline. */
export function stepFailures(cameras: readonly CameraFigures[], minFps: number): string[] {
  const out: string[] = [];
  for (const c of cameras) {
    if (c.fps < minFps) out.push(`${c.cameraId}: ${c.fps} fps < ${minFps}`);
    if (c.framesDropped > 0) out.push(`${c.cameraId}: ${c.framesDropped} frames dropped`);
    if (c.countDiff.length) out.push(`${c.cameraId}: counts differ (${c.countDiff.join(', ')})`);
  }
  return out;
}

/** The camera counts bench:box steps through: 1, 2, 4, 8, 12, 16, 20 … up to `max`. */
export function cameraSteps(max: number): number[] {
  const steps: number[] = [];
  for (let n = 1; n <= max; n = n < 8 ? n * 2 : n + 4) steps.push(n);
  return steps;
}

/** CPU milliseconds used so far, per part of the box (see cpuReading in bench-box.ts). */
export type CpuReading = Record<CpuPart, number>;
export type CpuPart = 'detector' | 'cameraWorkers' | 'mainThread' | 'agentOther' | 'ffmpeg' | 'rtspServer';

/**
 * CPU milliseconds per camera frame of each part between two readings, and their sum: `frames` is every frame the
 * cameras received in between (detected, gated or dropped), so the figures compare across runs whatever share was
 * detected. The detector's CPU per inference is apart: `inferences` detected frames in between.
 */
export function cpuPerFrame(
  before: CpuReading,
  after: CpuReading,
  frames: number,
  inferences: number,
): { perCameraFrameMs: CpuReading & { total: number }; detectorPerInferenceMs: number } {
  const per = {} as CpuReading & { total: number };
  let total = 0;
  for (const k of Object.keys(after) as CpuPart[]) {
    const ms = after[k] - before[k];
    per[k] = frames > 0 ? Math.round((ms / frames) * 100) / 100 : 0;
    total += ms;
  }
  per.total = frames > 0 ? Math.round((total / frames) * 100) / 100 : 0;
  const det = after.detector - before.detector;
  return {
    perCameraFrameMs: per,
    detectorPerInferenceMs: inferences > 0 ? Math.round((det / inferences) * 100) / 100 : 0,
  };
}
