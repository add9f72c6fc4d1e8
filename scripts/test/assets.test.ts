import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { assets, requireAsset, sharedDir } from '@tally/proto/assets';

describe('shared assets', () => {
  const saved = process.env.TALLY_SHARED_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.TALLY_SHARED_DIR;
    else process.env.TALLY_SHARED_DIR = saved;
  });

  it('finds the real model, video and MOT sequences beside the repository', () => {
    const model = readFileSync(requireAsset(assets.model()));
    expect(createHash('sha256').update(model).digest('hex')).toMatch(/^695e750a.*ab14$/);
    expect(statSync(requireAsset(assets.video())).size).toBe(8131690);
    expect(statSync(requireAsset(`${assets.motSequence('KITTI-17')}/det/det.txt`)).isFile()).toBe(true);
  });

  it('says how to get an asset that is missing', () => {
    process.env.TALLY_SHARED_DIR = '/nonexistent/shared';
    expect(sharedDir()).toBe('/nonexistent/shared');
    expect(() => requireAsset(assets.model())).toThrow(/scripts\/fetch-assets\.sh/);
  });
});
