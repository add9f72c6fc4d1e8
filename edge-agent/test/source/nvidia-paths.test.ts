import { existsSync } from 'node:fs';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { assets, requireAsset } from '@tally/proto/assets';
import { parseSettings } from '../../src/config/load-settings';
import { applyTensorrtEnvironment, providerConfigs, tensorrtEnvironment } from '../../src/detect/gpu-options';
import { createOnnxDetector } from '../../src/detect/onnx-detector';
import { ffmpegArgs } from '../../src/source/ffmpeg-args';
import { chooseHwDecode, hwDecodeArgs, type HwDecodeProbe } from '../../src/source/hw-decode';
import { probeHwDecode, selectHwDecode } from '../../src/source/hw-decode-probe';

/** What `ffmpeg -hwaccels` / `-decoders` print on the three kinds of box (names as NVIDIA's and Debian's builds use). */
const DGPU: HwDecodeProbe = {
  hwaccels: ['vdpau', 'cuda', 'vaapi'],
  decoders: ['h264', 'h264_cuvid'],
  nvidiaGpu: true,
};
const JETSON: HwDecodeProbe = {
  hwaccels: [],
  decoders: ['h264', 'h264_nvv4l2dec', 'hevc_nvv4l2dec'],
  nvidiaGpu: false,
};
const CPU_ONLY: HwDecodeProbe = { hwaccels: ['vaapi'], decoders: ['h264'], nvidiaGpu: false };

function capture() {
  const lines: { msg: string; level: number; reason?: string }[] = [];
  return { lines, log: pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) }) };
}

describe('hardware decode selection', () => {
  it('auto picks NVDEC on a GPU box, the JetPack decoder on a Jetson, software elsewhere, without a warning', () => {
    expect(chooseHwDecode('auto', DGPU)).toEqual({ decode: { kind: 'cuda' } });
    expect(chooseHwDecode('auto', JETSON, 'hevc')).toEqual({
      decode: { kind: 'nvv4l2', decoder: 'hevc_nvv4l2dec' },
    });
    expect(chooseHwDecode('auto', CPU_ONLY)).toEqual({ decode: { kind: 'none' } });
    expect(hwDecodeArgs({ kind: 'cuda' })).toEqual(['-hwaccel', 'cuda']);
    expect(hwDecodeArgs({ kind: 'nvv4l2', decoder: 'h264_nvv4l2dec' })).toEqual(['-c:v', 'h264_nvv4l2dec']);
    expect(hwDecodeArgs({ kind: 'none' })).toEqual([]);
  });

  it('an explicit choice the machine lacks falls back to software with the reason', () => {
    expect(chooseHwDecode('cuda', CPU_ONLY)).toEqual({
      decode: { kind: 'none' },
      fallback: 'ffmpeg was built without the cuda hwaccel (ffmpeg -hwaccels)',
    });
    expect(chooseHwDecode('cuda', { ...DGPU, nvidiaGpu: false }).fallback).toMatch(/no NVIDIA GPU driver/);
    expect(chooseHwDecode('nvv4l2', DGPU).fallback).toMatch(/no h264_nvv4l2dec decoder/);
    expect(chooseHwDecode('none', DGPU)).toEqual({ decode: { kind: 'none' } });
  });

  it("probes this machine's real ffmpeg, and a cuda request here (no GPU) logs one line and decodes in software", () => {
    const probe = probeHwDecode('/usr/bin/ffmpeg');
    expect(probe.decoders).toContain('h264');
    expect(probe.decoders).not.toContain('=');
    expect(probe.nvidiaGpu).toBe(existsSync('/dev/nvidia0'));
    const { lines, log } = capture();
    const args = selectHwDecode('cuda', 'h264', log, { ...probe, nvidiaGpu: false });
    expect(args).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 40,
      msg: 'hardware decode cuda unavailable: decoding on the CPU',
    });
    const auto = capture();
    expect(selectHwDecode('auto', 'h264', auto.log, { ...probe, nvidiaGpu: false })).toEqual([]);
    expect(auto.lines).toHaveLength(0);
  });

  it('puts the decoder arguments before the input of network cameras only', () => {
    const base = { fps: 10, width: 416, height: 312, decodeArgs: ['-hwaccel', 'cuda'] };
    const rtsp = ffmpegArgs({ ...base, url: 'rtsp://10.0.0.5/stream' });
    expect(rtsp.indexOf('-hwaccel')).toBeGreaterThan(-1);
    expect(rtsp.indexOf('-hwaccel')).toBeLessThan(rtsp.indexOf('-i'));
    expect(rtsp[rtsp.indexOf('-hwaccel') + 1]).toBe('cuda');
    expect(ffmpegArgs({ ...base, url: '/videos/a.mp4' })).not.toContain('-hwaccel');
    expect(ffmpegArgs({ ...base, url: '/dev/video0' })).not.toContain('-hwaccel');
  });
});

describe('GPU execution providers', () => {
  it('passes the CUDA device to cuda and tensorrt, CPU last', () => {
    expect(providerConfigs(['tensorrt', 'cuda'], { deviceId: 1 })).toEqual([
      { name: 'tensorrt', deviceId: 1 },
      { name: 'cuda', deviceId: 1 },
      'cpu',
    ]);
    expect(providerConfigs(['cpu'])).toEqual(['cpu']);
  });

  it('sets the TensorRT engine cache and FP16 through its environment, never over what the operator set', () => {
    expect(tensorrtEnvironment({ tensorrt: { engineCacheDir: '/var/lib/tally-edge/trt' } })).toEqual({
      ORT_TENSORRT_FP16_ENABLE: '1',
      ORT_TENSORRT_ENGINE_CACHE_ENABLE: '1',
      ORT_TENSORRT_CACHE_PATH: '/var/lib/tally-edge/trt',
      ORT_TENSORRT_TIMING_CACHE_ENABLE: '1',
    });
    expect(tensorrtEnvironment({ tensorrt: { fp16: false } })).toEqual({ ORT_TENSORRT_FP16_ENABLE: '0' });
    const env: NodeJS.ProcessEnv = { ORT_TENSORRT_FP16_ENABLE: '0' };
    expect(applyTensorrtEnvironment({ tensorrt: { engineCacheDir: '/c' } }, env)).toEqual([
      'ORT_TENSORRT_ENGINE_CACHE_ENABLE',
      'ORT_TENSORRT_CACHE_PATH',
      'ORT_TENSORRT_TIMING_CACHE_ENABLE',
    ]);
    expect(env.ORT_TENSORRT_FP16_ENABLE).toBe('0');
  });

  it('settings default to auto decode and an engine cache under the data directory', () => {
    const s = parseSettings({ dataDir: 'data' }, '/etc/tally-edge');
    expect(s.decode).toEqual({ hwaccel: 'auto', codec: 'h264' });
    expect(s.detector.tensorrt?.engineCacheDir).toBe('/etc/tally-edge/data/tensorrt-engines');
    expect(() => parseSettings({ decode: { hwaccel: 'nvdec' } }, '/')).toThrow(/decode\/hwaccel/);
  });

  it('tensorrt with GPU options on this CPU-only machine runs on CPU after one warning line', async () => {
    const { lines, log } = capture();
    const det = await createOnnxDetector({
      modelPath: requireAsset(assets.model()),
      layout: 'yolox',
      executionProviders: ['tensorrt', 'cuda'],
      gpu: { deviceId: 0, tensorrt: { fp16: true } },
      log,
    });
    try {
      expect(det.executionProvider).toBe('cpu');
      expect(lines.filter((l) => l.level === 40).map((l) => l.msg)).toEqual([
        'execution provider tensorrt, cuda unavailable on this machine: running on CPU',
      ]);
    } finally {
      await det.close();
    }
  });
});
