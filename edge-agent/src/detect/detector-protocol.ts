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
 * Client (a camera's thread) → detector thread, over the client's own MessagePort. `input` is the letterboxed
 * frame, transferred (not copied) and transferred back with the answer, so the client owns it again to fill the
 * next; the model's raw output comes back the same way and the client decodes it — the detector thread only runs
 * the model.
 */
export type DetectorRequest =
  | { type: 'run'; id: number; slot: number; input: ArrayBuffer }
  | { type: 'infer-only'; id: number; runs: number };

/** Detector thread → client. */
export type DetectorReply =
  | {
      type: 'output';
      id: number;
      slot: number;
      input: ArrayBuffer;
      output: ArrayBuffer;
      inferenceMs: number;
      /** Clients connected to the detector thread now (the cameras sharing it). */
      clients: number;
    }
  | { type: 'error'; id: number; slot?: number; input?: ArrayBuffer; message: string }
  | { type: 'infer-only'; id: number; seconds: number };

/** A connection to a detector thread, handed to a camera's thread: a port and what it needs to know up front. */
export interface DetectorLink {
  port: MessagePort;
  info: ModelInfo;
}
