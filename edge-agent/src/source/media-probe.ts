import { execFile } from 'node:child_process';
import { isCameraSourceUrl } from '@tally/proto';
import { redactSecrets } from '@tally/proto/log';
import { sourceKind, redactUrl } from './source-kind';

export interface MediaInfo {
  width: number;
  height: number;
  /** Frames per second of the video stream, when ffprobe knows it. */
  fps?: number;
  /** Length in seconds, for a file (a live stream has none): the progress bar's total. */
  durationS?: number;
}

/** The size and rate of a file's or stream's first video stream, from ffprobe (next to ffmpeg). */
export function probeMedia(url: string, timeoutMs = 15_000): Promise<MediaInfo> {
  const ffprobe = (process.env.TALLY_FFMPEG ?? '/usr/bin/ffmpeg').replace(/ffmpeg$/, 'ffprobe');
  if (!isCameraSourceUrl(url)) {
    return Promise.reject(
      new Error(`cannot read ${JSON.stringify(redactUrl(url))}: not a camera URL, a device or a video file`),
    );
  }
  const args = [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=width,height,r_frame_rate:format=duration',
  ];
  if (sourceKind(url) === 'rtsp') args.push('-rtsp_transport', 'tcp');
  // The URL as the value of -i, never a bare argument that could be read as an option.
  args.push('-of', 'json', '-i', url);
  return new Promise((resolve, reject) => {
    execFile(ffprobe, args, { timeout: timeoutMs }, (err, stdout, stderr) => {
      const probed = !err ? (JSON.parse(stdout || '{}') as ProbeOutput) : undefined;
      const stream = probed?.streams?.[0];
      if (err || !stream || typeof stream.width !== 'number') {
        const why =
          (err as NodeJS.ErrnoException | null)?.code === 'ENOENT'
            ? `ffprobe not found at ${ffprobe}: install it with \`apt-get install ffmpeg\``
            : stderr.trim().split('\n').pop() || (err ? err.message : 'no video stream');
        // ffprobe names the input, credentials included, in its messages.
        return reject(new Error(`cannot read ${redactUrl(url)}: ${redactSecrets(why)}`));
      }
      const [num, den] = String(stream.r_frame_rate ?? '')
        .split('/')
        .map(Number);
      const fps = num && den ? num / den : undefined;
      const durationS = Number(probed?.format?.duration);
      resolve({
        width: stream.width,
        height: stream.height as number,
        ...(fps ? { fps } : {}),
        ...(durationS > 0 ? { durationS } : {}),
      });
    });
  });
}

interface ProbeOutput {
  streams?: Record<string, unknown>[];
  format?: { duration?: string };
}
