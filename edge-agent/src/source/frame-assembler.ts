import type { FrameMailbox } from './frame-mailbox';

/**
 * Cuts ffmpeg's raw byte stream into whole frames, copying each chunk straight into a pooled frame buffer (one copy,
 * no allocation). When the mailbox has no buffer to give (policy `every`), `push` keeps the rest of the chunk and
 * returns false: the caller pauses the stream and calls `resume()` when space frees up.
 */
export class FrameAssembler {
  private current: Uint8Array | null = null;
  private offset = 0;
  private pending: Uint8Array | null = null;

  constructor(
    private readonly mailbox: FrameMailbox,
    private readonly onComplete: (data: Uint8Array) => void,
  ) {}

  /** Returns false when it had to stop part-way (no free buffer): pause the input until `resume()` is true. */
  push(chunk: Uint8Array): boolean {
    const size = this.mailbox.frameBytes;
    let pos = 0;
    while (pos < chunk.length) {
      if (!this.current) {
        this.current = this.mailbox.acquire();
        if (!this.current) {
          this.pending = chunk.subarray(pos);
          return false;
        }
        this.offset = 0;
      }
      const n = Math.min(size - this.offset, chunk.length - pos);
      this.current.set(chunk.subarray(pos, pos + n), this.offset);
      this.offset += n;
      pos += n;
      if (this.offset === size) {
        const done = this.current;
        this.current = null;
        this.offset = 0;
        this.onComplete(done);
      }
    }
    this.pending = null;
    return true;
  }

  /** Continues with the bytes kept by a `push` that returned false. */
  resume(): boolean {
    const rest = this.pending;
    this.pending = null;
    return rest ? this.push(rest) : true;
  }

  /** Bytes of an incomplete frame at the end of a stream (a truncated last frame); then starts clean. */
  reset(): number {
    const partial = this.current ? this.offset : 0;
    if (this.current) this.mailbox.release(this.current);
    this.current = null;
    this.offset = 0;
    this.pending = null;
    return partial;
  }
}
