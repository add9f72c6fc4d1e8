import type { MessagePort } from 'node:worker_threads';
import type { ModelInfo, ModelSpec } from './onnx-model';

/** What the detector thread is started with. */
export interface DetectorThreadInit {
  /** URL of the TypeScript module the .mjs boot entry imports. */
  entry: string;
  spec: ModelSpec;
  /** The owner's log level, so the thread logs like its owner. */
  logLevel: string;
}

/** Service (owner thread) → detector thread. */
/**
 * `abort` ends the thread between two runs, as a crash would. Never `Worker.terminate()` while the model runs:
 * ONNX Runtime's binding then throws a C++ exception on its way out of `run` and that aborts the whole process.
 */
export type ToDetectorThread =
  { type: 'connect'; port: MessagePort } | { type: 'close' } | { type: 'abort'; exitCode: number };

/** Detector thread → service. */
export type FromDetectorThread =
  /** `threadId`: the thread's kernel thread id (Linux), so a benchmark can read its CPU time. */
  | { type: 'ready'; info: ModelInfo; threadId?: number }
  | { type: 'failed'; message: string }
  | { type: 'closed' };

/**
 * Client (a camera's thread) → detector thread, over the client's own MessagePort. The client letterboxes each
 * frame into one of its input slots, memory shared with the detector thread (`input`, sent with a slot's first
 * request only), and names the slot; the slot is the client's again when the answer comes. The model's raw output
 * comes back transferred (not copied) and the client decodes it — the detector thread only runs the model.
 *
 * Why shared slots: a transferred buffer is a new allocation to V8 each time it arrives, 1.6 MB per frame in each
 * direction, and that churn alone set off a full garbage collection every dozen frames in each camera's thread.
 */
export type DetectorRequest =
  | { type: 'run'; id: number; slot: number; input?: SharedArrayBuffer }
  | { type: 'infer-only'; id: number; runs: number };

/** Detector thread → client. */
export type DetectorReply =
  | { type: 'output'; id: number; slot: number; output: ArrayBuffer; inferenceMs: number }
  | { type: 'error'; id: number; slot?: number; message: string }
  | { type: 'infer-only'; id: number; seconds: number };

/** A connection to a detector thread, handed to a camera's thread: a port and what it needs to know up front. */
export interface DetectorLink {
  port: MessagePort;
  info: ModelInfo;
}
