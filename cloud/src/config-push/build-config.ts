import {
  SCHEMA_VERSION,
  decodeMessage,
  type CameraConfig,
  type DeviceConfig,
  type ModelRef,
  type ValidationIssue,
} from '@tally/proto';
import { configContentHash } from '@tally/proto/hash';

/** One camera as stored: its key, setup, assigned model key, and its rules. */
export interface CameraSource {
  key: string;
  setup: Record<string, unknown>;
  modelKey?: string | null;
  rules: Array<{ key: string; kind: string; name: string; definition: Record<string, unknown> }>;
}

export interface ConfigInput {
  deviceId: string;
  version: number;
  issuedAt: number;
  cameras: CameraSource[];
  models: ModelRef[];
}

/**
 * Builds a device's whole DeviceConfig from its stored cameras, rules and assigned models (pure). The setup's
 * fields go first so that the stored `id`, `lines`, `zones` and `modelId` always win.
 */
export function buildDeviceConfig(input: ConfigInput): DeviceConfig {
  const cameras = input.cameras.map((c): CameraConfig => {
    const lines = c.rules
      .filter((r) => r.kind === 'line')
      .map((r) => ({ ...r.definition, id: r.key, name: r.name }));
    const zones = c.rules
      .filter((r) => r.kind === 'zone')
      .map((r) => ({ ...r.definition, id: r.key, name: r.name }));
    return {
      ...(c.setup as Omit<CameraConfig, 'id' | 'lines' | 'zones'>),
      id: c.key,
      ...(c.modelKey ? { modelId: c.modelKey } : {}),
      lines: lines as CameraConfig['lines'],
      zones: zones as CameraConfig['zones'],
    };
  });
  const body = { cameras, ...(input.models.length > 0 ? { models: input.models } : {}) };
  return {
    v: SCHEMA_VERSION,
    deviceId: input.deviceId,
    version: input.version,
    hash: configContentHash(body),
    issuedAt: input.issuedAt,
    ...body,
  };
}

/** The same checks the device runs (schema + geometry and cross references): issues, or an empty list. */
export function configIssues(config: DeviceConfig): ValidationIssue[] {
  const result = decodeMessage('config', config, config.deviceId);
  return result.ok ? [] : result.error.issues;
}
