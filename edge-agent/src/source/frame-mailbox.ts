/**
 * A one-slot mailbox between a frame producer (ffmpeg's stdout) and one consumer (the detector loop), over a fixed
 * pool of four frame buffers: one being filled, one waiting in the slot, and the two newest the consumer took (the
 * pipeline has one frame in inference while it tracks the one before). No buffer is allocated after construction.
 *
 * Two policies:
 * - `latest` (live cameras): when the consumer is slower than the camera, the waiting frame is overwritten by the
 *   newer one and counted as dropped. Memory stays bounded and the detector always sees the newest frame.
 * - `every` (files analysed offline): the producer waits for the consumer instead (backpressure), so no frame
 *   is skipped.
 *
 * A frame handed to the consumer stays valid until the second `take()` after it; copy it to keep it longer.
 */
export type MailboxPolicy = 'latest' | 'every';

/** Frames the consumer may hold at once. */
const HELD = 2;

export interface FrameMeta {
  ts: number;
  index: number;
}

export class FrameMailbox {
  private readonly free: Uint8Array[] = [];
  private slot: { data: Uint8Array; meta: FrameMeta } | null = null;
  /** Buffers the consumer took, oldest first; at most HELD. */
  private readonly held: Uint8Array[] = [];
  private dropped = 0;
  private onSpace: (() => void) | null = null;

  constructor(
    readonly frameBytes: number,
    readonly policy: MailboxPolicy,
  ) {
    for (let i = 0; i < HELD + 2; i++) this.free.push(new Uint8Array(frameBytes));
  }

  /** A buffer to fill, or null when the policy is `every` and the consumer has not caught up (wait for space). */
  acquire(): Uint8Array | null {
    // `every`: one frame decoded ahead is enough overlap; more would only be dropped or queued.
    if (this.policy === 'every' && this.slot) return null;
    const buf = this.free.pop();
    if (buf) return buf;
    if (this.slot) {
      const stale = this.slot.data;
      this.slot = null;
      this.dropped++;
      return stale;
    }
    return null;
  }

  /** Puts a filled buffer in the slot (returning a stale waiting one to the pool under `latest`). */
  publish(data: Uint8Array, meta: FrameMeta): void {
    if (this.slot) {
      // Only reachable under `latest`: acquire() found a free buffer while a frame was still waiting.
      this.free.push(this.slot.data);
      this.dropped++;
    }
    this.slot = { data, meta };
  }

  /** The waiting frame, if any; the oldest buffer the consumer held goes back to the pool. */
  take(): { data: Uint8Array; meta: FrameMeta } | null {
    const got = this.slot;
    if (!got) return null;
    this.slot = null;
    if (this.held.length === HELD) this.free.push(this.held.shift()!);
    this.held.push(got.data);
    const wake = this.onSpace;
    this.onSpace = null;
    wake?.();
    return got;
  }

  /** Calls `cb` once the next time a buffer is freed by `take()` (the producer resumes then). */
  whenSpace(cb: () => void): void {
    this.onSpace = cb;
  }

  hasFrame(): boolean {
    return this.slot !== null;
  }

  droppedCount(): number {
    return this.dropped;
  }

  /** Returns a buffer the producer acquired but will not fill (a truncated last frame). */
  release(data: Uint8Array): void {
    this.free.push(data);
  }
}
