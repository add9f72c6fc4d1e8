/**
 * Reads ffmpeg's stderr lines (loglevel warning) into something a site manager can act on: why a stream failed,
 * and which lines are a corrupt frame the decoder skipped. Pure.
 */
import { redactSecrets } from '@tally/proto/log';

const REASONS: [RegExp, string][] = [
  [/connection refused/i, 'connection refused: is the camera or server running and the port right?'],
  [
    /401 unauthorized|authorization failed|unauthorized/i,
    'authentication failed (401): check the user and password',
  ],
  [/404 not found|server returned 404/i, 'stream not found (404): check the path of the URL'],
  [/name or service not known|failed to resolve|could not resolve/i, 'cannot resolve the host name'],
  [/timed out|timeout/i, 'timed out waiting for the stream'],
  [/no route to host|network is unreachable/i, 'network unreachable'],
  [/no such file or directory/i, 'file or device not found'],
  [/permission denied/i, 'permission denied'],
  [/invalid data found when processing input/i, 'invalid or unsupported stream data'],
  [/server returned (\d{3}.*)/i, 'server error'],
  [/end of file|connection reset|broken pipe/i, 'the stream ended (connection closed)'],
];

/** A short reason for a failure, from the last lines ffmpeg printed; the raw line is kept after a colon. */
export function failureReason(lines: readonly string[], exitCode: number | null): string {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    for (const [re, reason] of REASONS) {
      if (re.test(line)) return `${reason} (ffmpeg: ${clip(line)})`;
    }
  }
  const last = lines.at(-1);
  if (last) return `ffmpeg exited with code ${exitCode}: ${clip(last)}`;
  return `ffmpeg exited with code ${exitCode} without an error message`;
}

/** True for the decoder's complaints about one damaged frame (concealed or skipped), which are not fatal. */
export function isCorruptFrameLine(line: string): boolean {
  return /error while decoding|error at mb|concealing \d+|corrupt|invalid (mb|macroblock)|ac-tex damaged|illegal|overflow|damaged/i.test(
    line,
  );
}

// The reason travels in the camera's state (heartbeat, API): ffmpeg's line may name the URL with its credentials.
function clip(raw: string): string {
  const line = redactSecrets(raw);
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
