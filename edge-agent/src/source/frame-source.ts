import type { CameraState } from '@tally/proto';
import type { Frame } from '../vision/types';

/**
 * A camera or video as a stream of decoded frames (packed BGR24 at a fixed size).
 *
 * Pull API: the consumer loops on `next()`, which resolves with the newest frame, or null once the source has
 * stopped for good (a video that ended, or `stop()`). A frame stays valid until the second `next()` call after it (so
 * a pipeline can track one frame while the next is in inference): its buffer is reused, so copy it to keep it. State changes are pushed to `onState` listeners; a source never throws
 * or emits 'error' for a stream problem: it reports it as a state with a reason and reconnects (live sources).
 */
export interface FrameSource {
  start(): void;
  stop(): Promise<void>;
  next(): Promise<Frame | null>;
  state(): SourceState;
  /** Registers a listener; returns the function that removes it. */
  onState(listener: (s: SourceState) => void): () => void;
  stats(): SourceStats;
}

export interface SourceState {
  state: CameraState;
  /** Why it is not live (failed, stalled, connecting after a failure). */
  reason?: string;
}

export interface SourceStats {
  /** Frames decoded and delivered to the mailbox. */
  framesDecoded: number;
  /** Stale frames overwritten because the consumer was busy (live sources only). */
  framesDropped: number;
  /** Complaints of the decoder about damaged frame data (skipped or concealed; one frame can cause many). */
  decodeErrors: number;
  reconnects: number;
  lastFrameAt?: number;
}
