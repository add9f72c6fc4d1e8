import type { CameraConfig, CameraHealth, OccupancySample, VisitEndReason } from '@tally/proto';
import type { Logger } from '@tally/proto/log';
import type { RuleEngine } from '../count/rule-engine';
import type { DetectOptions, DetectResult, Detector, DetectorTimings } from '../detect/detector';
import { BgrCanvas } from '../draw/bgr-canvas';
import { encodeJpeg } from '../draw/ffmpeg-encoders';
import { drawRules } from '../draw/overlay';
import { FfmpegFrameSource } from '../source/ffmpeg-frame-source';
import type { FrameSource, SourceState } from '../source/frame-source';
import { ByteTracker, type TrackerOptions } from '../track/byte-tracker';
import type { CountEventDraft, Frame, TrackerOutput } from '../vision/types';
import { FrameGate } from '../motion/frame-gate';
import type { TrackedObject } from '../vision/types';
import { FpsMeter } from './fps-meter';
import { OverloadMonitor } from './overload-monitor';
import { setupRules } from './rule-setup';
import { RingSamples, StageTimings, type StageSummary } from './stage-timings';

export interface CameraPipelineDeps {
  detector: Detector;
  log: Logger;
  /** Count events of one frame (never empty). An exception here is logged; the pipeline goes on. */
  onEvents: (drafts: CountEventDraft[]) => void;
  /** Zone occupancy, every `occupancyIntervalMs` of frame time, when the camera has zones. */
  onOccupancy?: (samples: OccupancySample[]) => void;
  occupancyIntervalMs?: number;
  /** Called after each processed frame (the frame is valid only during the call; awaited, so it may write). */
  onFrame?: (frame: Frame, output: TrackerOutput, drafts: CountEventDraft[]) => void | Promise<void>;
  /** Each frame's detector timings (the agent's latency histogram). */
  onDetected?: (timings: DetectorTimings) => void;
  /** Files play at their own rate like a camera (default), or as fast as the detector goes (offline counting). */
  fileTiming?: 'realtime' | 'every-frame';
  /** Stop after this many processed frames. */
  maxFrames?: number;
  tracker?: Partial<TrackerOptions>;
  /** Another source (tests); default: ffmpeg. */
  createSource?: (camera: CameraConfig, log: Logger) => FrameSource;
  /** Seconds without a frame before a live camera is reported stalled. */
  stallS?: number;
  /** Hardware decoder arguments for network cameras (see source/hw-decode.ts). */
  decodeArgs?: readonly string[];
}

/**
 * One camera's whole pipeline: frame source → detector → tracker → counting rules → `onEvents`. The loop pulls the
 * newest frame, so a slow detector drops stale frames at the source instead of queueing them; ffmpeg decodes the
 * next frame (another process) while this one is detected, and this thread tracks the previous one. Nothing here throws into the caller once started: a
 * stream failure is a state with a reason, a bad rule is logged and left out (see `issues()`), a failing frame is
 * logged and skipped.
 *
 * Stage timings (ms): decode = time the loop waited for the next frame (decoding not hidden behind inference),
 * preprocess / inference / postprocess from the detector, track, count.
 */
export class CameraPipeline {
  private source: FrameSource | null = null;
  private loop: Promise<void> | null = null;
  private running = false;
  private tracker: ByteTracker;
  private rules: RuleEngine;
  private classes: string[];
  private readonly ruleIssues: string[];
  private readonly timings = new StageTimings();
  private readonly detectorLatency = new RingSamples(1024);
  private readonly fps = new FpsMeter();
  private framesProcessed = 0;
  private framesGated = 0;
  private framesTaken = 0;
  private droppedBefore = 0;
  private readonly gate: FrameGate;
  private readonly overload = new OverloadMonitor();
  private lastTracks: readonly TrackedObject[] = [];
  private lastFrame: Frame | null = null;
  private lastFrameAt: number | undefined;
  private lastOccupancyTs = -Infinity;
  private frameErrors = 0;
  private stopState: SourceState = { state: 'stopped' };
  private doneResolve: () => void = () => undefined;
  private donePromise: Promise<void> = Promise.resolve();

  constructor(
    readonly camera: CameraConfig,
    private readonly deps: CameraPipelineDeps,
  ) {
    this.tracker = new ByteTracker(deps.tracker);
    const setup = setupRules(camera, deps.detector.classNames);
    this.rules = setup.engine;
    this.classes = setup.classes;
    this.ruleIssues = setup.issues;
    this.gate = new FrameGate(camera);
    for (const issue of setup.issues) deps.log.error({ camera: camera.id }, issue);
  }

  /** Rules or classes of the config that were left out, each naming the problem. */
  issues(): readonly string[] {
    return this.ruleIssues;
  }

  start(): void {
    if (this.running) return;
    if (this.camera.enabled === false) {
      this.stopState = { state: 'stopped', reason: 'camera disabled in the config' };
      return;
    }
    if (this.classes.length === 0) {
      this.stopState = { state: 'failed', reason: this.ruleIssues.join('; ') || 'no classes to detect' };
      return;
    }
    this.running = true;
    this.source = (this.deps.createSource ?? this.defaultSource)(this.camera, this.deps.log);
    this.source.start();
    this.donePromise = new Promise((resolve) => (this.doneResolve = resolve));
    this.loop = this.run(this.source).finally(() => {
      this.running = false;
      this.doneResolve();
    });
  }

  /** Stops; open zone visits end (exits with `endReason: camera_stopped`): this camera's tracks are gone. */
  async stop(): Promise<void> {
    await this.halt();
    this.endTracks('camera_stopped');
  }

  private async halt(): Promise<void> {
    this.running = false;
    const source = this.source;
    if (source) {
      await source.stop();
      this.stopState = source.state();
      this.droppedBefore += source.stats().framesDropped;
    }
    await this.loop;
    this.source = null;
    this.loop = null;
  }

  /**
   * Stops and starts again with fresh tracks (rule counters are kept for the running totals). Every open zone
   * visit ends first with `endReason: camera_restart`: the reset tracker will never report those ids again, so
   * without the exits occupancy would stay up and a dwell alert could fire for someone long gone.
   */
  async restart(): Promise<void> {
    await this.halt();
    this.endTracks('camera_restart');
    this.tracker.reset();
    this.gate.reset();
    this.lastTracks = [];
    this.start();
  }

  /** Ends all rule state of the current tracks; the exits and the occupancy they leave go out like any frame's. */
  private endTracks(reason: VisitEndReason): void {
    const t = this.lastFrameAt;
    if (t === undefined) return;
    const drafts = this.rules.endTracks(t, reason);
    if (drafts.length) this.emit(() => this.deps.onEvents(drafts));
    if (this.deps.onOccupancy && this.camera.zones.length) {
      // 1 ms after the last frame's sample, so it follows that sample rather than replacing it.
      const samples = this.rules.occupancy(t + 1);
      this.emit(() => this.deps.onOccupancy!(samples));
    }
  }

  /** Resolves when the loop ends: the video ended, `maxFrames` was reached, or `stop()`. */
  done(): Promise<void> {
    return this.donePromise;
  }

  health(): CameraHealth {
    const s = this.source?.state() ?? this.stopState;
    const stats = this.source?.stats();
    const dropped = this.droppedBefore + (stats?.framesDropped ?? 0);
    const load = this.overload.observe(Date.now(), this.framesTaken + dropped, dropped);
    return {
      cameraId: this.camera.id,
      state: s.state,
      ...(s.reason ? { reason: s.reason.slice(0, 500) } : {}),
      fps: this.running ? this.fps.fps(Date.now()) : 0,
      detectorLatencyMs: {
        p50: round(this.detectorLatency.quantile(0.5)),
        p95: round(this.detectorLatency.quantile(0.95)),
      },
      framesProcessed: this.framesProcessed,
      framesDropped: dropped,
      ...(this.lastFrameAt !== undefined ? { lastFrameAt: this.lastFrameAt } : {}),
      framesGated: this.framesGated,
      dropRate: round(load.dropRate),
      overloaded: load.overloaded,
      ...(load.reason ? { overloadReason: load.reason } : {}),
    };
  }

  stageTimings(): StageSummary {
    return this.timings.summary();
  }

  counts(): ReturnType<RuleEngine['counts']> {
    return this.rules.counts();
  }

  /** JPEG of the newest processed frame with the camera's lines, zones and counts drawn. */
  async snapshotJpeg(): Promise<Buffer> {
    const frame = this.lastFrame;
    if (!frame) throw new Error(`camera ${this.camera.id} has no frame yet (state ${this.health().state})`);
    // Copy now: the frame's buffer is reused by the source once the loop takes the next frame.
    const copy = Uint8Array.from(frame.data);
    drawRules(
      new BgrCanvas(copy, frame.width, frame.height),
      this.camera.lines,
      this.camera.zones,
      this.counts(),
    );
    return encodeJpeg(copy, frame.width, frame.height);
  }

  private readonly defaultSource = (camera: CameraConfig, log: Logger): FrameSource =>
    new FfmpegFrameSource({
      url: camera.source.url,
      fps: camera.fps,
      width: camera.inputSize.width,
      height: camera.inputSize.height,
      log: log.child({ camera: camera.id }),
      ...(camera.source.loop ? { loop: true } : {}),
      ...(camera.source.rtspTransport ? { rtspTransport: camera.source.rtspTransport } : {}),
      realtime: (this.deps.fileTiming ?? 'realtime') === 'realtime',
      ...(this.deps.stallS ? { stallMs: this.deps.stallS * 1000 } : {}),
      ...(this.deps.decodeArgs?.length ? { decodeArgs: this.deps.decodeArgs } : {}),
    });

  /**
   * Two frames in flight: frame N+1 is handed to the detector before frame N is tracked and counted, so with a
   * detector in another thread (RemoteDetector) inference runs while this thread does everything else. Results
   * are consumed in frame order; the source keeps both frames' buffers valid (see FrameSource). A detector shared
   * by many cameras asks for one (Detector.overlapFrames): frame N is counted before the newest frame is taken.
   */
  private async run(source: FrameSource): Promise<void> {
    const opts = { scoreThreshold: this.camera.scoreThreshold, classes: this.classes };
    const max = this.deps.maxFrames ?? Infinity;
    let pending: InFlight | null = null;
    let submitted = 0;
    while (this.running && submitted < max) {
      if (pending && this.deps.detector.overlapFrames?.() === false) {
        // A shared detector: finish this frame first, then take the newest one (see Detector.overlapFrames).
        await this.finish(pending);
        pending = null;
      }
      const t0 = performance.now();
      const frame = await source.next();
      if (!frame || !this.running) break;
      this.timings.add('decode', performance.now() - t0);
      this.framesTaken++;
      if (this.gate.decide(frame, this.lastTracks) !== 'detect') {
        this.framesGated++;
        // The next take() recycles the oldest held buffer: the frame in flight must be counted before that.
        if (pending) await this.finish(pending);
        pending = null;
        this.lastFrame = frame;
        this.lastFrameAt = frame.ts;
        continue;
      }
      // Snapshots show the oldest frame still held (the one about to be counted).
      this.lastFrame = pending?.frame ?? frame;
      const next = this.submit(frame, opts);
      submitted++;
      if (pending) await this.finish(pending);
      pending = next;
    }
    if (pending) await this.finish(pending);
    if (this.running && this.source === source) {
      // Ended by itself (video over, max frames): release ffmpeg and keep the final state.
      const ended = source.state();
      await source.stop();
      this.stopState = ended.state === 'live' ? { state: 'stopped', reason: 'frame limit reached' } : ended;
      this.droppedBefore += source.stats().framesDropped;
      this.source = null;
    }
  }

  private submit(frame: Frame, opts: DetectOptions): InFlight {
    const result = this.deps.detector.detect(frame, opts);
    // Awaited later, in order; a failure is handled there (this only keeps it from counting as unhandled).
    result.catch(() => undefined);
    return { frame, result };
  }

  /** Tracks and counts one detected frame; a failure skips the frame with a log line, never the pipeline. */
  private async finish({ frame, result }: InFlight): Promise<void> {
    try {
      this.lastFrame = frame;
      await this.process(frame, await result);
    } catch (err) {
      this.frameErrors++;
      if (this.frameErrors <= 3 || this.frameErrors % 100 === 0) {
        this.deps.log.error(
          {
            camera: this.camera.id,
            frame: frame.index,
            err: (err as Error).message,
            errors: this.frameErrors,
          },
          'frame skipped: processing failed; the pipeline goes on',
        );
      }
    }
  }

  private async process(frame: Frame, { detections, timings: d }: DetectResult): Promise<void> {
    this.timings.add('preprocess', d.preprocess);
    this.timings.add('inference', d.inference);
    this.timings.add('postprocess', d.postprocess);
    this.detectorLatency.add(d.preprocess + d.inference + d.postprocess);
    this.deps.onDetected?.(d);

    let t = performance.now();
    const output = this.tracker.update(detections, frame.ts);
    this.lastTracks = output.tracks;
    this.timings.add('track', performance.now() - t);
    t = performance.now();
    const drafts = this.rules.update(output, frame.ts);
    this.timings.add('count', performance.now() - t);

    this.framesProcessed++;
    this.lastFrameAt = frame.ts;
    this.fps.tick(Date.now());
    if (drafts.length) this.emit(() => this.deps.onEvents(drafts));
    const every = this.deps.occupancyIntervalMs ?? 1000;
    if (this.deps.onOccupancy && this.camera.zones.length && frame.ts - this.lastOccupancyTs >= every) {
      this.lastOccupancyTs = frame.ts;
      const samples = this.rules.occupancy(frame.ts);
      this.emit(() => this.deps.onOccupancy!(samples));
    }
    if (this.deps.onFrame) await this.deps.onFrame(frame, output, drafts);
  }

  private emit(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.deps.log.error({ camera: this.camera.id, err: (err as Error).message }, 'event consumer failed');
    }
  }
}

interface InFlight {
  frame: Frame;
  result: Promise<DetectResult>;
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
