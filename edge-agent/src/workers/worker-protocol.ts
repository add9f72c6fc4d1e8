import type { CameraConfig, CameraHealth, OccupancySample } from '@tally/proto';
import type { DetectorLink } from '../detect/detector-protocol';
import type { HistogramSnapshot } from '../health/latency-histogram';
import type { CountEventDraft } from '../vision/types';

/** What a camera worker is started with. */
export interface WorkerInit {
  /** URL of the TypeScript worker module the .mjs boot entry imports. */
  entry: string;
  camera: CameraConfig;
  /** The connection to the box's detector thread for this camera's model (its port is transferred). */
  detector: DetectorLink;
  /** Hardware decoder arguments for network cameras (see source/hw-decode.ts). */
  decodeArgs?: string[];
}

/** Main thread → camera worker. */
export type ToWorker =
  { type: 'start' } | { type: 'stop' } | { type: 'restart'; id: number } | { type: 'snapshot'; id: number };

/** Camera worker → main thread. */
export type FromWorker =
  /** `threadId`: the worker's kernel thread id (Linux), so a benchmark can read its CPU time. */
  | { type: 'ready'; executionProvider: string; threadId?: number }
  | { type: 'events'; drafts: CountEventDraft[] }
  | { type: 'occupancy'; samples: OccupancySample[] }
  | { type: 'health'; health: CameraHealth; latency: HistogramSnapshot }
  | { type: 'reply'; id: number; jpeg?: Uint8Array; error?: string }
  | { type: 'stopped' };
