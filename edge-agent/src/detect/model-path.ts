import { existsSync } from 'node:fs';
import { assets } from '@tally/proto/assets';

/**
 * Which model file to load: the command-line flag, else the TALLY_MODEL environment variable, else the config's,
 * else the shared YOLOX-Nano. The first one given wins even if missing, so a typo is reported, not papered over.
 */
export function resolveModelPath(o: { flag?: string; config?: string } = {}): string {
  return o.flag ?? process.env.TALLY_MODEL ?? o.config ?? assets.model();
}

export class ModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelError';
  }
}

export function requireModelFile(path: string): void {
  if (!existsSync(path)) {
    throw new ModelError(
      `model file not found: ${path} (give --model PATH, set TALLY_MODEL, or run \`bash scripts/fetch-assets.sh\` for YOLOX-Nano)`,
    );
  }
}
