import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptured } from '@tally/proto/cli';
import { buildProgram } from '../../src/cli/main';
import { tempDir, vtestClip } from '../helpers/media';

const run = (args: string[]) => runCaptured(buildProgram(), ['node', 'tally-edge', ...args]);

describe('tally-edge count', () => {
  const dir = tempDir('count');
  const clip = vtestClip(dir, 2);

  it('runs the whole pipeline and prints JSON with frames, fps, stage timings, counts and events; --annotate writes a video', async () => {
    const out = join(dir, 'annotated.mp4');
    const r = await run([
      ...['count', clip, '--json', '--max-frames', '15', '--annotate', out],
      ...['--line', 'door:400,100,400,350', '--zone', 'path:300,150;700,150;700,300;300,300'],
    ]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(result.frames).toBe(15);
    expect(result.fps).toBeGreaterThan(0);
    expect(result.size).toEqual({ width: 768, height: 576 });
    for (const stage of ['decode', 'preprocess', 'inference', 'postprocess', 'track', 'count']) {
      expect(result.stages[stage]).toEqual({ median: expect.any(Number), p95: expect.any(Number) });
    }
    expect(result.counts.door).toEqual({ in: expect.any(Number), out: expect.any(Number) });
    expect(result.counts.path).toEqual({
      enter: expect.any(Number),
      exit: expect.any(Number),
      current: expect.any(Number),
    });
    expect(Array.isArray(result.events)).toBe(true);
    const probe = execFileSync('/usr/bin/ffprobe', [
      ...['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_name,width,height,nb_read_frames'],
      ...['-of', 'csv=p=0', out],
    ]).toString();
    expect(probe.trim()).toMatch(/^(h264|mpeg4),768,576,15$/);
  });

  it('on a terminal shows a progress bar with frames, fps and ETA on stderr, and prints a human summary', async () => {
    // stderr as a terminal: runCaptured still captures what is written to it.
    const wasTTY = process.stderr.isTTY;
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    let r: Awaited<ReturnType<typeof run>>;
    try {
      r = await run([
        ...['count', clip, '--max-frames', '8'],
        ...['--line', 'door:norm:0.5,0.1,0.5,0.9', '--zone', 'path:300,150;700,150;700,300;300,300'],
      ]);
    } finally {
      Object.defineProperty(process.stderr, 'isTTY', { value: wasTTY, configurable: true });
    }
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/8\/8 frames \| [\d.]+ fps \| ETA/);
    expect(r.stdout).toMatch(/: 8 frames in [\d.]+ s \([\d.]+ fps on cpu\)/);
    expect(r.stdout).toMatch(/^ {2}door: line, \d+ in, \d+ out$/m);
    expect(r.stdout).toMatch(/^ {2}path: zone, \d+ entered, \d+ left, \d+ inside at the end$/m);
    expect(r.stdout).not.toContain('{');
  });

  it('is quiet with --json even on a terminal, and quiet without a terminal', async () => {
    const wasTTY = process.stderr.isTTY;
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    let json: Awaited<ReturnType<typeof run>>;
    try {
      json = await run(['count', clip, '--json', '--max-frames', '3']);
    } finally {
      Object.defineProperty(process.stderr, 'isTTY', { value: wasTTY, configurable: true });
    }
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).not.toMatch(/frames \|/);
    expect(JSON.parse(json.stdout.trim().split('\n').at(-1)!).frames).toBe(3);
    const piped = await run(['count', clip, '--max-frames', '3']);
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stderr).not.toMatch(/frames \|/);
  });

  it.each([
    [['--line', 'door:norm:0.2,0.5,1.4,0.5'], /outside the frame/],
    [['--line', 'door:100,100,900,100'], /outside the 768x576 frame/],
    [['--line', 'door:400,100,400,100'], /end points are equal/],
    [['--zone', 'bow:100,100;200,200;200,100;100,200'], /self-intersect/],
    [['--classes', 'person,pedestrian'], /unknown class "pedestrian"/],
    [['--model', '/nonexistent/model.onnx'], /model file not found: \/nonexistent\/model\.onnx/],
    [['--line', 'door:1,2,3'], /expected NAME:x1,y1,x2,y2/],
  ])('bad input %j is a clear error with exit code 2', async (args, message) => {
    const r = await run(['count', clip, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('a missing input file is a clear error', async () => {
    const r = await run(['count', join(dir, 'missing.avi')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read .*missing\.avi/);
  });
});
