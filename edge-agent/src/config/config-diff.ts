import { canonicalJson, type CameraConfig, type DeviceConfig, type ModelRef } from '@tally/proto';

export interface CameraPlan {
  camera: CameraConfig;
  /** The model the camera names (undefined: the agent's default model). */
  model: ModelRef | undefined;
}

export interface ConfigDiff {
  added: CameraPlan[];
  changed: CameraPlan[];
  removed: string[];
  unchanged: string[];
}

/**
 * Which cameras a new config touches (pure). A camera is unchanged when its own settings and the model it names
 * are identical, so a change to one camera never restarts the others. A disabled camera counts as removed.
 */
export function diffConfigs(previous: DeviceConfig | undefined, next: DeviceConfig): ConfigDiff {
  const before = plans(previous);
  const after = plans(next);
  const diff: ConfigDiff = { added: [], changed: [], removed: [], unchanged: [] };
  for (const [id, plan] of after) {
    const old = before.get(id);
    if (!old) diff.added.push(plan);
    else if (fingerprint(old) !== fingerprint(plan)) diff.changed.push(plan);
    else diff.unchanged.push(id);
  }
  for (const id of before.keys()) if (!after.has(id)) diff.removed.push(id);
  return diff;
}

function plans(config: DeviceConfig | undefined): Map<string, CameraPlan> {
  const map = new Map<string, CameraPlan>();
  for (const camera of config?.cameras ?? []) {
    if (camera.enabled === false) continue;
    map.set(camera.id, { camera, model: config?.models?.find((m) => m.id === camera.modelId) });
  }
  return map;
}

function fingerprint(plan: CameraPlan): string {
  return canonicalJson({ camera: plan.camera, model: plan.model ?? null });
}
