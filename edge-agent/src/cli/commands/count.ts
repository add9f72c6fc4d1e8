import type { Command } from 'commander';
import { resolve } from 'node:path';
import { checkCamera, isCameraSourceUrl, type CameraConfig, type ModelLayout } from '@tally/proto';
import { UsageError } from '@tally/proto/cli';
import { createLogger } from '@tally/proto/log';
import { parseLineArg, parseZoneArg } from '../../count/rule-args';
import { DEFAULT_CLASSES } from '../../detect/detector';
import { ModelError, resolveModelPath } from '../../detect/model-path';
import { DetectorService } from '../../detect/detector-service';
import type { ExecutionProvider } from '../../detect/onnx-model';
import { BgrCanvas } from '../../draw/bgr-canvas';
import { hasEncoder, VideoWriter } from '../../draw/ffmpeg-encoders';
import { drawRules, drawTracks } from '../../draw/overlay';
import { CameraPipeline } from '../../pipeline/camera-pipeline';
import { ffmpegProblem } from '../../source/ffmpeg-binary';
import { probeMedia } from '../../source/media-probe';
import { sourceKind } from '../../source/source-kind';
import type { CountEventDraft } from '../../vision/types';
import { countProgress, expectedFrames } from '../count-progress';
import { formatCountSummary } from '../count-summary';

interface CountOptions {
  model?: string;
  layout: string;
  providers: string;
  line: string[];
  zone: string[];
  classes?: string;
  score: string;
  fps?: string;
  size?: string;
  maxFrames?: string;
  annotate?: string;
  threads?: string;
  json?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, v];

/**
 * `tally-edge count <video-or-url>`: the whole pipeline (decode, detect, track, count) on one input, every frame of
 * a file, printing counts, events and per-stage timings; `--annotate` writes a video to check a placement with.
 */
export function registerCount(program: Command): void {
  program
    .command('count')
    .description('count objects crossing lines and in zones of a video file or stream')
    .argument('<input>', 'video file, rtsp://, http(s):// or /dev/videoN')
    .option('--model <path>', 'ONNX model (default: $TALLY_MODEL, else the shared YOLOX-Nano)')
    .option('--layout <layout>', 'model output layout: yolox or yolov8', 'yolox')
    .option('--providers <list>', 'execution providers in order: cpu, cuda, tensorrt', 'cpu')
    .option(
      '--line <NAME:x1,y1,x2,y2>',
      'counting line in pixels of the decoded frame, or NAME:norm:x1,y1,x2,y2 normalised 0–1 (repeatable)',
      collect,
      [],
    )
    .option(
      '--zone <NAME:x,y;x,y;...>',
      'zone polygon in pixels of the decoded frame, or NAME:norm:x,y;... normalised 0–1 (repeatable)',
      collect,
      [],
    )
    .option('--classes <list>', `classes to detect (default ${DEFAULT_CLASSES.join(',')})`)
    .option('--score <threshold>', 'detection score threshold', '0.3')
    .option('--fps <n>', "frames analysed per second (default: the video's rate)")
    .option('--size <WxH>', "decoded frame size (default: the video's size)")
    .option('--max-frames <n>', 'stop after this many frames')
    .option('--annotate <out.mp4>', 'write a video with boxes, track ids, lines, zones and counts drawn')
    .option('--threads <n>', 'ONNX Runtime intra-op threads (default: cores − 1, 1 to 4)')
    .option('--json', 'print only the JSON result (and no progress bar)')
    .action(async (input: string, o: CountOptions) => {
      const result = await runCount(input, o);
      process.stdout.write(o.json ? `${JSON.stringify(result)}\n` : formatCountSummary(result));
    });
}

async function runCount(given: string, o: CountOptions) {
  const log = createLogger('count');
  // A relative file name is the user's shorthand for the file here; camera sources are absolute (proto's rule).
  const input =
    given.includes('://') || given.startsWith('/') || given.startsWith('-') ? given : resolve(given);
  if (!isCameraSourceUrl(input)) {
    throw new UsageError(
      `cannot count ${JSON.stringify(given)}: not a camera URL, a device or a video file`,
      'give rtsp(s)://…, http(s)://…, /dev/videoN or a video file (.mp4, .avi, .mkv…)',
    );
  }
  const ffmpeg = ffmpegProblem();
  if (ffmpeg) throw new UsageError(ffmpeg);
  const layout = o.layout as ModelLayout;
  if (layout !== 'yolox' && layout !== 'yolov8') {
    throw new UsageError(`--layout ${o.layout}: expected yolox or yolov8`);
  }
  const providers = o.providers.split(',').map((p) => p.trim()) as ExecutionProvider[];
  const bad = providers.find((p) => !['cpu', 'cuda', 'tensorrt'].includes(p));
  if (bad)
    throw new UsageError(
      `--providers: unknown execution provider ${JSON.stringify(bad)}`,
      'use cpu, cuda or tensorrt',
    );

  const media = await probeMedia(input).catch((err: Error) => {
    throw new UsageError(err.message, 'check the path or URL');
  });
  const size = o.size ? parseSize(o.size) : { width: media.width, height: media.height };
  const fps = o.fps ? positive(o.fps, '--fps') : Math.min(60, media.fps ?? 10);
  const classes = o.classes
    ? o.classes
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean)
    : [...DEFAULT_CLASSES];
  const score = Number(o.score);
  if (!(score > 0 && score <= 1)) throw new UsageError(`--score ${o.score}: expected a number in (0, 1]`);
  const maxFrames = o.maxFrames ? Math.floor(positive(o.maxFrames, '--max-frames')) : undefined;
  let camera: CameraConfig;
  try {
    camera = {
      id: 'cli',
      source: { url: input },
      fps,
      inputSize: size,
      classes,
      scoreThreshold: score,
      lines: o.line.map((l) => parseLineArg(l, size.width, size.height)),
      zones: o.zone.map((z) => parseZoneArg(z, size.width, size.height)),
    };
  } catch (err) {
    throw new UsageError(
      (err as Error).message,
      'lines are NAME:x1,y1,x2,y2 and zones NAME:x,y;x,y;x,y in pixels; NAME:norm:… for normalised 0–1',
    );
  }

  const modelPath = resolveModelPath(o.model ? { flag: o.model } : {});
  // The model runs in its own thread (as in the agent), so decoding, tracking and counting overlap inference.
  const service = await DetectorService.start(
    {
      modelPath,
      layout,
      executionProviders: providers,
      ...(o.threads ? { intraOpThreads: Math.floor(positive(o.threads, '--threads')) } : {}),
    },
    log,
  ).catch((err: Error) => {
    throw err instanceof ModelError ? new UsageError(err.message) : err;
  });
  const detector = service.connect();
  const issues = checkCamera(camera, '', detector.classNames);
  if (issues.length) {
    await service.close();
    throw new UsageError(issues.map((i) => `${i.path || '/'}: ${i.message}`).join('; '));
  }

  const events: CountEventDraft[] = [];
  const annotate = o.annotate ? await annotator(o.annotate, camera) : null;
  const progress = countProgress({
    stream: process.stderr,
    quiet: o.json === true,
    totalFrames: expectedFrames(media.durationS, fps, maxFrames),
  });
  const pipeline: CameraPipeline = new CameraPipeline(camera, {
    detector,
    log,
    onEvents: (drafts) => events.push(...drafts),
    fileTiming: 'every-frame',
    ...(maxFrames !== undefined ? { maxFrames } : {}),
    onFrame: async (frame, output): Promise<void> => {
      progress.frame();
      await annotate?.frame(frame.data, output.tracks, pipeline.counts());
    },
  });
  const stopOnSignal = () => void pipeline.stop();
  process.once('SIGINT', stopOnSignal);
  const started = performance.now();
  pipeline.start();
  await pipeline.done().finally(() => progress.stop());
  const seconds = (performance.now() - started) / 1000;
  process.off('SIGINT', stopOnSignal);
  await pipeline.stop();
  await annotate?.close();
  await detector.close();
  await service.close();
  const health = pipeline.health();
  if (health.framesProcessed === 0) {
    throw new UsageError(`no frame could be read from ${input}: ${health.reason ?? health.state}`);
  }
  return {
    input: sourceKind(input) === 'file' ? input : input.replace(/\/\/[^/@]*@/, '//***@'),
    model: modelPath,
    executionProvider: detector.executionProvider,
    size,
    sourceFps: fps,
    frames: health.framesProcessed,
    framesDropped: health.framesDropped,
    seconds: Math.round(seconds * 100) / 100,
    fps: Math.round((health.framesProcessed / seconds) * 10) / 10,
    stages: pipeline.stageTimings(),
    counts: pipeline.counts(),
    events,
    ...(o.annotate ? { annotated: o.annotate } : {}),
  };
}

async function annotator(path: string, camera: CameraConfig) {
  const { width, height } = camera.inputSize;
  const codec = (await hasEncoder('libx264')) ? 'libx264' : 'mpeg4';
  const writer = new VideoWriter(path, width, height, camera.fps, codec);
  const buffer = new Uint8Array(width * height * 3);
  const canvas = new BgrCanvas(buffer, width, height);
  return {
    frame: async (
      bgr: Uint8Array,
      tracks: Parameters<typeof drawTracks>[1],
      counts: Parameters<typeof drawRules>[3],
    ) => {
      buffer.set(bgr);
      drawRules(canvas, camera.lines, camera.zones, counts);
      drawTracks(canvas, tracks);
      await writer.write(buffer);
    },
    close: () => writer.close(),
  };
}

function parseSize(text: string): { width: number; height: number } {
  const m = /^(\d+)x(\d+)$/.exec(text);
  if (!m || Number(m[1]) < 32 || Number(m[2]) < 32)
    throw new UsageError(`--size ${text}: expected WxH, e.g. 768x576`);
  return { width: Number(m[1]), height: Number(m[2]) };
}

function positive(text: string, flag: string): number {
  const v = Number(text);
  if (!(v > 0)) throw new UsageError(`${flag} ${text}: expected a positive number`);
  return v;
}
