import { isCameraSourceUrl } from '@tally/proto';
import { redactUrl, sourceKind, type SourceKind } from './source-kind';

export interface FfmpegInputOptions {
  url: string;
  /** Frames per second delivered (ffmpeg's fps filter drops or repeats to reach it). */
  fps: number;
  /** Size of the decoded frames; ffmpeg scales, so JavaScript never resizes a full frame. */
  width: number;
  height: number;
  /** Files only: start again at the end. */
  loop?: boolean;
  /** Files only: read at the video's own rate, like a camera (demos); default as fast as the consumer takes. */
  realtime?: boolean;
  rtspTransport?: 'tcp' | 'udp';
  /** ffmpeg decoder threads (default 1; raise for 4K streams). */
  decodeThreads?: number;
  /** Socket I/O timeout for network sources: ffmpeg gives up (and we reconnect) after it. */
  ioTimeoutMs?: number;
  /** Hardware decoder arguments (see hw-decode.ts), used for network cameras (RTSP, HTTP) only. */
  decodeArgs?: readonly string[];
}

const PROTOCOLS: Record<SourceKind, string> = {
  rtsp: 'rtsp,rtsps,rtp,srtp,udp,tcp,tls',
  http: 'http,https,tcp,tls,crypto,httpproxy',
  v4l2: 'file',
  file: 'file',
};

/**
 * The ffmpeg command line that decodes one source to raw BGR24 frames of a fixed size and rate on stdout.
 * Pure: the adapter spawns it. Scaling happens here (in ffmpeg, a separate process) because it is the costliest
 * per-pixel step and would otherwise run on the pipeline's thread.
 */
export function ffmpegArgs(o: FfmpegInputOptions): string[] {
  // The config was validated already; checked again here because this is where a string becomes ffmpeg's input.
  if (!isCameraSourceUrl(o.url)) {
    throw new Error(
      `refusing camera source ${JSON.stringify(redactUrl(o.url))}: expected rtsp(s)://, http(s)://, /dev/videoN ` +
        'or an absolute path to a video file',
    );
  }
  const kind: SourceKind = sourceKind(o.url);
  const timeoutUs = String(Math.round((o.ioTimeoutMs ?? 5000) * 1000));
  const input: string[] = [];
  switch (kind) {
    case 'rtsp':
      input.push('-rtsp_transport', o.rtspTransport ?? 'tcp', '-timeout', timeoutUs);
      input.push('-fflags', 'nobuffer', '-flags', 'low_delay');
      input.push(...(o.decodeArgs ?? []));
      break;
    case 'http':
      input.push('-rw_timeout', timeoutUs, '-fflags', 'nobuffer');
      input.push(...(o.decodeArgs ?? []));
      break;
    case 'v4l2':
      input.push('-f', 'v4l2');
      break;
    case 'file':
      if (o.realtime) input.push('-re');
      if (o.loop) input.push('-stream_loop', '-1');
      break;
  }
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'warning',
    // Drop packets the demuxer flags as corrupt instead of decoding garbage.
    '-fflags',
    '+discardcorrupt',
    // One decoding thread: at camera rates a frame decodes in a few ms, and extra threads would only compete with
    // the detector for the same cores.
    '-threads',
    String(o.decodeThreads ?? 1),
    // Only the protocols this kind of source needs: an HTTP playlist cannot pull in file: or other local inputs.
    '-protocol_whitelist',
    PROTOCOLS[kind],
    ...input,
    // The URL is the value of -i, its own argv element, and (checked above) never starts with "-".
    '-i',
    o.url,
    '-filter_threads',
    '1',
    '-an',
    '-sn',
    '-dn',
    '-vf',
    `fps=${o.fps},scale=${o.width}:${o.height}:flags=bilinear,format=bgr24`,
    '-f',
    'rawvideo',
    '-pix_fmt',
    'bgr24',
    'pipe:1',
  ];
}
