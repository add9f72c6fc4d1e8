import type { CameraConfig, CameraHealth } from '@tally/proto';
import { LatencyHistogram } from '../../src/health/latency-histogram';
import type {
  CameraRunner,
  CameraRunnerFactory,
  CameraSink,
  ResolvedModel,
} from '../../src/workers/camera-runner';
import { draft } from './drafts';

/** A tiny valid JPEG (8×8 white, made by ffmpeg): what a snapshot carries when no video is decoded. */
export const TINY_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAgAAAQABAAD//gAQTGF2YzU5LjM3LjEwMAD/2wBDAAgEBAQEBAUFBQUFBQYGBgYGBgYGBgYGBgYHBwcICAgHBwcGBgcHCAgICAkJCQgICAgJCQoKCgwMCwsODg4RERT/xABLAAEBAAAAAAAAAAAAAAAAAAAABwEBAAAAAAAAAAAAAAAAAAAAABABAAAAAAAAAAAAAAAAAAAAABEBAAAAAAAAAAAAAAAAAAAAAP/AABEIAAgACAMBIgACEQADEQD/2gAMAwEAAhEDEQA/AL+AD//Z',
  'base64',
);

export interface SyntheticCamera {
  camera: CameraConfig;
  model: ResolvedModel;
  generation: number;
  prepared: boolean;
  started: boolean;
  stopped: boolean;
  restarts: number;
  emit(n: number): void;
}

/**
 * An in-process stand-in for a camera pipeline, for the tests of what surrounds the pipeline (store, sync, config,
 * commands, health). Why not the real one: those tests assert on exact event counts and lifecycle calls, which a
 * video cannot give deterministically; the real pipeline runs in a worker in test/agent/worker-runner.test.ts.
 * `failPrepare` makes prepare() reject (a model that cannot load).
 */
export function syntheticRunners(
  options: {
    failPrepare?: (camera: CameraConfig, model: ResolvedModel) => string | undefined;
    /** What a camera reports instead of live (e.g. `{state: 'failed', reason}` for a stream that cannot open). */
    health?: (camera: CameraConfig) => Partial<CameraHealth> | undefined;
  } = {},
) {
  const all: SyntheticCamera[] = [];
  let generation = 0;
  let counter = 0;
  const factory: CameraRunnerFactory = (camera, model, sink: CameraSink) => {
    const state: SyntheticCamera = {
      camera,
      model,
      generation: ++generation,
      prepared: false,
      started: false,
      stopped: false,
      restarts: 0,
      emit: (n) => {
        if (!state.started || state.stopped) return;
        sink.onEvents(Array.from({ length: n }, () => draft(++counter, camera.id)));
      },
    };
    all.push(state);
    const latency = new LatencyHistogram();
    [8, 9, 12, 40].forEach((ms) => latency.observe(ms));
    const runner: CameraRunner = {
      cameraId: camera.id,
      prepare: async () => {
        const failure = options.failPrepare?.(camera, model);
        if (failure) throw new Error(failure);
        state.prepared = true;
      },
      start: () => {
        state.started = true;
      },
      stop: async () => {
        state.stopped = true;
      },
      restart: async () => {
        state.restarts++;
      },
      health: (): CameraHealth => ({
        cameraId: camera.id,
        state: state.stopped ? 'stopped' : 'live',
        fps: 10,
        detectorLatencyMs: { p50: 9, p95: 12 },
        framesProcessed: 100,
        framesDropped: 1,
        lastFrameAt: Date.now(),
        ...(state.stopped ? {} : options.health?.(camera)),
      }),
      snapshotJpeg: async () => TINY_JPEG,
      latency: () => latency.snapshot(),
    };
    return runner;
  };
  return {
    factory,
    all,
    /** The live runner of a camera (the newest one not stopped). */
    live: (cameraId: string) => [...all].reverse().find((c) => c.camera.id === cameraId && !c.stopped),
  };
}
