import { afterEach, describe, expect, it } from 'vitest';
import { assets } from '@tally/proto/assets';
import { resolveModelPath } from '../../src/detect/model-path';

describe('model path', () => {
  const saved = process.env.TALLY_MODEL;
  afterEach(() => {
    if (saved === undefined) delete process.env.TALLY_MODEL;
    else process.env.TALLY_MODEL = saved;
  });

  it('takes the flag, else TALLY_MODEL, else the config, else the shared YOLOX-Nano', () => {
    delete process.env.TALLY_MODEL;
    expect(resolveModelPath()).toBe(assets.model());
    expect(resolveModelPath({ config: '/c.onnx' })).toBe('/c.onnx');
    process.env.TALLY_MODEL = '/env.onnx';
    expect(resolveModelPath({ config: '/c.onnx' })).toBe('/env.onnx');
    expect(resolveModelPath({ flag: '/flag.onnx', config: '/c.onnx' })).toBe('/flag.onnx');
  });
});
