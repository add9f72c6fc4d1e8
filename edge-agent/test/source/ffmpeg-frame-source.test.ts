import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assets } from '@tally/proto/assets';
import { FfmpegFrameSource, type FfmpegSourceOptions } from '../../src/source/ffmpeg-frame-source';
import type { SourceState } from '../../src/source/frame-source';
import { corruptCopy, tempDir, vtestClip } from '../helpers/media';
import { startRtspServer, waitFor, type RtspServer } from '../helpers/rtsp-server';

const W = 192;
const H = 144;

function collectingLog() {
  const lines: { msg: string; [k: string]: unknown }[] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  return { log, lines };
}

function source(url: string, extra: Partial<FfmpegSourceOptions> = {}) {
  const { log, lines } = collectingLog();
  const src = new FfmpegFrameSource({ url, fps: 10, width: W, height: H, log, ...extra });
  const states: SourceState[] = [];
  src.onState((s) => states.push(s));
  return { src, states, lines };
}

async function drain(src: FfmpegFrameSource) {
  const frames: { index: number; ts: number; bytes: number }[] = [];
  for (let f = await src.next(); f; f = await src.next()) {
    frames.push({ index: f.index, ts: f.ts, bytes: f.data.length });
  }
  return frames;
}

/** A local TCP port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('FfmpegFrameSource on files', () => {
  const dir = tempDir('source');
  let clip: string;
  beforeAll(() => {
    clip = vtestClip(dir, 2);
  });

  it('delivers every frame of a video at the configured size, stamped start + pts, then stops cleanly', async () => {
    const { src, states } = source(clip);
    const before = Date.now();
    src.start();
    const frames = await drain(src);
    expect(frames.map((f) => f.index)).toEqual([...Array(20).keys()]);
    expect(frames.every((f) => f.bytes === W * H * 3)).toBe(true);
    const t0 = frames[0]!.ts;
    expect(t0).toBeGreaterThanOrEqual(before);
    expect(frames.map((f) => f.ts - t0)).toEqual([...Array(20).keys()].map((i) => i * 100));
    expect(src.state()).toEqual({ state: 'stopped', reason: 'end of video' });
    expect(states.map((s) => s.state)).toEqual(['connecting', 'live', 'stopped']);
    expect(src.stats().framesDropped).toBe(0);
  });

  it('loops a video when asked, with timestamps that keep increasing', async () => {
    const { src } = source(clip, { loop: true });
    src.start();
    const ts: number[] = [];
    for (let i = 0; i < 45; i++) ts.push((await src.next())!.ts);
    await src.stop();
    expect(ts.every((t, i) => i === 0 || t > ts[i - 1]!)).toBe(true);
    expect(src.state().state).toBe('stopped');
  });

  it('skips damaged frame data with a log line and carries on to the end', async () => {
    const { src, lines } = source(corruptCopy(clip, dir));
    src.start();
    const frames = await drain(src);
    expect(frames.length).toBeGreaterThan(10);
    expect(src.state().state).toBe('stopped');
    expect(src.stats().decodeErrors).toBeGreaterThan(0);
    expect(lines.some((l) => l.msg.startsWith('corrupt frame data'))).toBe(true);
  });

  it('a missing file fails with a reason and ends (no exception)', async () => {
    const { src } = source(join(dir, 'nope.mp4'));
    src.start();
    expect(await src.next()).toBeNull();
    expect(src.state().state).toBe('failed');
    expect(src.state().reason).toMatch(/file or device not found/);
  });

  it('a missing ffmpeg says how to install it', async () => {
    const { src } = source(clip, { ffmpegPath: '/nonexistent/ffmpeg' });
    src.start();
    expect(await src.next()).toBeNull();
    expect(src.state()).toMatchObject({ state: 'failed' });
    expect(src.state().reason).toContain('apt-get install ffmpeg');
  });

  it('a realtime source keeps only the newest frame when the consumer is slow, counting the drops', async () => {
    const { src } = source(assets.video(), { realtime: true });
    src.start();
    await src.next();
    await waitFor(() => src.stats().framesDropped >= 3, 20_000, 'dropped frames');
    const f = await src.next();
    // The frame handed over is the newest decoded one, not the oldest waiting.
    expect(f!.index).toBe(src.stats().framesDecoded - 1);
    await src.stop();
  });
});

describe('FfmpegFrameSource on RTSP (GStreamer RTSP server on 127.0.0.1)', () => {
  let server: RtspServer | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it('goes live, leaves live with a reason when the server dies, and is live again after it returns', async () => {
    server = await startRtspServer(assets.video());
    const { src, states } = source(server.url, {
      stallMs: 1500,
      ioTimeoutMs: 2000,
      backoffInitialMs: 200,
      backoffMaxMs: 1000,
    });
    src.start();
    const first = await src.next();
    expect(first!.data.length).toBe(W * H * 3);
    expect(src.state().state).toBe('live');
    // Live sources are stamped with the wall clock.
    expect(Math.abs(first!.ts - Date.now())).toBeLessThan(5000);

    const port = server.port;
    await server.stop();
    await waitFor(() => src.state().state !== 'live', 15_000, 'the source to leave live');
    await waitFor(() => states.some((s) => s.state !== 'live' && !!s.reason), 15_000, 'a reason');

    server = await startRtspServer(assets.video(), port);
    const liveBefore = states.filter((s) => s.state === 'live').length;
    await waitFor(
      () => states.filter((s) => s.state === 'live').length > liveBefore,
      30_000,
      'live again after the server restarted',
    );
    expect(src.stats().reconnects).toBeGreaterThan(0);
    await src.stop();
    expect(src.state().state).toBe('stopped');
  });

  it('a stream that goes silent without closing is reported stalled, and live again when data flows', async () => {
    const frozen = await startRtspServer(assets.video());
    try {
      const { src, states } = source(frozen.url, { stallMs: 1000, ioTimeoutMs: 20_000 });
      src.start();
      expect(await src.next()).not.toBeNull();
      frozen.freeze();
      await waitFor(() => src.state().state === 'stalled', 15_000, 'stalled');
      expect(src.state().reason).toMatch(/^no frame for \d+ s$/);
      frozen.thaw();
      await waitFor(() => src.state().state === 'live', 15_000, 'live again');
      expect(states.map((s) => s.state)).toContain('stalled');
      await src.stop();
    } finally {
      frozen.thaw();
      await frozen.stop();
    }
  });

  it('a broken URL fails with a clear reason, keeps retrying, and the process lives on', async () => {
    const { src, states } = source(`rtsp://127.0.0.1:${await closedPort()}/nothing`, {
      backoffInitialMs: 100,
      backoffMaxMs: 200,
    });
    src.start();
    await waitFor(
      () => states.filter((s) => s.state === 'failed').length >= 2,
      20_000,
      'two failed attempts',
    );
    const failed = states.find((s) => s.state === 'failed')!;
    expect(failed.reason).toMatch(/connection refused/);
    await src.stop();
    expect(src.state().state).toBe('stopped');
  });
});

describe('FfmpegFrameSource on HTTP (an MJPEG stream served on 127.0.0.1)', () => {
  let server: Server | undefined;
  const encoders: ChildProcess[] = [];
  afterAll(async () => {
    encoders.forEach((e) => e.kill('SIGKILL'));
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  it('reads multipart MJPEG over HTTP as a live source', async () => {
    // Each client gets vtest.avi re-encoded by ffmpeg as multipart/x-mixed-replace JPEG frames, like an IP camera.
    server = createHttpServer((_req, res) => {
      const enc = spawn('/usr/bin/ffmpeg', [
        ...['-hide_banner', '-loglevel', 'error', '-re', '-i', assets.video()],
        ...['-f', 'mpjpeg', '-q:v', '5', 'pipe:1'],
      ]);
      encoders.push(enc);
      res.writeHead(200, { 'Content-Type': 'multipart/x-mixed-replace;boundary=ffmpeg' });
      enc.stdout.pipe(res);
      res.on('close', () => enc.kill('SIGKILL'));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const { src } = source(`http://127.0.0.1:${port}/mjpeg`);
    src.start();
    const frame = await src.next();
    expect(frame!.data.length).toBe(W * H * 3);
    expect(src.state().state).toBe('live');
    await src.stop();
  });
});
