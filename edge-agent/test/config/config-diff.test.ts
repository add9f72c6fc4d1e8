import { describe, expect, it } from 'vitest';
import { diffConfigs } from '../../src/config/config-diff';
import { camera, configFor } from '../helpers/configs';

const model = {
  id: 'm1',
  name: 'M',
  version: '1',
  layout: 'yolox' as const,
  url: 'http://x/m.onnx',
  sha256: 'a'.repeat(64),
};

describe('config diff by camera (pure)', () => {
  it('sorts cameras into added, changed, removed and unchanged', () => {
    const before = configFor('d', 1, [camera('a'), camera('b'), camera('c')]);
    const after = configFor('d', 2, [camera('a'), camera('b', { fps: 5 }), camera('d')]);
    const diff = diffConfigs(before, after);
    expect(diff.unchanged).toEqual(['a']);
    expect(diff.changed.map((p) => p.camera.id)).toEqual(['b']);
    expect(diff.added.map((p) => p.camera.id)).toEqual(['d']);
    expect(diff.removed).toEqual(['c']);
  });

  it('a changed model counts as a change of the cameras that use it, a disabled camera as removed', () => {
    const before = configFor('d', 1, [camera('a', { modelId: 'm1' }), camera('b')], [model]);
    const after = configFor(
      'd',
      2,
      [camera('a', { modelId: 'm1' }), camera('b', { enabled: false })],
      [{ ...model, version: '2', sha256: 'b'.repeat(64) }],
    );
    const diff = diffConfigs(before, after);
    expect(diff.changed.map((p) => p.camera.id)).toEqual(['a']);
    expect(diff.changed[0]!.model?.version).toBe('2');
    expect(diff.removed).toEqual(['b']);
  });

  it('everything is added on a fresh box', () => {
    expect(diffConfigs(undefined, configFor('d', 1, [camera('a')])).added).toHaveLength(1);
  });
});
