import type { CameraConfig, CameraSetup, DeviceConfig, RuleDraft } from '@tally/proto';

/** What restoring one camera means: its setup and rules as the old version had them. */
export interface CameraRestore {
  key: string;
  name: string;
  setup: CameraSetup;
  rules: RuleDraft[];
  action: 'restored' | 'recreated';
}

export interface RestorePlan {
  cameras: CameraRestore[];
  /** Cameras added after that version: left as they are (deleting a camera is not something a restore guesses). */
  kept: string[];
}

/**
 * Plans restoring a stored config version (pure): every camera it had gets that setup and those rules back (added
 * again when deleted since); cameras added later are kept. Model assignments are not part of a restore: they follow
 * the model catalogue, and the version's model may be gone.
 */
export function planRestore(version: DeviceConfig, currentCameraKeys: readonly string[]): RestorePlan {
  const current = new Set(currentCameraKeys);
  const inVersion = new Set(version.cameras.map((c) => c.id));
  return {
    cameras: version.cameras.map((camera) => ({
      key: camera.id,
      name: camera.name ?? camera.id,
      setup: setupOf(camera),
      rules: rulesOf(camera),
      action: current.has(camera.id) ? 'restored' : 'recreated',
    })),
    kept: currentCameraKeys.filter((key) => !inVersion.has(key)),
  };
}

function setupOf(camera: CameraConfig): CameraSetup {
  const { id: _id, lines: _lines, zones: _zones, modelId: _modelId, ...setup } = camera;
  return setup as CameraSetup;
}

function rulesOf(camera: CameraConfig): RuleDraft[] {
  return [
    ...camera.lines.map(({ id, name, ...definition }): RuleDraft => ({
      key: id,
      kind: 'line',
      name,
      definition,
    })),
    ...camera.zones.map(({ id, name, ...definition }): RuleDraft => ({
      key: id,
      kind: 'zone',
      name,
      definition,
    })),
  ];
}
