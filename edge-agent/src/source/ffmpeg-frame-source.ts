import { spawn, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import type { Logger } from '@tally/proto/log';
import type { Frame } from '../vision/types';
import { Backoff } from './backoff';
import { ffmpegArgs, type FfmpegInputOptions } from './ffmpeg-args';
import { ffmpegPath, ffmpegProblem } from './ffmpeg-binary';
import { failureReason, isCorruptFrameLine } from './ffmpeg-stderr';
import { FrameAssembler } from './frame-assembler';
import { FrameMailbox } from './frame-mailbox';
import type { FrameSource, SourceState, SourceStats } from './frame-source';
import { isLive, redactUrl, sourceKind } from './source-kind';

export interface FfmpegSourceOptions extends FfmpegInputOptions {
  log: Logger;
  /** No frame for this long → `stalled`; three times this (15 s at least while connecting) → ffmpeg is restarted.
   * Default 5 s. */
  stallMs?: number;
  /** Reconnect after a failure. Default: live sources yes, files no. */
  reconnect?: boolean;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  ffmpegPath?: string;
  /**
   * Nice value of the ffmpeg process (default 10). Decoding takes a fraction of the CPU inference does and fits in
   * the gaps ONNX Runtime's threads leave; at equal priority it preempts them instead, and a parallel inference op
   * waits for its slowest thread. 0 keeps ffmpeg at the agent's priority.
   */
  nice?: number;
}

/**
 * A FrameSource backed by an ffmpeg child process that decodes to raw BGR24 on its stdout. Live sources (RTSP,
 * HTTP, V4L2) are stamped with the wall clock when a frame arrives, keep only the newest frame, and reconnect with
 * capped exponential backoff; files are stamped start time + pts (index / fps after ffmpeg's fps filter) and, unless
 * `realtime`, deliver every frame with backpressure. Failures become states with a reason, never exceptions.
 */
export class FfmpegFrameSource implements FrameSource {
  private readonly live: boolean;
  private readonly mailbox: FrameMailbox;
  private readonly assembler: FrameAssembler;
  private readonly backoff: Backoff;
  private readonly listeners = new Set<(s: SourceState) => void>();
  private readonly stderrTail: string[] = [];
  private readonly stallMs: number;
  private current: SourceState = { state: 'stopped' };
  private child: ChildProcess | null = null;
  private waiter: ((f: Frame | null) => void) | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private running = false;
  private ended = false;
  private paused = false;
  private killReason: string | null = null;
  private index = 0;
  private startWall = 0;
  private attemptAt = 0;
  private progressAt = 0;
  private counters = { framesDecoded: 0, decodeErrors: 0, reconnects: 0 };
  private corruptLoggedAt = 0;
  private lastFrameAt: number | undefined;

  constructor(private readonly o: FfmpegSourceOptions) {
    this.live = isLive(sourceKind(o.url)) || !!o.realtime;
    this.mailbox = new FrameMailbox(o.width * o.height * 3, this.live ? 'latest' : 'every');
    this.assembler = new FrameAssembler(this.mailbox, (data) => this.onFrame(data));
    this.backoff = new Backoff(o.backoffInitialMs, o.backoffMaxMs);
    this.stallMs = o.stallMs ?? 5000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.ended = false;
    this.index = 0;
    this.startWall = Date.now();
    this.watchdog = setInterval(() => this.checkStall(), Math.max(100, Math.min(1000, this.stallMs / 4)));
    this.spawnFfmpeg();
  }

  private lowerPriority(child: ChildProcess): void {
    const nice = this.o.nice ?? 10;
    if (!nice || !child.pid) return;
    try {
      setPriority(child.pid, nice);
    } catch (err) {
      // Not fatal: only the detector's share of the CPU suffers (e.g. a sandbox that forbids setpriority).
      this.o.log.debug({ err: (err as Error).message }, 'could not lower ffmpeg priority');
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    this.retryTimer = this.watchdog = null;
    const child = this.child;
    if (child) {
      const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
      // A paused stdout (backpressure) would keep 'close' from ever firing: drop what it holds.
      child.stdout?.destroy();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await closed;
      clearTimeout(timer);
    }
    this.finish({ state: 'stopped' });
  }

  next(): Promise<Frame | null> {
    const ready = this.takeFrame();
    if (ready || this.ended) return Promise.resolve(ready);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  state(): SourceState {
    return { ...this.current };
  }

  onState(listener: (s: SourceState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): SourceStats {
    return {
      ...this.counters,
      framesDropped: this.mailbox.droppedCount(),
      ...(this.lastFrameAt !== undefined ? { lastFrameAt: this.lastFrameAt } : {}),
    };
  }

  private spawnFfmpeg(): void {
    const path = this.o.ffmpegPath ?? ffmpegPath();
    const problem = ffmpegProblem(path);
    if (problem) {
      this.finish({ state: 'failed', reason: problem });
      return;
    }
    this.stderrTail.length = 0;
    this.killReason = null;
    this.paused = false;
    this.attemptAt = this.progressAt = Date.now();
    this.setState({
      state: 'connecting',
      ...(this.current.reason ? { reason: `retrying after: ${this.current.reason}` } : {}),
    });
    const child = spawn(path, ffmpegArgs(this.o), { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.lowerPriority(child);
    let done = false;
    const onEnd = (code: number | null, spawnError?: Error) => {
      if (done) return;
      done = true;
      this.onExit(child, code, spawnError);
    };
    child.on('error', (err) => onEnd(null, err));
    child.on('close', (code) => onEnd(code));
    child.stdout!.on('data', (chunk: Buffer) => this.onData(child, chunk));
    let partialLine = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      const lines = (partialLine + text).split('\n');
      partialLine = lines.pop() ?? '';
      for (const line of lines) this.onStderr(line.trim());
    });
  }

  private onData(child: ChildProcess, chunk: Buffer): void {
    this.progressAt = Date.now();
    if (this.assembler.push(chunk)) return;
    // No free buffer (`every` policy): hold ffmpeg back until the consumer takes a frame.
    this.paused = true;
    child.stdout!.pause();
    const drain = () => {
      if (this.child !== child) return;
      if (!this.assembler.resume()) return this.mailbox.whenSpace(drain);
      this.paused = false;
      this.progressAt = Date.now();
      child.stdout!.resume();
    };
    this.mailbox.whenSpace(drain);
  }

  private onFrame(data: Uint8Array): void {
    const now = Date.now();
    // Files: start time + pts; ffmpeg's fps filter makes the pts of output frame i exactly i / fps.
    const ts = this.live ? now : this.startWall + Math.round((this.index * 1000) / this.o.fps);
    this.mailbox.publish(data, { ts, index: this.index++ });
    this.counters.framesDecoded++;
    this.lastFrameAt = now;
    if (this.current.state !== 'live') {
      this.backoff.reset();
      this.setState({ state: 'live' });
    }
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = null;
      waiter(this.takeFrame());
    }
  }

  private takeFrame(): Frame | null {
    const got = this.mailbox.take();
    if (!got) return null;
    return {
      data: got.data,
      width: this.o.width,
      height: this.o.height,
      ts: got.meta.ts,
      index: got.meta.index,
    };
  }

  private onStderr(line: string): void {
    if (!line) return;
    this.stderrTail.push(line);
    if (this.stderrTail.length > 20) this.stderrTail.shift();
    if (isCorruptFrameLine(line)) {
      this.counters.decodeErrors++;
      // One line per second at most: a damaged frame produces one complaint per macroblock.
      const now = Date.now();
      if (now - this.corruptLoggedAt < 1000) return;
      this.corruptLoggedAt = now;
      this.o.log.warn(
        { source: redactUrl(this.o.url), ffmpeg: line, decodeErrors: this.counters.decodeErrors },
        'corrupt frame data: the decoder skipped or concealed it; the pipeline goes on',
      );
    } else {
      this.o.log.debug({ source: redactUrl(this.o.url), ffmpeg: line }, 'ffmpeg');
    }
  }

  private onExit(child: ChildProcess, code: number | null, spawnError?: Error): void {
    if (this.child === child) this.child = null;
    const partial = this.assembler.reset();
    if (!this.running) return;
    if (partial > 0) {
      this.o.log.warn({ source: redactUrl(this.o.url), bytes: partial }, 'incomplete last frame dropped');
    }
    if (!this.live && code === 0) {
      this.o.log.info({ source: redactUrl(this.o.url), frames: this.index }, 'video ended');
      return this.finish({ state: 'stopped', reason: 'end of video' });
    }
    const reason =
      this.killReason ??
      (spawnError ? `cannot start ffmpeg: ${spawnError.message}` : failureReason(this.stderrTail, code));
    const retry = this.o.reconnect ?? this.live;
    if (!retry) return this.finish({ state: 'failed', reason });
    const delay = this.backoff.next();
    this.counters.reconnects++;
    this.setState({ state: 'failed', reason });
    this.o.log.warn(
      { source: redactUrl(this.o.url), reason, retryInMs: delay },
      'stream failed; reconnecting',
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.running) this.spawnFfmpeg();
    }, delay);
  }

  /** Live → stalled after `stallMs` without a frame; a process silent for 3 × `stallMs` is restarted. */
  private checkStall(): void {
    if (!this.child || this.paused) return;
    const now = Date.now();
    const since = Math.max(this.lastFrameAt ?? 0, this.attemptAt);
    const silentMs = now - Math.max(since, this.progressAt);
    if (this.current.state === 'live' && now - since > this.stallMs) {
      this.setState({ state: 'stalled', reason: `no frame for ${Math.round((now - since) / 1000)} s` });
    }
    // Opening a stream may take longer than a gap between frames (RTSP handshake, waiting for a key frame).
    const limit = this.current.state === 'connecting' ? Math.max(3 * this.stallMs, 15_000) : 3 * this.stallMs;
    if (silentMs > limit) {
      this.killReason = `no data from the stream for ${Math.round(silentMs / 1000)} s`;
      this.child.kill('SIGKILL');
    }
  }

  private finish(s: SourceState): void {
    this.running = false;
    this.ended = true;
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    this.setState(s);
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.(this.takeFrame());
  }

  private setState(s: SourceState): void {
    if (s.state === this.current.state && s.reason === this.current.reason) return;
    this.current = s;
    for (const l of this.listeners) l({ ...s });
  }
}
