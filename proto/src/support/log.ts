import pino, { type Logger } from 'pino';

/**
 * Structured logs (JSON lines) on stderr, so a command's stdout stays machine-readable (`--json` output).
 * LOG_LEVEL sets the level (default info; tests set silent).
 */
export function createLogger(name: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level }, pino.destination(2));
}

export type { Logger };
