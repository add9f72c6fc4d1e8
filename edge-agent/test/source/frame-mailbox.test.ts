import { describe, expect, it } from 'vitest';
import { FrameAssembler } from '../../src/source/frame-assembler';
import { FrameMailbox } from '../../src/source/frame-mailbox';

describe('FrameMailbox', () => {
  it('latest: a slow consumer gets the newest frame and the stale ones are counted as dropped', () => {
    const box = new FrameMailbox(4, 'latest');
    for (let i = 0; i < 10; i++) {
      const buf = box.acquire()!;
      buf.fill(i);
      box.publish(buf, { ts: i, index: i });
    }
    const got = box.take()!;
    expect(got.meta.index).toBe(9);
    expect([...got.data]).toEqual([9, 9, 9, 9]);
    expect(box.droppedCount()).toBe(9);
    expect(box.take()).toBeNull();
  });

  it('every: the producer gets no buffer until the consumer takes one, and nothing is dropped', () => {
    const box = new FrameMailbox(4, 'every');
    const first = box.acquire()!;
    box.publish(first, { ts: 0, index: 0 });
    expect(box.take()!.meta.index).toBe(0); // held by the consumer
    box.publish(box.acquire()!, { ts: 1, index: 1 }); // waiting in the slot
    expect(box.acquire()).toBeNull(); // one frame ahead is the limit: the producer must wait
    let woke = false;
    box.whenSpace(() => (woke = true));
    expect(box.take()!.meta.index).toBe(1);
    expect(woke).toBe(true);
    expect(box.droppedCount()).toBe(0);
  });

  it('a taken frame stays intact until the second take after it, however fast the producer is', () => {
    const box = new FrameMailbox(2, 'latest');
    const produce = (v: number) => {
      const buf = box.acquire()!;
      buf.fill(v);
      box.publish(buf, { ts: v, index: v });
    };
    produce(1);
    const first = box.take()!;
    produce(2);
    const second = box.take()!;
    // The consumer holds frames 1 and 2 (one in inference, one being tracked) while ffmpeg races ahead.
    for (let v = 3; v < 20; v++) produce(v);
    expect([...first.data]).toEqual([1, 1]);
    expect([...second.data]).toEqual([2, 2]);
    const third = box.take()!; // frame 1's buffer may be reused from now on
    expect(third.meta.index).toBe(19);
    for (let v = 20; v < 30; v++) produce(v);
    expect([...second.data]).toEqual([2, 2]);
    expect([...third.data]).toEqual([19, 19]);
  });
});

describe('FrameAssembler', () => {
  it('cuts a byte stream into whole frames across chunk boundaries', () => {
    const box = new FrameMailbox(6, 'every');
    const frames: number[][] = [];
    const asm = new FrameAssembler(box, (data) => {
      box.publish(data, { ts: 0, index: frames.length });
      frames.push([...box.take()!.data]);
    });
    expect(asm.push(Uint8Array.of(1, 1, 1, 1))).toBe(true);
    expect(asm.push(Uint8Array.of(1, 1, 2, 2, 2, 2, 2, 2, 3))).toBe(true);
    expect(frames).toEqual([
      [1, 1, 1, 1, 1, 1],
      [2, 2, 2, 2, 2, 2],
    ]);
    expect(asm.reset()).toBe(1); // one byte of an incomplete third frame
  });

  it('pauses when no buffer is free and resumes where it stopped', () => {
    const box = new FrameMailbox(2, 'every');
    const asm = new FrameAssembler(box, (data) => box.publish(data, { ts: 0, index: 0 }));
    // Frame 1 waits in the slot: frame 2 must wait for the consumer, and so on; nothing is lost.
    expect(asm.push(Uint8Array.of(1, 1, 2, 2, 3, 3, 4, 4))).toBe(false);
    expect([...box.take()!.data]).toEqual([1, 1]);
    expect(asm.resume()).toBe(false);
    expect([...box.take()!.data]).toEqual([2, 2]);
    expect(asm.resume()).toBe(false);
    expect([...box.take()!.data]).toEqual([3, 3]);
    expect(asm.resume()).toBe(true);
    expect([...box.take()!.data]).toEqual([4, 4]);
    expect(box.droppedCount()).toBe(0);
  });
});
