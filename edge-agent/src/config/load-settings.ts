import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { decode, withDefaults } from '@tally/proto';
import { AgentSettings } from './agent-settings';

export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

/** Validates settings (defaults filled, paths made absolute against `baseDir`) and freezes them. */
export function parseSettings(input: unknown, baseDir: string): Readonly<AgentSettings> {
  const withDefault = withDefaults(AgentSettings, (input ?? {}) as AgentSettings);
  const result = decode(AgentSettings, withDefault, { what: 'agent settings', versioned: false });
  if (!result.ok) {
    throw new SettingsError(
      `invalid agent settings:\n${result.error.issues.map((i) => `  ${i.path || '/'}: ${i.message}`).join('\n')}`,
    );
  }
  const s = result.value;
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  if (
    s.health.host !== '127.0.0.1' &&
    s.health.host !== '::1' &&
    s.health.host !== 'localhost' &&
    !s.health.token
  ) {
    throw new SettingsError(
      `health.host ${s.health.host} is not loopback: set health.token (16+ characters) so the health server is not open to the network`,
    );
  }
  return deepFreeze({
    ...s,
    dataDir: abs(s.dataDir),
    ...(s.deviceConfigFile ? { deviceConfigFile: abs(s.deviceConfigFile) } : {}),
    mqtt: { ...s.mqtt, ...(s.mqtt.caFile ? { caFile: abs(s.mqtt.caFile) } : {}) },
    detector: {
      ...s.detector,
      ...(s.detector.modelPath ? { modelPath: abs(s.detector.modelPath) } : {}),
      tensorrt: {
        ...s.detector.tensorrt,
        engineCacheDir: s.detector.tensorrt?.engineCacheDir
          ? abs(s.detector.tensorrt.engineCacheDir)
          : resolve(abs(s.dataDir), 'tensorrt-engines'),
      },
    },
  });
}

/**
 * Reads and validates a settings file. `overrides` (from the command line) replace the file's top-level fields;
 * relative paths in either are relative to the file.
 */
export function loadSettings(file: string, overrides: Partial<AgentSettings> = {}): Readonly<AgentSettings> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SettingsError(
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SettingsError(`${file} is not JSON: ${(err as Error).message}`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new SettingsError(`${file} must hold a JSON object of settings`);
  }
  return parseSettings({ ...json, ...overrides }, dirname(resolve(file)));
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    Object.values(o).forEach(deepFreeze);
    Object.freeze(o);
  }
  return o;
}
