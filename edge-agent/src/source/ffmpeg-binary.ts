import { accessSync, constants } from 'node:fs';

/** Where ffmpeg is: `TALLY_FFMPEG`, else Debian's /usr/bin/ffmpeg. */
export function ffmpegPath(): string {
  return process.env.TALLY_FFMPEG ?? '/usr/bin/ffmpeg';
}

export const FFMPEG_MISSING_HINT =
  'install it with `apt-get install ffmpeg` (or set TALLY_FFMPEG to its path)';

/** Why ffmpeg cannot run, or null when it can. */
export function ffmpegProblem(path: string = ffmpegPath()): string | null {
  try {
    accessSync(path, constants.X_OK);
    return null;
  } catch {
    return `ffmpeg not found at ${path}: ${FFMPEG_MISSING_HINT}`;
  }
}
