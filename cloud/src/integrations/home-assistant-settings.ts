import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_HA_PREFIXES, TOPIC_ROOT, type HaTopicPrefixes } from '@tally/proto';

/**
 * The Home Assistant integration's settings, from the environment (opt-in: off unless HA_MQTT=on).
 *
 * | variable | default | what |
 * |---|---|---|
 * | HA_MQTT | off | `on` publishes discovery and state (docs/HOME-ASSISTANT.md) |
 * | HA_MQTT_URL | (the cloud's broker) | a broker of the user's choice, e.g. Home Assistant's Mosquitto add-on |
 * | HA_MQTT_USERNAME, HA_MQTT_PASSWORD | none | login on HA_MQTT_URL |
 * | HA_DISCOVERY_PREFIX | homeassistant | Home Assistant's discovery prefix |
 * | HA_TOPIC_PREFIX | tally | where state and availability go (`tally/sites/<id>/state`, `tally/status`) |
 * | HA_INTERVAL_S | 10 | seconds between snapshots (a state is re-sent only when it changed) |
 * | HA_ORG_ID | (every organisation) | publish only this organisation's sites |
 * | HA_READER_USERNAME | homeassistant | read-only login on the embedded broker |
 * | HA_READER_PASSWORD | generated into DATA_DIR/ha-reader-password | its password (12+ characters) |
 */
export interface HaSettings {
  url?: string;
  username?: string;
  password?: string;
  prefixes: HaTopicPrefixes;
  intervalS: number;
  orgId: string | null;
  reader: { username: string; password: string; passwordFile?: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOPIC_LEVELS = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;

/** undefined when the integration is off; throws an Error naming the variable for a bad value. */
export function haSettingsFromEnv(env: NodeJS.ProcessEnv, dataDir: string): HaSettings | undefined {
  const enabled = env.HA_MQTT ?? 'off';
  if (enabled === 'off' || enabled === '') return undefined;
  if (enabled !== 'on') throw new Error(`HA_MQTT must be on or off, not ${JSON.stringify(enabled)}`);
  if (env.HA_MQTT_URL && !/^(mqtts?|wss?):\/\//.test(env.HA_MQTT_URL)) {
    throw new Error('HA_MQTT_URL must start with mqtt://, mqtts://, ws:// or wss://');
  }
  const prefixes = {
    discovery: env.HA_DISCOVERY_PREFIX || DEFAULT_HA_PREFIXES.discovery,
    state: env.HA_TOPIC_PREFIX || DEFAULT_HA_PREFIXES.state,
  };
  for (const [name, value] of [
    ['HA_DISCOVERY_PREFIX', prefixes.discovery],
    ['HA_TOPIC_PREFIX', prefixes.state],
  ] as const) {
    if (!TOPIC_LEVELS.test(value))
      throw new Error(`${name} must be topic levels of letters, digits, _ and -`);
  }
  // The device topics (tally/v1/<device>/…) carry camera credentials: state must never share their tree.
  if (
    `${prefixes.state}/`.startsWith(`${TOPIC_ROOT}/`) ||
    `${TOPIC_ROOT}/`.startsWith(`${prefixes.state}/sites/`)
  ) {
    throw new Error(`HA_TOPIC_PREFIX must not be under ${TOPIC_ROOT}, where the devices' topics are`);
  }
  const intervalS = Number(env.HA_INTERVAL_S ?? 10);
  if (!Number.isFinite(intervalS) || intervalS < 1 || intervalS > 3600) {
    throw new Error(`HA_INTERVAL_S must be seconds between 1 and 3600, not ${env.HA_INTERVAL_S}`);
  }
  const orgId = env.HA_ORG_ID || null;
  if (orgId && !UUID.test(orgId)) throw new Error('HA_ORG_ID must be an organisation id (a uuid)');
  if (env.HA_READER_PASSWORD !== undefined && env.HA_READER_PASSWORD.length < 12) {
    throw new Error('HA_READER_PASSWORD must be at least 12 characters');
  }
  const reader = env.HA_READER_PASSWORD
    ? { username: env.HA_READER_USERNAME || 'homeassistant', password: env.HA_READER_PASSWORD }
    : { username: env.HA_READER_USERNAME || 'homeassistant', ...persistedPassword(dataDir) };
  return {
    ...(env.HA_MQTT_URL ? { url: env.HA_MQTT_URL } : {}),
    ...(env.HA_MQTT_USERNAME ? { username: env.HA_MQTT_USERNAME } : {}),
    ...(env.HA_MQTT_PASSWORD ? { password: env.HA_MQTT_PASSWORD } : {}),
    prefixes,
    intervalS,
    orgId,
    reader,
  };
}

/** What the read-only login may subscribe to: discovery and Tally's state, never the device topics. */
export function haReaderPrefixes(p: HaTopicPrefixes): string[] {
  return [`${p.discovery}/`, `${p.state}/sites/`, `${p.state}/status`];
}

function persistedPassword(dataDir: string): { password: string; passwordFile: string } {
  const file = join(dataDir, 'ha-reader-password');
  if (existsSync(file)) return { password: readFileSync(file, 'utf8').trim(), passwordFile: file };
  mkdirSync(dataDir, { recursive: true });
  const password = randomBytes(18).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return { password, passwordFile: file };
}
