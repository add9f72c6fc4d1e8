import type { CameraConfig, CameraHealth, OccupancySample } from '@tally/proto';
import type { HistogramSnapshot } from '../health/latency-histogram';
import type { CountEventDraft } from '../vision/types';

/**
 * One camera's pipeline as the agent sees it, whatever runs it (a worker thread in production, an in-process
 * stand-in in tests). Two-phase start so a config change can load a new model before the old one stops:
 * `prepare()` loads the detector and rejects when it cannot; `start()` begins reading frames.
 */
export interface CameraRunner {
  readonly cameraId: string;
  prepare(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
  restart(): Promise<void>;
  health(): CameraHealth;
  /** JPEG of the current frame with the camera's lines and zones drawn. */
  snapshotJpeg(): Promise<Buffer>;
  /** Detector latency histogram since start (absent: the runner does not measure it). */
  latency?(): HistogramSnapshot | undefined;
}

/** Where a camera's output goes: the store, in one transaction per call. */
export interface CameraSink {
  onEvents(drafts: CountEventDraft[]): void;
  onOccupancy(samples: OccupancySample[]): void;
}

/** The detector model a camera runs, resolved to a file on this box. */
export interface ResolvedModel {
  id: string;
  path: string;
  layout: 'yolox' | 'yolov8';
  classNames?: string[];
  executionProviders?: string[];
}

export type CameraRunnerFactory = (
  camera: CameraConfig,
  model: ResolvedModel,
  sink: CameraSink,
) => CameraRunner;
