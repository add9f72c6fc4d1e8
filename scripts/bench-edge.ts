/**
 * `pnpm bench:edge [--json]`: speed and memory of the edge vision pipeline on ../shared/media/vtest.avi.
 *
 * 1. Detector only vs end to end, in alternating rounds of the same run on the same detector thread (so load
 *    from other processes hits both alike), set up as the agent sets it up (DetectorService, default threads):
 *    the detector-only rate is ONNX Runtime's `run` back to back in that thread; the end-to-end rate is the whole
 *    CameraPipeline (ffmpeg decode, preprocessing, inference, postprocessing, tracking, a line and a zone) over every
 *    frame of the looping video. Target: end to end ≥ 0.90 × detector only.
 *    Measured for frames decoded at the model's letterbox size (ffmpeg scales: the recommended setting) and at
 *    the video's own size (JavaScript resizes).
 * 2. The tracker alone on KITTI-17's public detections (scripts/bench-tracker.ts). Target ≥ 5,000 frames/s.
 * 3. Resident memory while the pipeline runs a looping video like a camera (10 fps, newest frame wins) for
 *    `--soak-minutes` (the issue asks for 30 minutes within 10 %).
 * With --json the last stdout line is a JSON object of all figures.
 */
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { Command } from 'commander';
import type { CameraConfig } from '@tally/proto';
import { assets, requireAsset } from '@tally/proto/assets';
import { createLogger } from '@tally/proto/log';
import { fittedSize } from '../edge-agent/src/detect/letterbox';
import { DetectorService } from '../edge-agent/src/detect/detector-service';
import { defaultIntraOpThreads } from '../edge-agent/src/detect/onnx-model';
import type { RemoteDetector } from '../edge-agent/src/detect/remote-detector';
import { CameraPipeline } from '../edge-agent/src/pipeline/camera-pipeline';
import type { StageSummary } from '../edge-agent/src/pipeline/stage-timings';
import { benchTracker } from './bench-tracker';

const log = createLogger('bench-edge', process.env.LOG_LEVEL ?? 'warn');

function camera(size: { width: number; height: number }): CameraConfig {
  return {
    id: 'bench',
    source: { url: requireAsset(assets.video()), loop: true },
    fps: 10,
    inputSize: size,
    classes: ['person', 'bicycle', 'car', 'motorbike', 'bus', 'truck'],
    scoreThreshold: 0.3,
    // Every frame to the detector: these benchmarks measure its throughput, not what motion gating saves.
    motionGating: { enabled: false },
    lines: [{ id: 'door', name: 'Door', p1: { x: 0.52, y: 0.17 }, p2: { x: 0.52, y: 0.61 } }],
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
 * CPU time used so far, ms: this process (all its threads, ONNX Runtime's included) plus its reaped children
 * (ffmpeg, once a pipeline stopped it). On a machine shared with other work, CPU per frame is the steadier measure
 * of cost; wall-clock rates move with the neighbours' load.
 */
function cpuMs(): number {
  const u = process.cpuUsage();
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 of proc(5), cutime and cstime, in clock ticks (100 per second on Linux).
  return (u.user + u.system) / 1000 + (Number(f[13]) + Number(f[14])) * 10;
}

/** Detector-only: `n` inference runs back to back in the detector thread, timed there. */
async function detectorOnly(det: RemoteDetector, n: number): Promise<{ seconds: number; cpuMs: number }> {
  const c0 = cpuMs();
  const seconds = await det.inferOnly(n);
  return { seconds, cpuMs: cpuMs() - c0 };
}

/** End to end: the whole pipeline on `n` frames; seconds between the first and the last processed frame. */
async function endToEnd(det: RemoteDetector, size: { width: number; height: number }, n: number) {
  let first = 0;
  let last = 0;
  let frames = 0;
  const c0 = cpuMs();
  const pipeline = new CameraPipeline(camera(size), {
    detector: det,
    log,
    onEvents: () => {},
    fileTiming: 'every-frame',
    maxFrames: n + 1,
    onFrame: () => {
      const now = performance.now();
      if (frames++ === 0) first = now;
      last = now;
    },
  });
  pipeline.start();
  await pipeline.done();
  await pipeline.stop();
  // CPU over the whole block (ffmpeg's start included: a small overestimate of the per-frame cost).
  const cpu = cpuMs() - c0;
  return {
    seconds: (last - first) / 1000,
    frames: frames - 1,
    cpuPerFrameMs: cpu / frames,
    stages: pipeline.stageTimings(),
  };
}

async function speed(det: RemoteDetector, frames: number, rounds: number) {
  const native = { width: 768, height: 576 };
  const fitted = fittedSize(native.width, native.height, det.inputSize.width, det.inputSize.height);
  // Warm-up: JIT, ONNX Runtime's first runs, the page cache.
  await endToEnd(det, fitted, 20);
  await detectorOnly(det, 20);
  const acc = {
    det: { s: 0, n: 0, cpu: 0 },
    fitted: { s: 0, n: 0, cpu: 0, stages: [] as StageSummary[] },
    native: { s: 0, n: 0, cpu: 0, stages: [] as StageSummary[] },
  };
  for (let r = 0; r < rounds; r++) {
    for (const [key, size] of [
      ['fitted', fitted],
      ['native', native],
    ] as const) {
      const d = await detectorOnly(det, frames);
      acc.det.s += d.seconds;
      acc.det.cpu += d.cpuMs;
      acc.det.n += frames;
      const e = await endToEnd(det, size, frames);
      acc[key].s += e.seconds;
      acc[key].n += e.frames;
      acc[key].cpu += e.cpuPerFrameMs * e.frames;
      acc[key].stages.push(e.stages);
      log.info({ round: r, key, fps: e.frames / e.seconds }, 'round');
    }
  }
  const detectorOnlyFps = acc.det.n / acc.det.s;
  const detCpu = acc.det.cpu / acc.det.n;
  const summary = (key: 'fitted' | 'native', size: { width: number; height: number }) => {
    const fps = acc[key].n / acc[key].s;
    const cpu = acc[key].cpu / acc[key].n;
    return {
      decodeSize: `${size.width}x${size.height}`,
      fps: round(fps, 1),
      ratio: round(fps / detectorOnlyFps, 3),
      cpuPerFrameMs: round(cpu, 2),
      /** Detector-only CPU per frame ÷ end-to-end CPU per frame: the share of the cost that is inference. */
      cpuRatio: round(detCpu / cpu, 3),
      stagesLastRound: acc[key].stages.at(-1),
    };
  };
  return {
    framesPerRound: frames,
    rounds,
    detectorOnlyFps: round(detectorOnlyFps, 1),
    detectorOnlyCpuPerFrameMs: round(detCpu, 2),
    endToEnd: { fitted: summary('fitted', fitted), native: summary('native', native) },
    target: 0.9,
  };
}

async function soak(det: RemoteDetector, minutes: number) {
  const size = fittedSize(768, 576, det.inputSize.width, det.inputSize.height);
  const samples: { tS: number; rssMb: number }[] = [];
  const pipeline = new CameraPipeline(camera(size), {
    detector: det,
    log,
    onEvents: () => {},
    onOccupancy: () => {},
    // Like a camera: the video plays at its own rate and stale frames are dropped when detection is slower.
    fileTiming: 'realtime',
  });
  const t0 = performance.now();
  const every = Math.max(1000, Math.min(10_000, (minutes * 60_000) / 60));
  const sample = () =>
    samples.push({
      tS: round((performance.now() - t0) / 1000, 1),
      rssMb: round(process.memoryUsage().rss / 2 ** 20, 1),
    });
  pipeline.start();
  sample();
  const timer = setInterval(sample, every);
  await new Promise((r) => setTimeout(r, minutes * 60_000));
  clearInterval(timer);
  sample();
  const frames = pipeline.health().framesProcessed;
  await pipeline.stop();
  // Compare the mean of the second quarter (after a warm-up quarter: allocator pools and JIT settle) with the mean
  // of the last quarter: single samples swing with garbage collection.
  const total = minutes * 60;
  const mean = (from: number, to: number) => {
    const xs = samples.filter((x) => x.tS >= from * total && x.tS <= to * total).map((x) => x.rssMb);
    return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : samples.at(-1)!.rssMb;
  };
  const early = mean(0.25, 0.5);
  const late = mean(0.75, 1);
  const warm = samples.filter((x) => x.tS >= total / 4).map((x) => x.rssMb);
  return {
    minutes,
    frames,
    videoLoops: round(frames / 795, 2),
    rssMb: {
      start: samples[0]!.rssMb,
      secondQuarterMean: round(early, 1),
      lastQuarterMean: round(late, 1),
      min: Math.min(...warm),
      max: Math.max(...warm),
    },
    growthPct: round(((late - early) / early) * 100, 2),
    target: 'within 10 % over 30 minutes',
    samples:
      samples.length > 40 ? samples.filter((_, i) => i % Math.ceil(samples.length / 40) === 0) : samples,
  };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

async function main(): Promise<void> {
  const program = new Command()
    .name('bench:edge')
    .option('--json', 'print only the JSON result')
    .option('--frames <n>', 'frames per round and mode', '200')
    .option('--rounds <n>', 'alternating rounds of detector-only and end-to-end', '3')
    .option('--soak-minutes <n>', 'minutes of looping video for the memory figure', '1')
    .option('--threads <n>', "ONNX Runtime intra-op threads (default: the agent's, cores − 1, 1 to 4)")
    .option('--spin', 'let ONNX Runtime threads spin between ops (off in the agent)')
    .option('--skip-speed', 'only the tracker and memory figures')
    .parse(process.argv);
  const o = program.opts<{
    json?: boolean;
    frames: string;
    rounds: string;
    soakMinutes: string;
    threads?: string;
    spin?: boolean;
    skipSpeed?: boolean;
  }>();
  const say = (s: string) => o.json || console.log(s);
  // The same detector as the agent's and `count`'s: the model in its own thread, the pipeline in this one.
  const service = await DetectorService.start(
    {
      modelPath: requireAsset(assets.model()),
      layout: 'yolox',
      ...(o.threads ? { intraOpThreads: Number(o.threads) } : {}),
      ...(o.spin ? { spinning: true } : {}),
    },
    log,
  );
  const det = service.connect();
  const machine = {
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    loadavg1: 0,
  };
  machine.loadavg1 = round((await import('node:os')).loadavg()[0]!, 2);

  const result: Record<string, unknown> = {
    machine,
    detector: {
      intraOpThreads: o.threads ? Number(o.threads) : defaultIntraOpThreads(),
      spinning: !!o.spin,
      ffmpegNice: 10,
    },
  };
  if (!o.skipSpeed) {
    say(`speed: ${o.rounds} rounds × ${o.frames} frames, detector only vs end to end …`);
    const s = await speed(det, Number(o.frames), Number(o.rounds));
    result.speed = s;
    say(`  detector only        ${s.detectorOnlyFps} fps; CPU ${s.detectorOnlyCpuPerFrameMs} ms/frame`);
    for (const e of Object.values(s.endToEnd)) {
      say(
        `  end to end ${e.decodeSize.padEnd(9)} ${e.fps} fps  ratio ${e.ratio} (target ≥ ${s.target}); CPU ${e.cpuPerFrameMs} ms/frame, ratio ${e.cpuRatio}`,
      );
    }
  }
  say('tracker alone on KITTI-17 detections …');
  result.tracker = await benchTracker();
  say(`  ${JSON.stringify(result.tracker)}`);
  const minutes = Number(o.soakMinutes);
  if (minutes > 0) {
    say(`memory: ${minutes} min of looping video …`);
    const m = await soak(det, minutes);
    result.memory = m;
    say(
      `  RSS mean ${m.rssMb.secondQuarterMean} MB (2nd quarter) → ${m.rssMb.lastQuarterMean} MB (last quarter): ${m.growthPct} %; range ${m.rssMb.min}–${m.rssMb.max} MB`,
    );
  }
  await det.close();
  await service.close();
  console.log(JSON.stringify(result));
}

await main();
