import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Logger } from '@tally/proto/log';
import {
  chooseHwDecode,
  hwDecodeArgs,
  type HwDecodeProbe,
  type HwDecodeSetting,
  type VideoCodec,
} from './hw-decode';
import { ffmpegPath } from './ffmpeg-binary';

/**
 * The decoder arguments for this box's network cameras, from the setting and a probe of the machine; logs the
 * choice, or one warning line when an explicitly requested hardware decoder is missing (decoding goes on in software).
 */
export function selectHwDecode(
  setting: HwDecodeSetting,
  codec: VideoCodec,
  log: Logger,
  probe: HwDecodeProbe = probeHwDecode(ffmpegPath()),
): string[] {
  const choice = chooseHwDecode(setting, probe, codec);
  if (choice.fallback) {
    log.warn(
      { requested: setting, reason: choice.fallback },
      `hardware decode ${setting} unavailable: decoding on the CPU`,
    );
  } else if (choice.decode.kind !== 'none') {
    log.info({ decode: choice.decode }, 'hardware video decoding');
  }
  return hwDecodeArgs(choice.decode);
}

/** What this machine's ffmpeg and drivers offer for hardware decoding (run once at start; a few ms). */
export function probeHwDecode(ffmpeg: string, nvidiaDevice = '/dev/nvidia0'): HwDecodeProbe {
  return {
    hwaccels: listing(ffmpeg, '-hwaccels')
      .slice(1) // "Hardware acceleration methods:"
      .map((l) => l.trim())
      .filter(Boolean),
    decoders: afterRule(listing(ffmpeg, '-decoders'))
      .map((l) => /^\s*[VAS][.\w]{5}\s+(\S+)/.exec(l)?.[1])
      .filter((n): n is string => !!n),
    nvidiaGpu: existsSync(nvidiaDevice),
  };
}

/** The rows after the legend's "------" line. */
function afterRule(lines: string[]): string[] {
  const i = lines.findIndex((l) => l.trim() === '------');
  return i < 0 ? [] : lines.slice(i + 1);
}

function listing(ffmpeg: string, flag: string): string[] {
  try {
    return execFileSync(ffmpeg, ['-hide_banner', flag], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).split('\n');
  } catch {
    return []; // no ffmpeg: the camera reports that itself when it starts
  }
}
