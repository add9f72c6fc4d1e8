import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assets, requireAsset } from '@tally/proto/assets';

/** A temp directory for one test file's outputs. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tally-${prefix}-`));
}

/** A short copy of vtest.avi (stream copy, no re-encode) so tests stay seconds long. */
export function vtestClip(dir: string, seconds: number, startS = 0): string {
  const out = join(dir, `vtest-${startS}-${seconds}s.avi`);
  execFileSync('/usr/bin/ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-ss', String(startS)],
    ...['-i', requireAsset(assets.video()), '-t', String(seconds), '-c', 'copy', out],
  ]);
  return out;
}

/** A copy of `file` with a run of bytes in its middle overwritten by garbage: damaged frames, intact container. */
export function corruptCopy(file: string, dir: string): string {
  const data = readFileSync(file);
  let seed = 7;
  for (let off = Math.floor(data.length / 3); off < data.length / 3 + 4000; off += 7) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    data[off] = seed & 0xff;
  }
  const out = join(dir, 'corrupt.avi');
  writeFileSync(out, data);
  return out;
}

/** One frame of vtest.avi as packed BGR24, at its own size (768×576) or scaled by ffmpeg. */
export function vtestFrame(
  index: number,
  size = { width: 768, height: 576 },
): { data: Uint8Array; width: number; height: number } {
  const filter = `select=eq(n\\,${index}),scale=${size.width}:${size.height}:flags=bilinear`;
  const data = execFileSync(
    '/usr/bin/ffmpeg',
    [
      ...['-hide_banner', '-loglevel', 'error', '-i', requireAsset(assets.video())],
      ...['-vf', filter, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'bgr24', 'pipe:1'],
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), ...size };
}
