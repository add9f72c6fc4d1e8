import pino, { type DestinationStream, type Logger } from 'pino';
import { redactSecrets } from './redact';

/**
 * Structured logs (JSON lines) on stderr, so a command's stdout stays machine-readable (`--json` output).
 * LOG_LEVEL sets the level (default info; tests set silent). Every line passes through redactSecrets on its way
 * out, so no token, password or camera credential is written whatever a caller logs. `destination` replaces
 * stderr (tests that read the logs).
 */
export function createLogger(
  name: string,
  level: string = process.env.LOG_LEVEL ?? 'info',
  destination: { write(line: string): unknown } = pino.destination(2),
): Logger {
  return pino({ name, level }, redacting(destination));
}

function redacting(out: { write(line: string): unknown }): DestinationStream {
  return { write: (line: string) => void out.write(redactSecrets(line)) };
}

export { redactSecrets };
export type { Logger };
