import { describe, expect, it } from 'vitest';
import { ffmpegArgs } from '../../src/source/ffmpeg-args';
import { failureReason, isCorruptFrameLine } from '../../src/source/ffmpeg-stderr';
import { redactUrl, sourceKind } from '../../src/source/source-kind';

describe('ffmpeg command lines per source kind', () => {
  const base = { fps: 5, width: 416, height: 312 };
  const inputOpts = (url: string, extra = {}) => {
    const args = ffmpegArgs({ url, ...base, ...extra });
    return args.slice(0, args.indexOf('-i') + 2);
  };

  it('RTSP over TCP with a socket timeout', () => {
    const a = inputOpts('rtsp://cam/stream', { ioTimeoutMs: 3000 });
    expect(a.join(' ')).toContain('-rtsp_transport tcp -timeout 3000000');
    expect(inputOpts('rtsp://cam/s', { rtspTransport: 'udp' }).join(' ')).toContain('-rtsp_transport udp');
  });

  it('HTTP with an I/O timeout, V4L2 devices, files looped and paced on request', () => {
    expect(inputOpts('http://cam/mjpeg').join(' ')).toContain('-rw_timeout 5000000');
    expect(inputOpts('/dev/video0').join(' ')).toContain('-f v4l2 -i /dev/video0');
    expect(inputOpts('/v/a.mp4', { loop: true, realtime: true }).join(' ')).toContain(
      '-re -stream_loop -1 -i /v/a.mp4',
    );
    expect(inputOpts('/v/a.mp4').join(' ')).not.toMatch(/-re |stream_loop/);
  });

  it('refuses a source that is not a camera URL, a device or a video file, before ffmpeg sees it', () => {
    for (const url of ['-f', '-i /etc/passwd', 'file:///etc/passwd', '/etc/passwd', 'concat:/a.avi|/b.avi']) {
      expect(() => ffmpegArgs({ url, ...base })).toThrow(/refusing camera source/);
    }
    expect(() => ffmpegArgs({ url: 'rtsp://user:pw-secret@cam/s', ...base })).not.toThrow();
  });

  it('names the URL as the value of -i, and allows only the protocols of its kind', () => {
    const rtsp = ffmpegArgs({ url: 'rtsp://cam/s', ...base });
    expect(rtsp[rtsp.indexOf('-i') + 1]).toBe('rtsp://cam/s');
    expect(rtsp[rtsp.indexOf('-protocol_whitelist') + 1]).toBe('rtsp,rtsps,rtp,srtp,udp,tcp,tls');
    const file = ffmpegArgs({ url: '/v/a.mp4', ...base });
    expect(file[file.indexOf('-protocol_whitelist') + 1]).toBe('file');
  });

  it('decodes to raw BGR24 on stdout at the configured rate and size (ffmpeg scales)', () => {
    const a = ffmpegArgs({ url: '/v/a.mp4', ...base });
    expect(a.slice(a.indexOf('-vf'))).toEqual([
      '-vf',
      'fps=5,scale=416:312:flags=bilinear,format=bgr24',
      ...['-f', 'rawvideo', '-pix_fmt', 'bgr24', 'pipe:1'],
    ]);
  });

  it('classifies URLs and keeps credentials out of logs', () => {
    expect(['rtsp://a', 'https://b', '/dev/video2', 'clip.avi', '/dev/videox'].map(sourceKind)).toEqual([
      'rtsp',
      'http',
      'v4l2',
      'file',
      'file',
    ]);
    expect(redactUrl('rtsp://admin:secret@10.0.0.2:554/s')).toBe('rtsp://***@10.0.0.2:554/s');
  });
});

describe('ffmpeg stderr', () => {
  it('keeps camera credentials out of the reason (it goes into heartbeats and the API)', () => {
    const line = 'rtsp://admin:s3cret-pw@10.0.0.2:554/s: Connection refused';
    const reason = failureReason([line], 1);
    expect(reason).toContain('rtsp://[REDACTED]@10.0.0.2:554/s');
    expect(reason).not.toContain('s3cret-pw');
  });

  it('turns the last error into a reason a person can act on', () => {
    expect(
      failureReason(
        [
          '[tcp @ 0x1] Connection to tcp://10.0.0.2:554 failed: Connection refused',
          'rtsp://x: Connection refused',
        ],
        1,
      ),
    ).toMatch(/^connection refused: is the camera or server running/);
    expect(failureReason(['[rtsp @ 0x1] method DESCRIBE failed: 401 Unauthorized'], 1)).toMatch(
      /^authentication failed/,
    );
    expect(failureReason(['/x/clip.mp4: No such file or directory'], 1)).toMatch(/^file or device not found/);
    expect(failureReason([], 255)).toBe('ffmpeg exited with code 255 without an error message');
  });

  it('recognises damaged-frame complaints, which are not fatal', () => {
    expect(isCorruptFrameLine('[h264 @ 0x1] error while decoding MB 12 7, bytestream -5')).toBe(true);
    expect(isCorruptFrameLine('[msmpeg4 @ 0x1] ignoring overflow at 17 16')).toBe(true);
    expect(isCorruptFrameLine('[rtsp @ 0x1] max delay reached. need to consume packet')).toBe(false);
  });
});
