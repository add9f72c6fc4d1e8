import type { CameraConfig, DeviceConfig, ModelRef } from '@tally/proto';
import { configContentHash } from '@tally/proto/hash';
import { deviceConfig } from '@tally/proto/fixtures';

/** A camera like the proto fixture's, with its own id and source. */
export function camera(id: string, overrides: Partial<CameraConfig> = {}): CameraConfig {
  return {
    ...structuredClone(deviceConfig.cameras[0]!),
    id,
    source: { url: `rtsp://10.0.0.9/${id}` },
    ...overrides,
  };
}

/** A valid DeviceConfig for `deviceId`, hash computed. */
export function configFor(
  deviceId: string,
  version: number,
  cameras: CameraConfig[],
  models?: ModelRef[],
): DeviceConfig {
  const body = { cameras, ...(models ? { models } : {}) };
  return { v: 1, deviceId, version, issuedAt: Date.now(), hash: configContentHash(body), ...body };
}
