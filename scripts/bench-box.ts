/**
 * `pnpm bench:box [--cameras N] [--max-cameras 16] [--fps 10] [--seconds 30] [--gating on|off] [--providers cpu]
 * [--threads N] [--detector-threads N] [--json]`: how many cameras one box serves, with counts unchanged.
 *
 * Each step runs N cameras through the agent's own runtime — a worker thread per camera (ffmpeg decode, motion
 * gate, letterbox, tracker, a counting line and a zone), the agent's detector threads (DetectorPool), and the
 * SQLite store (each camera's events appended as the agent's sink does) — every camera fed by the real RTSP test
 * server (scripts/rtsp-server.py --passthrough) playing ../shared/media/vtest.avi, encoded once to H.264 and looped,
 * at camera rate; each RTSP client gets its own playback from the first frame.
 *
 * Per camera: frames received, detected, skipped by the gate, dropped (newest frame wins), and the rate frames go
 * through (detected or gated on purpose). Per box: CPU use per core, resident memory (this process: workers and
 * detector threads; ffmpeg children apart), the detectors' busy share per thread (Σ detect time / wall time), and
 * frame → event latency: capture (the frame's arrival in the camera worker, its timestamp) to the event committed in
 * SQLite, p50/p95/max over the measurement window. Where the CPU goes: CPU milliseconds per camera frame (every frame
 * received) of the detector threads, the camera worker threads, the main thread, the agent's other threads, the
 * ffmpeg decoders and the RTSP test server, from /proc (CPU time, not wall time: it holds on a shared machine).
 *
 * Count agreement: before the steps, the same H.264 file is processed alone, every frame, no gating, nothing dropped
 * (the baseline, same run, same model). Each loop of the file is a quiet lead-in (an empty picture, --lead-seconds)
 * then the first --clip-seconds of vtest.avi; each camera's line in/out and zone enter/exit counts over its whole
 * loops must equal the baseline's over the same loops. (An RTSP client does not get the file's very first frame or
 * two; inside the quiet lead-in that changes nothing.) A step needs at least one whole loop.
 *
 * Steps: 1, 2, 4, 8, 12, 16 … cameras up to --max-cameras, stopping after the first that fails (or only
 * --cameras N). A step passes when every camera keeps ≥ 0.95 × fps, none drops a frame, and all counts agree; the
 * largest passing N is printed. With --json the last stdout line is a JSON object of every figure.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import type { CameraConfig } from '@tally/proto';
import { assets, requireAsset } from '@tally/proto/assets';
import { UsageError, runMain } from '@tally/proto/cli';
import { createLogger } from '@tally/proto/log';
import { DetectorService } from '../edge-agent/src/detect/detector-service';
import { defaultDetectorSessions, type ExecutionProvider } from '../edge-agent/src/detect/onnx-model';
import { CameraPipeline } from '../edge-agent/src/pipeline/camera-pipeline';
import { processCpuMs, threadCpuMs } from '../edge-agent/src/health/thread-cpu';
import { openStore } from '../edge-agent/src/store';
import type { CountEventDraft } from '../edge-agent/src/vision/types';
import { DetectorPool } from '../edge-agent/src/workers/detector-pool';
import { WorkerCameraRunner } from '../edge-agent/src/workers/worker-camera-runner';
import {
  cameraSteps,
  cpuPerCore,
  cpuPerFrame,
  quantile,
  stepFailures,
  tallyDiff,
  tallyKey,
  alignmentShift,
  quietCut,
  tallyUpTo,
  wholeLoopCut,
  type CameraFigures,
  type CpuReading,
  type Tally,
} from './box-figures';

const log = createLogger('bench-box', process.env.LOG_LEVEL ?? 'warn');
const RTSP_SERVER = fileURLToPath(new URL('./rtsp-server.py', import.meta.url));
const FFMPEG = process.env.TALLY_FFMPEG ?? '/usr/bin/ffmpeg';
const VIDEO_FPS = 10; // vtest.avi: 795 frames at 10 fps

interface Options {
  cameras?: number;
  maxCameras: number;
  fps: number;
  seconds: number;
  warmup: number;
  gating: boolean;
  providers: ExecutionProvider[];
  /** ONNX Runtime intra-op threads of each detector thread (default: the agent's, cores − 1). */
  threads?: number;
  /** Detector threads (sessions) the cameras spread over (default: the agent's, defaultDetectorSessions()). */
  detectorThreads?: number;
  size: { width: number; height: number };
  /** Seconds of vtest.avi per loop (default all 79.5) and of the quiet lead-in before each. */
  clipSeconds: number;
  leadSeconds: number;
  /** The quiet lead-in: an empty grey picture, or the clip's first frame frozen with fresh sensor noise each frame. */
  quiet: 'grey' | 'still';
  json: boolean;
}

/** Frames of one loop and of its lead-in, at the video's 10 fps. */
function loopFrames(o: Options): { loop: number; lead: number } {
  const lead = Math.round(o.leadSeconds * VIDEO_FPS);
  return { lead, loop: lead + Math.round(o.clipSeconds * VIDEO_FPS) };
}

/** The camera every step runs N times: vtest.avi's walkers, a line across their way and their path as a zone. */
function camera(id: string, url: string, o: Options, gating: boolean): CameraConfig {
  return {
    id,
    source: { url },
    fps: o.fps,
    inputSize: o.size,
    classes: ['person'],
    scoreThreshold: 0.3,
    ...(gating ? {} : { motionGating: { enabled: false } }),
    lines: [{ id: 'mid', name: 'Middle', p1: { x: 0.3, y: 0.4 }, p2: { x: 0.9, y: 0.4 } }],
    zones: [
      {
        id: 'path',
        name: 'Path',
        polygon: [
          { x: 0.39, y: 0.26 },
          { x: 0.91, y: 0.26 },
          { x: 0.91, y: 0.52 },
          { x: 0.39, y: 0.52 },
        ],
      },
    ],
  };
}

/**
 * The looped video: each loop is a quiet lead-in (an empty grey picture: nothing to detect or count, so a camera
 * and the baseline may start a frame or two apart, and whole loops are cut where nothing happens) followed by the
 * first `clipSeconds` of vtest.avi; H.264 without B-frames, as an IP camera sends it; looped by stream copy (no
 * re-encoding) enough times for the longest step.
 */
function prepareVideo(dir: string, frames: number, o: Options): string {
  const once = join(dir, 'loop-h264.mkv');
  const looped = join(dir, 'looped-h264.mkv');
  const quiet = ['-hide_banner', '-loglevel', 'error', '-y'];
  const { lead, loop } = loopFrames(o);
  const leadIn =
    o.quiet === 'grey'
      ? `color=c=0x707070:s=768x576:r=${VIDEO_FPS}:d=${o.leadSeconds},format=yuv420p[lead];[0:v]null[src];`
      : // The first frame held for the lead-in, with temporal noise of ±8 levels (a real sensor's grain).
        `[0:v]split[src][first];[first]trim=end_frame=1,loop=loop=${lead - 1}:size=1:start=0,` +
        `setpts=N/${VIDEO_FPS}/TB,noise=alls=8:allf=t+u,format=yuv420p[lead];`;
  const graph =
    leadIn +
    `[src]trim=end_frame=${loop - lead},setpts=PTS-STARTPTS,format=yuv420p[clip];[lead][clip]concat=n=2:v=1[out]`;
  execFileSync(FFMPEG, [
    ...quiet,
    ...[
      '-i',
      requireAsset(assets.video()),
      '-filter_complex',
      graph,
      '-map',
      '[out]',
      '-r',
      String(VIDEO_FPS),
    ],
    ...[
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-tune',
      'zerolatency',
      '-g',
      '10',
      '-bf',
      '0',
      '-qp',
      '18',
    ],
    ...['-threads', '1', once],
  ]);
  const loops = Math.ceil(frames / loop);
  execFileSync(FFMPEG, [...quiet, '-stream_loop', String(loops - 1), '-i', once, '-c', 'copy', looped]);
  return looped;
}

interface RtspServer {
  url: string;
  child: ChildProcess;
}

function startRtspServer(file: string): Promise<RtspServer> {
  const child = spawn('/usr/bin/python3', [RTSP_SERVER, '--port', '0', '--file', file, '--passthrough'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`RTSP server exited with ${code}`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (rtsp:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1]!, child });
    });
  });
}

/** The no-drop baseline: every frame of the file, alone, ungated; each event with its frame index. */
async function baseline(file: string, frames: number, o: Options, service: DetectorService) {
  const events: { frame: number; key: string }[] = [];
  const cam = camera('baseline', file, o, false);
  const detector = service.connect();
  const pipeline = new CameraPipeline(cam, {
    detector,
    log,
    onEvents: () => undefined,
    fileTiming: 'every-frame',
    maxFrames: frames,
    onFrame: (frame, _output, drafts) => {
      for (const d of drafts) events.push({ frame: frame.index, key: tallyKey(d) });
    },
  });
  const t0 = performance.now();
  pipeline.start();
  await pipeline.done();
  const health = pipeline.health();
  await detector.close();
  return {
    events,
    frames: health.framesProcessed,
    dropped: health.framesDropped,
    seconds: Math.round((performance.now() - t0) / 100) / 10,
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** This process's ffmpeg children (the cameras' decoders), from /proc. */
function ffmpegPids(): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && stat.includes('(ffmpeg)')) pids.push(Number(pid));
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}

/** RSS (MB) of this process's ffmpeg children, from /proc. */
function ffmpegRssMb(): number {
  let kb = 0;
  for (const pid of ffmpegPids()) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // the process ended meanwhile
    }
  }
  return Math.round(kb / 102.4) / 10;
}

/**
 * CPU milliseconds so far of each part of the box: the detector thread, the camera worker threads, the main thread
 * (the store and the bench), the agent process's other threads (garbage collection, libuv, ONNX Runtime's own), the
 * ffmpeg decoders and the RTSP test server (which a real site does not have). Threads by their kernel ids.
 */
function cpuReading(workerTids: number[], detectorTids: number[], rtspPid: number | undefined): CpuReading {
  const sum = (xs: (number | undefined)[]) => xs.reduce<number>((a, x) => a + (x ?? 0), 0);
  const detector = sum(detectorTids.map((t) => threadCpuMs(t)));
  const cameraWorkers = sum(workerTids.map((t) => threadCpuMs(t)));
  const mainThread = threadCpuMs(process.pid) ?? 0;
  const agent = processCpuMs(process.pid) ?? 0;
  return {
    detector,
    cameraWorkers,
    mainThread,
    agentOther: agent - detector - cameraWorkers - mainThread,
    ffmpeg: sum(ffmpegPids().map((p) => processCpuMs(p))),
    rtspServer: rtspPid ? (processCpuMs(rtspPid) ?? 0) : 0,
  };
}

/**
 * A camera's counts over its whole loops against the baseline's over the same frames. A camera event's frame index
 * comes from its timestamp (frames arrive at the camera rate, the last one, index received − 1, at `lastFrameAt`),
 * then shifted onto the baseline's timeline (alignmentShift: the inferred index was seen 30 frames off at start).
 */
function compareWholeLoops(
  events: readonly { ts: number; key: string }[],
  received: number,
  lastFrameAt: number | undefined,
  base: { events: { frame: number; key: string }[]; frames: number },
  o: Options,
): { loops: number; shift: number; counts: Tally; diff: string[] } {
  const { loop, lead } = loopFrames(o);
  if (lastFrameAt === undefined) return { loops: 0, shift: 0, counts: {}, diff: ['no frame received'] };
  const origin = lastFrameAt - ((received - 1) * 1000) / o.fps;
  const timed = events.map((e) => ({ frame: Math.round(((e.ts - origin) * o.fps) / 1000), key: e.key }));
  const shift = alignmentShift(timed, base.events, Math.floor(loop / 2));
  const wholeCut = wholeLoopCut(Math.min(received + shift, base.frames), loop, lead);
  const cut = wholeCut && quietCut(wholeCut, Math.floor(lead / 2) - 1, base.events);
  if (cut === 0)
    return {
      loops: 0,
      shift,
      counts: {},
      diff: [`no whole loop in ${received} frames (a loop is ${loop}): run longer`],
    };
  const indexed = timed.map((e) => ({ frame: e.frame + shift, key: e.key }));
  // The camera joined the stream `shift` frames in, in its first lead-in: what it counted as it started (a person
  // standing in a zone of the still picture) is a start-up effect, so both sides are counted from a quiet frame of
  // that lead-in after its first frames.
  const from = shift > 0 ? quietCut(shift + Math.floor(lead / 2), Math.floor(lead / 2) - 1, base.events) : 0;
  const counts = tallyUpTo(indexed, cut, from);
  return {
    loops: Math.floor(cut / loop),
    shift,
    counts,
    diff: tallyDiff(counts, tallyUpTo(base.events, cut, from)),
  };
}

async function step(
  n: number,
  url: string,
  o: Options,
  base: { events: { frame: number; key: string }[]; frames: number },
  dir: string,
  rtspPid: number | undefined,
) {
  const store = openStore(join(dir, `step-${n}`), 1 << 30, log);
  const detectors = new DetectorPool({
    log,
    ...(o.threads ? { intraOpThreads: o.threads } : {}),
    threadsPerModel: o.detectorThreads ?? defaultDetectorSessions(o.providers),
  });
  const model = {
    id: 'yolox_nano',
    path: requireAsset(assets.model()),
    layout: 'yolox' as const,
    executionProviders: o.providers,
  };
  const events = new Map<string, { ts: number; key: string }[]>();
  const latencies: number[] = [];
  let measuring = false;
  const onEvents = (drafts: CountEventDraft[]) => {
    store.events.appendEvents(drafts); // committed when this returns (one transaction)
    const now = Date.now();
    for (const d of drafts) {
      events.get(d.cameraId)!.push({ ts: d.ts, key: tallyKey(d) });
      if (measuring) latencies.push(now - d.ts);
    }
  };
  const runners = Array.from({ length: n }, (_, i) => {
    const cam = camera(`cam-${i + 1}`, url, o, o.gating);
    events.set(cam.id, []);
    return new WorkerCameraRunner(cam, model, { onEvents, onOccupancy: () => undefined }, { log, detectors });
  });
  try {
    await Promise.all(runners.map((r) => r.prepare()));
    for (const r of runners) r.start();
    const deadline = Date.now() + 60_000;
    while (!runners.every((r) => r.health().state === 'live' && r.health().framesProcessed > 0)) {
      if (Date.now() > deadline)
        throw new Error(`cameras not live after 60 s: ${runners.map((r) => r.health().state).join(', ')}`);
      await sleep(200);
    }
    await sleep(o.warmup * 1000);
    const snap = () => runners.map((r) => ({ h: r.health(), detectMs: r.latency()?.sum ?? 0 }));
    const workerTids = runners.flatMap((r) => r.threadId() ?? []);
    const detectorTids = await detectors.threadIds();
    const cpu0 = cpuReading(workerTids, detectorTids, rtspPid);
    const s0 = snap();
    const stat0 = readFileSync('/proc/stat', 'utf8');
    const t0 = performance.now();
    measuring = true;
    const rss: number[] = [];
    while (performance.now() - t0 < o.seconds * 1000) {
      await sleep(1000);
      rss.push(process.memoryUsage().rss);
    }
    const s1 = snap();
    const cpu1 = cpuReading(workerTids, detectorTids, rtspPid);
    const stat1 = readFileSync('/proc/stat', 'utf8');
    const windowS = (performance.now() - t0) / 1000;
    measuring = false;
    const ffmpegMb = ffmpegRssMb();
    await Promise.all(runners.map((r) => r.stop()));
    const cameras: CameraFigures[] = runners.map((r, i) => {
      const h = r.health();
      const handled = (x: { h: typeof h }) => x.h.framesProcessed + (x.h.framesGated ?? 0);
      const received = h.framesProcessed + (h.framesGated ?? 0) + h.framesDropped;
      const compared = compareWholeLoops(events.get(r.cameraId)!, received, h.lastFrameAt, base, o);
      return {
        cameraId: r.cameraId,
        framesReceived: received,
        framesDetected: h.framesProcessed,
        framesGated: h.framesGated ?? 0,
        framesDropped: h.framesDropped,
        fps: Math.round(((handled(s1[i]!) - handled(s0[i]!)) / windowS) * 100) / 100,
        detectFps: Math.round(((s1[i]!.h.framesProcessed - s0[i]!.h.framesProcessed) / windowS) * 100) / 100,
        wholeLoops: compared.loops,
        alignShiftFrames: compared.shift,
        counts: compared.counts,
        countDiff: compared.diff,
      };
    });
    const detectMs = s1.reduce((a, s, i) => a + s.detectMs - s0[i]!.detectMs, 0);
    const diff = (f: (h: (typeof s1)[number]['h']) => number) =>
      s1.reduce((a, s, i) => a + f(s.h) - f(s0[i]!.h), 0);
    const cpu = cpuPerFrame(
      cpu0,
      cpu1,
      diff((h) => h.framesProcessed + (h.framesGated ?? 0) + h.framesDropped),
      diff((h) => h.framesProcessed),
    );
    const failures = stepFailures(cameras, 0.95 * o.fps);
    return {
      cameras: n,
      pass: failures.length === 0,
      failures,
      windowS: Math.round(windowS * 10) / 10,
      box: {
        cpuPerCore: cpuPerCore(stat0, stat1),
        cpuMsPerCameraFrame: cpu.perCameraFrameMs,
        detectorCpuMsPerInference: cpu.detectorPerInferenceMs,
        rssMb: Math.round((rss.reduce((a, b) => a + b, 0) / rss.length / 2 ** 20) * 10) / 10,
        ffmpegRssMb: ffmpegMb,
        detectorThreads: detectorTids.length,
        // Per detector thread: 1 is a thread that never waits for work.
        detectorBusy:
          Math.round((detectMs / (windowS * 1000 * Math.max(1, detectorTids.length))) * 1000) / 1000,
        latencyMs: {
          events: latencies.length,
          p50: quantile(latencies, 0.5),
          p95: quantile(latencies, 0.95),
          max: latencies.length ? Math.max(...latencies) : 0,
        },
      },
      perCamera: cameras,
    };
  } finally {
    await Promise.all(runners.map((r) => r.stop().catch(() => undefined)));
    store.close();
  }
}

function parseOptions(): Options {
  const raw = new Command()
    .name('bench:box')
    .option('--cameras <n>', 'run this many cameras only (default: step 1, 2, 4, 8, 12, 16 …)')
    .option('--max-cameras <n>', 'largest step', '16')
    .option('--fps <n>', 'camera frame rate', '10')
    .option('--seconds <n>', 'measurement window per step', '30')
    .option('--warmup <n>', 'seconds after every camera is live before measuring', '5')
    .option('--gating <on|off>', 'motion gating (the agent default: on)', 'on')
    .option('--providers <list>', 'execution providers, e.g. cpu, cuda or tensorrt,cuda', 'cpu')
    .option('--threads <n>', "detector intra-op threads (default: the agent's, cores − 1)")
    .option('--detector-threads <n>', "detector threads the cameras spread over (default: the agent's)")
    .option('--size <WxH>', 'decoded frame size', '416x312')
    .option('--clip-seconds <s>', 'seconds of vtest.avi in each loop (all: 79.5)', '79.5')
    .option('--lead-seconds <s>', 'quiet lead-in before each loop', '8')
    .option(
      '--quiet <grey|still>',
      "the lead-in: an empty grey picture, or the clip's first frame with sensor noise",
      'grey',
    )
    .option('--json', 'print only the JSON result')
    .parse(process.argv)
    .opts<Record<string, string | boolean | undefined>>();
  const positive = (v: unknown, name: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0)
      throw new UsageError(
        `${name} must be a positive number, got ${String(v)}`,
        'see pnpm bench:box --help',
      );
    return n;
  };
  if (raw.quiet !== 'grey' && raw.quiet !== 'still')
    throw new UsageError(`--quiet must be grey or still, got ${String(raw.quiet)}`);
  if (raw.gating !== 'on' && raw.gating !== 'off')
    throw new UsageError(`--gating must be on or off, got ${String(raw.gating)}`);
  const size = /^(\d+)x(\d+)$/.exec(String(raw.size));
  if (!size) throw new UsageError(`--size must be WIDTHxHEIGHT, got ${String(raw.size)}`);
  const providers = String(raw.providers).split(',') as ExecutionProvider[];
  if (providers.some((p) => !['cpu', 'cuda', 'tensorrt'].includes(p)))
    throw new UsageError(`--providers takes cpu, cuda and tensorrt, got ${String(raw.providers)}`);
  return {
    ...(raw.cameras !== undefined ? { cameras: Math.floor(positive(raw.cameras, '--cameras')) } : {}),
    maxCameras: Math.floor(positive(raw.maxCameras, '--max-cameras')),
    fps: positive(raw.fps, '--fps'),
    seconds: positive(raw.seconds, '--seconds'),
    warmup: Number(raw.warmup) >= 0 ? Number(raw.warmup) : positive(raw.warmup, '--warmup'),
    gating: raw.gating === 'on',
    providers,
    ...(raw.threads !== undefined ? { threads: Math.floor(positive(raw.threads, '--threads')) } : {}),
    ...(raw.detectorThreads !== undefined
      ? { detectorThreads: Math.floor(positive(raw.detectorThreads, '--detector-threads')) }
      : {}),
    size: { width: Number(size[1]), height: Number(size[2]) },
    clipSeconds: Math.min(79.5, positive(raw.clipSeconds, '--clip-seconds')),
    leadSeconds: positive(raw.leadSeconds, '--lead-seconds'),
    quiet: raw.quiet === 'still' ? 'still' : 'grey',
    json: raw.json === true,
  };
}

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const o = parseOptions();
  const say = (s: string) => o.json || console.log(s);
  const loadBefore = readFileSync('/proc/loadavg', 'utf8').trim();
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-box-'));
  let server: RtspServer | undefined;
  try {
    // Frames a camera can receive in a step (warm-up, window, start-up and stop, with margin); the video lasts longer.
    const frames = Math.ceil((o.warmup + o.seconds + 15) * o.fps);
    say(`preparing the looped H.264 video in ${dir} …`);
    const file = prepareVideo(dir, frames + 60 * o.fps, o);
    server = await startRtspServer(file);
    const service = await DetectorService.start(
      { modelPath: requireAsset(assets.model()), layout: 'yolox', executionProviders: o.providers },
      log,
    );
    say(`baseline: ${frames} frames alone, every frame, ungated …`);
    const base = await baseline(file, frames, o, service).finally(() => service.close());
    say(
      `  ${base.frames} frames in ${base.seconds} s, dropped ${base.dropped}, ${base.events.length} events, provider ${service.info.executionProvider}`,
    );
    const steps = [];
    for (const n of o.cameras ? [o.cameras] : cameraSteps(o.maxCameras)) {
      say(`${n} camera(s) at ${o.fps} fps, gating ${o.gating ? 'on' : 'off'}, ${o.seconds} s …`);
      const r = await step(n, server.url, o, base, dir, server.child.pid);
      steps.push(r);
      const fps = r.perCamera.map((c) => c.fps);
      say(
        `  ${r.pass ? 'PASS' : 'FAIL'}  fps ${Math.min(...fps)}–${Math.max(...fps)}  dropped ${r.perCamera.reduce((a, c) => a + c.framesDropped, 0)}  gated ${r.perCamera.reduce((a, c) => a + c.framesGated, 0)}  latency p50/p95/max ${r.box.latencyMs.p50}/${r.box.latencyMs.p95}/${r.box.latencyMs.max} ms (${r.box.latencyMs.events} events)  cpu ${r.box.cpuPerCore.join(' ')}  rss ${r.box.rssMb} MB  detector ${r.box.detectorBusy} × ${r.box.detectorThreads}`,
      );
      const c = r.box.cpuMsPerCameraFrame;
      say(
        `  CPU ms per camera frame: ${Object.entries(c)
          .map(([k, v]) => `${k} ${v}`)
          .join('  ')}; detector ${r.box.detectorCpuMsPerInference} CPU ms per inference`,
      );
      for (const f of r.failures.slice(0, 8)) say(`    ${f}`);
      if (!r.pass) break;
    }
    const largest = Math.max(0, ...steps.filter((s) => s.pass).map((s) => s.cameras));
    say(`largest passing: ${largest} camera(s)`);
    console.log(
      JSON.stringify({
        commit: commit(),
        machine: {
          cores: cpus().length,
          loadavgBefore: loadBefore,
          loadavgAfter: readFileSync('/proc/loadavg', 'utf8').trim(),
        },
        options: { ...o, ...loopFrames(o) },
        baseline: {
          frames: base.frames,
          dropped: base.dropped,
          seconds: base.seconds,
          events: base.events.length,
        },
        steps,
        largestPassing: largest,
      }),
    );
  } finally {
    server?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

runMain(main);
