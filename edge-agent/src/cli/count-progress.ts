/**
 * The progress line of `tally-edge count` on a terminal: frames done (of the expected total for a file), the
 * analysed frames per second and the time left. It writes to stderr so stdout stays the result; it is silent with
 * `--json` and whenever stderr is not a terminal (a pipe, a log file, CI), where a redrawn line would be noise.
 */
import { SingleBar } from 'cli-progress';

export interface CountProgress {
  /** One more frame analysed. */
  frame(): void;
  /** Draws the final state and releases the terminal line (and the bar's redraw timer). */
  stop(): void;
}

export interface CountProgressOptions {
  stream: NodeJS.WriteStream;
  quiet: boolean;
  /** Frames the run is expected to analyse (a file's length or --max-frames); unknown for a live stream. */
  totalFrames?: number;
  now?: () => number;
}

const SILENT: CountProgress = { frame: () => undefined, stop: () => undefined };

export function countProgress(o: CountProgressOptions): CountProgress {
  if (o.quiet || o.stream.isTTY !== true) return SILENT;
  const now = o.now ?? (() => performance.now());
  const total = o.totalFrames && o.totalFrames > 0 ? Math.round(o.totalFrames) : undefined;
  const bar = new SingleBar({
    stream: o.stream,
    format: total
      ? 'counting {bar} {percentage}% | {value}/{total} frames | {rate} fps | ETA {eta_formatted}'
      : 'counting {value} frames | {rate} fps',
    hideCursor: true,
    clearOnComplete: false,
    etaBuffer: 50,
  });
  const started = now();
  let frames = 0;
  bar.start(total ?? 0, 0, { rate: '0.0' });
  return {
    frame() {
      frames++;
      const seconds = (now() - started) / 1000;
      const rate = seconds > 0 ? (frames / seconds).toFixed(1) : '0.0';
      // A stream has no known end: let the total follow the count so the bar never claims to be finished.
      if (!total) bar.setTotal(frames);
      bar.update(frames, { rate });
    },
    stop() {
      bar.stop();
    },
  };
}

/** The frames a run will analyse: a file's duration at the analysed rate, capped by --max-frames. */
export function expectedFrames(
  durationS: number | undefined,
  fps: number,
  maxFrames: number | undefined,
): number | undefined {
  const fromFile = durationS !== undefined ? Math.floor(durationS * fps) : undefined;
  if (fromFile === undefined) return maxFrames;
  return maxFrames === undefined ? fromFile : Math.min(fromFile, maxFrames);
}
