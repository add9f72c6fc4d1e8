import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the real model, video and MOT sequences live: `TALLY_SHARED_DIR`, else `../shared` beside the repository.
 * Tests, the demo and benchmarks read them from there and never copy them into the repository.
 */
export function sharedDir(): string {
  if (process.env.TALLY_SHARED_DIR) return resolve(process.env.TALLY_SHARED_DIR);
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  return resolve(repoRoot, '..', 'shared');
}

export const assets = {
  model: () => join(sharedDir(), 'models', 'yolox_nano.onnx'),
  cocoClasses: () => join(sharedDir(), 'models', 'coco_classes.txt'),
  video: () => join(sharedDir(), 'media', 'vtest.avi'),
  motSequence: (name: 'KITTI-17' | 'TUD-Stadtmitte' | string) => join(sharedDir(), 'data', 'mot', name),
};

/** Throws, saying how to get it, when an asset is missing. */
export function requireAsset(path: string): string {
  if (!existsSync(path)) {
    throw new Error(
      `missing ${path}. Run \`bash scripts/fetch-assets.sh\` to download the model and video into ${sharedDir()}, or set TALLY_SHARED_DIR`,
    );
  }
  return path;
}
