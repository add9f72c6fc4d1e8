import { spawn, type ChildProcess } from 'node:child_process';
import { ffmpegPath } from '../source/ffmpeg-binary';

/** Encodes one BGR24 frame to JPEG with ffmpeg (snapshots are rare: a process per snapshot is fine). */
export function encodeJpeg(bgr: Uint8Array, width: number, height: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      ffmpegPath(),
      [
        ...['-hide_banner', '-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', 'bgr24'],
        ...['-s', `${width}x${height}`, '-i', 'pipe:0', '-frames:v', '1', '-q:v', '4'],
        ...['-f', 'image2pipe', '-c:v', 'mjpeg', 'pipe:1'],
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`JPEG encoding failed: ${err.trim()}`)),
    );
    child.stdin.on('error', () => undefined);
    child.stdin.end(bgr);
  });
}

/**
 * Writes BGR24 frames into a video file through ffmpeg: libx264 when this ffmpeg has it, else MPEG-4 part 2.
 * `write` waits when ffmpeg is behind, so frames never pile up in memory.
 */
export class VideoWriter {
  private readonly child: ChildProcess;
  private readonly closed: Promise<number | null>;
  private stderr = '';

  constructor(
    path: string,
    width: number,
    height: number,
    fps: number,
    codec: 'libx264' | 'mpeg4' = 'libx264',
  ) {
    const enc =
      codec === 'libx264'
        ? ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '26']
        : ['-c:v', 'mpeg4', '-q:v', '5'];
    this.child = spawn(
      ffmpegPath(),
      [
        ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'bgr24'],
        ...['-s', `${width}x${height}`, '-r', String(fps), '-i', 'pipe:0'],
        ...enc,
        ...['-pix_fmt', 'yuv420p', path],
      ],
      { stdio: ['pipe', 'ignore', 'pipe'] },
    );
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.child.stdin!.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      this.child.on('error', () => resolve(-1));
      this.child.on('close', (code) => resolve(code));
    });
  }

  async write(bgr: Uint8Array): Promise<void> {
    if (this.child.stdin!.write(bgr)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.child.stdin!.off('drain', done);
        this.child.off('close', done);
        resolve();
      };
      this.child.stdin!.once('drain', done);
      this.child.once('close', done);
    });
  }

  async close(): Promise<void> {
    this.child.stdin!.end();
    const code = await this.closed;
    if (code !== 0) throw new Error(`video encoding failed (ffmpeg exit ${code}): ${this.stderr.trim()}`);
  }
}

/** Whether this ffmpeg build has an encoder. */
export async function hasEncoder(name: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(ffmpegPath(), ['-hide_banner', '-encoders'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', () => resolve(false));
    child.on('close', () => resolve(new RegExp(`\\s${name}\\s`).test(out)));
  });
}
