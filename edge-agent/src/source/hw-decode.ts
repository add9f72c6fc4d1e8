/**
 * Which hardware video decoder ffmpeg uses, chosen from the settings and what this machine has (pure; the probe is
 * hw-decode-probe.ts):
 * - `cuda`: NVDEC on desktop and data-centre NVIDIA GPUs through `-hwaccel cuda`. Decoded frames come back to system
 *   memory, so scaling and the rest of the pipeline are unchanged; ffmpeg needs the `cuda` hwaccel (`ffmpeg
 *   -hwaccels`) and the NVIDIA driver (/dev/nvidia0).
 * - `nvv4l2`: the Jetson hardware decoder (NVDEC behind V4L2) through NVIDIA's JetPack ffmpeg, decoder
 *   `h264_nvv4l2dec` or `hevc_nvv4l2dec` (`ffmpeg -decoders`). A decoder is per codec, so the camera codec is a
 *   setting (H.264 by default).
 * - `none`: ffmpeg's software decoder.
 * `auto` takes the first one the machine has, else `none` silently; an explicit choice the machine lacks falls
 * back to `none` with a reason for one log line.
 */
export type HwDecodeSetting = 'auto' | 'cuda' | 'nvv4l2' | 'none';
export type VideoCodec = 'h264' | 'hevc';

export interface HwDecodeProbe {
  /** `ffmpeg -hwaccels` names. */
  hwaccels: readonly string[];
  /** `ffmpeg -decoders` names. */
  decoders: readonly string[];
  /** An NVIDIA GPU driver device (/dev/nvidia0). */
  nvidiaGpu: boolean;
}

export type HwDecode = { kind: 'none' } | { kind: 'cuda' } | { kind: 'nvv4l2'; decoder: string };

export interface HwDecodeChoice {
  decode: HwDecode;
  /** Why an explicitly requested decoder is not used (log it once). */
  fallback?: string;
}

export function chooseHwDecode(
  setting: HwDecodeSetting,
  probe: HwDecodeProbe,
  codec: VideoCodec = 'h264',
): HwDecodeChoice {
  if (setting === 'none') return { decode: { kind: 'none' } };
  const cuda = cudaProblem(probe);
  const jetsonDecoder = `${codec}_nvv4l2dec`;
  const jetson = probe.decoders.includes(jetsonDecoder)
    ? null
    : `ffmpeg has no ${jetsonDecoder} decoder (install NVIDIA's JetPack ffmpeg, docs/DEPLOYMENT.md)`;
  if (setting === 'auto') {
    if (!cuda) return { decode: { kind: 'cuda' } };
    if (!jetson) return { decode: { kind: 'nvv4l2', decoder: jetsonDecoder } };
    return { decode: { kind: 'none' } };
  }
  if (setting === 'cuda')
    return cuda ? { decode: { kind: 'none' }, fallback: cuda } : { decode: { kind: 'cuda' } };
  return jetson
    ? { decode: { kind: 'none' }, fallback: jetson }
    : { decode: { kind: 'nvv4l2', decoder: jetsonDecoder } };
}

/** ffmpeg arguments that go before `-i` for the chosen decoder. */
export function hwDecodeArgs(d: HwDecode): string[] {
  switch (d.kind) {
    case 'cuda':
      return ['-hwaccel', 'cuda'];
    case 'nvv4l2':
      return ['-c:v', d.decoder];
    case 'none':
      return [];
  }
}

function cudaProblem(p: HwDecodeProbe): string | null {
  if (!p.hwaccels.includes('cuda')) return 'ffmpeg was built without the cuda hwaccel (ffmpeg -hwaccels)';
  if (!p.nvidiaGpu) return 'no NVIDIA GPU driver on this machine (/dev/nvidia0 missing)';
  return null;
}
