import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@tally/proto/log';
import { FfmpegFrameSource } from '../../src/source/ffmpeg-frame-source';
import { probeMedia } from '../../src/source/media-probe';
import type { SourceState } from '../../src/source/frame-source';
import { waitFor } from '../helpers/rtsp-server';

/** A local TCP port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/**
 * Regression of issue 9 item 3 on the edge: ffmpeg names its input, credentials included, in the error lines the
 * source logs. The agent's logger (proto's createLogger, what `tally-edge run` uses) must write none of them.
 */
describe("the edge agent's logs keep camera credentials out", () => {
  it('logs ffmpeg errors about an RTSP camera without its user name or password', async () => {
    const lines: string[] = [];
    const log = createLogger('camera', 'debug', { write: (line: string) => lines.push(line) });
    const url = `rtsp://camadmin:cam-pw-71d2@127.0.0.1:${await closedPort()}/stream`;
    const src = new FfmpegFrameSource({
      url,
      fps: 10,
      width: 64,
      height: 48,
      log,
      backoffInitialMs: 100,
      backoffMaxMs: 200,
    });
    const states: SourceState[] = [];
    src.onState((s) => states.push(s));
    src.start();
    try {
      await waitFor(
        () => lines.some((l) => l.includes('"ffmpeg":') && l.includes('rtsp://')),
        20_000,
        'a logged ffmpeg line naming the camera',
      );
    } finally {
      await src.stop();
    }
    const text = lines.join('');
    expect(text).not.toContain('cam-pw-71d2');
    expect(text).not.toContain('camadmin');
    expect(text).toContain('rtsp://[REDACTED]@127.0.0.1');
  });

  it('probes a stream without putting its credentials in the error, and never takes a URL as an option', async () => {
    const url = `rtsp://camadmin:cam-pw-71d2@127.0.0.1:${await closedPort()}/stream`;
    const error = await probeMedia(url).catch((err: Error) => err);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^cannot read rtsp:\/\/\*\*\*@127\.0\.0\.1/);
    expect((error as Error).message).not.toContain('cam-pw-71d2');
    // ffprobe would print its version and exit 0 for "-version"; it is refused before ffprobe runs.
    await expect(probeMedia('-version')).rejects.toThrow(/not a camera URL/);
  });
});
