/**
 * `pnpm bench:detectors [--cameras 4] [--seconds 20] [--json]`: what sharing one detector thread between cameras
 * saves. Runs the agent's camera runners (a worker thread per camera, ffmpeg decoding ../shared/media/vtest.avi at
 * its own 10 fps like a camera) twice, each in a fresh child process so neither inherits the other's heap:
 * - shared: one DetectorPool, so every camera uses one detector thread (the agent's way);
 * - separate: a pool per camera, one model and ONNX Runtime session per camera (1 inference thread each).
 * Prints resident memory after a warm-up, frames processed and dropped per camera, and detector latency.
 * With --json the last stdout line is a JSON object of the figures.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import type { CameraConfig } from '@tally/proto';
import { assets, requireAsset } from '@tally/proto/assets';
import { createLogger } from '@tally/proto/log';
import { DetectorPool } from '../edge-agent/src/workers/detector-pool';
import { WorkerCameraRunner } from '../edge-agent/src/workers/worker-camera-runner';

type Mode = 'shared' | 'separate';
const log = createLogger('bench-detectors', process.env.LOG_LEVEL ?? 'warn');

function camera(i: number): CameraConfig {
  return {
    id: `cam-${i}`,
    source: { url: requireAsset(assets.video()), loop: true },
    fps: 10,
    inputSize: { width: 416, height: 312 },
    classes: ['person'],
    scoreThreshold: 0.3,
    // Every frame to the detector: these benchmarks measure its throughput, not what motion gating saves.
    motionGating: { enabled: false },
    lines: [{ id: 'door', name: 'Door', p1: { x: 0.52, y: 0.17 }, p2: { x: 0.52, y: 0.61 } }],
    zones: [],
  };
}

/** One mode, in this process: start the cameras, let them run, measure, stop. */
async function child(mode: Mode, cameras: number, seconds: number) {
  const model = { id: 'yolox_nano', path: requireAsset(assets.model()), layout: 'yolox' as const };
  const shared = new DetectorPool({ log });
  const pools: DetectorPool[] = [];
  const runners = Array.from({ length: cameras }, (_, i) => {
    const detectors = mode === 'shared' ? shared : new DetectorPool({ log, intraOpThreads: 1 });
    pools.push(detectors);
    return new WorkerCameraRunner(
      camera(i),
      model,
      { onEvents: () => {}, onOccupancy: () => {} },
      { log, detectors },
    );
  });
  const rss0 = process.memoryUsage().rss;
  await Promise.all(runners.map((r) => r.prepare()));
  for (const r of runners) r.start();
  const samples: number[] = [];
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    await new Promise((r) => setTimeout(r, 1000));
    // The second half only: models loaded, allocator pools warm.
    if (performance.now() - t0 > (seconds * 1000) / 2) samples.push(process.memoryUsage().rss);
  }
  const health = runners.map((r) => r.health());
  const threads = new Set(pools).size === 1 ? shared.size() : pools.reduce((n, p) => n + p.size(), 0);
  await Promise.all(runners.map((r) => r.stop()));
  const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
  return {
    mode,
    cameras,
    detectorThreads: threads,
    rssMb: mb(samples.reduce((a, b) => a + b, 0) / samples.length),
    rssBeforeMb: mb(rss0),
    fpsPerCamera: health.map((h) => Math.round((h.framesProcessed / seconds) * 10) / 10),
    framesDropped: health.reduce((n, h) => n + h.framesDropped, 0),
    detectorLatencyP50Ms: Math.max(...health.map((h) => h.detectorLatencyMs.p50)),
  };
}

function runChild(mode: Mode, cameras: number, seconds: number) {
  const out = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      '--child',
      mode,
      '--cameras',
      String(cameras),
      '--seconds',
      String(seconds),
      '--json',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as Awaited<ReturnType<typeof child>>;
}

async function main(): Promise<void> {
  const o = new Command()
    .name('bench:detectors')
    .option('--cameras <n>', 'cameras on the box', '4')
    .option('--seconds <n>', 'seconds each mode runs', '20')
    .option('--child <mode>', 'internal: run one mode in this process')
    .option('--json', 'print only the JSON result')
    .parse(process.argv)
    .opts<{ cameras: string; seconds: string; child?: Mode; json?: boolean }>();
  const cameras = Number(o.cameras);
  const seconds = Number(o.seconds);
  if (o.child) {
    console.log(JSON.stringify(await child(o.child, cameras, seconds)));
    return;
  }
  const say = (s: string) => o.json || console.log(s);
  say(`${cameras} cameras at 10 fps, ${seconds} s per mode, each mode in a fresh process …`);
  const shared = runChild('shared', cameras, seconds);
  say(`  shared    ${JSON.stringify(shared)}`);
  const separate = runChild('separate', cameras, seconds);
  say(`  separate  ${JSON.stringify(separate)}`);
  const saved = separate.rssMb - shared.rssMb;
  say(`  sharing saves ${saved.toFixed(1)} MB resident (${((saved / separate.rssMb) * 100).toFixed(1)} %)`);
  console.log(JSON.stringify({ shared, separate, savedMb: Math.round(saved * 10) / 10 }));
}

await main();
