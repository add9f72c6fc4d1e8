/**
 * The files of a standalone box (no cloud): agent settings that point at a local device config, and that device
 * config itself, with its content hash computed as the cloud would. Pure: building only; the CLI writes them.
 */
import {
  SCHEMA_VERSION,
  type CameraConfig,
  type DeviceConfig,
  type LineRule,
  type ZoneRule,
} from '@tally/proto';
import { configContentHash } from '@tally/proto/hash';

export const LOCAL_SETTINGS_FILE = 'settings.json';
export const LOCAL_DEVICE_CONFIG_FILE = 'device-config.json';

export interface LocalCameraInput {
  deviceId: string;
  cameraId: string;
  url: string;
  size: { width: number; height: number };
  fps: number;
  classes: CameraConfig['classes'];
  lines: LineRule[];
  zones: ZoneRule[];
}

export function buildLocalDeviceConfig(c: LocalCameraInput, now: number): DeviceConfig {
  const camera: CameraConfig = {
    id: c.cameraId,
    source: { url: c.url },
    fps: c.fps,
    inputSize: c.size,
    classes: c.classes,
    scoreThreshold: 0.3,
    lines: c.lines,
    zones: c.zones,
  };
  return withHash({
    v: SCHEMA_VERSION,
    deviceId: c.deviceId,
    version: 1,
    hash: '',
    issuedAt: now,
    cameras: [camera],
  });
}

/** The config with `hash` set to its content hash (after an edit: `tally-edge config hash --write`). */
export function withHash(config: DeviceConfig): DeviceConfig {
  return { ...config, hash: configContentHash(config) };
}

/**
 * Settings for a box that runs the local device config beside them (paths relative to the settings file), with no
 * broker unless one is added; every other field takes its default (see agent-settings.ts).
 */
export function buildLocalSettings(deviceId: string, haBroker?: string): Record<string, unknown> {
  return {
    dataDir: './data',
    deviceId,
    deviceConfigFile: `./${LOCAL_DEVICE_CONFIG_FILE}`,
    health: { host: '127.0.0.1', port: 9464 },
    ...(haBroker ? { homeAssistant: { url: haBroker } } : {}),
  };
}
