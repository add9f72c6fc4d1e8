/**
 * Every environment variable `cloud serve` reads, with its default and meaning: the settings of config.ts (from
 * its schema, so they cannot drift) and those the optional stages read themselves (alerts, Home Assistant).
 * `pnpm cloud serve --help` prints this list; docs/CLOUD.md documents each (a test checks both).
 */
import { CloudConfigSchema, ENV } from './config';

export interface EnvVar {
  name: string;
  default: string;
  description: string;
}

/** Variables read by stages, not by config.ts (alerts/stage.ts, integrations/home-assistant-settings.ts). */
const STAGE_VARS: EnvVar[] = [
  {
    name: 'ALERTS',
    default: 'on',
    description: 'off disables alert evaluation and reports (run them on one instance)',
  },
  { name: 'ALERT_INTERVAL_S', default: '15', description: 'seconds between alert evaluations (1 to 3600)' },
  {
    name: 'SMTP_URL',
    default: '—',
    description: 'smtp://user:password@host:587 or smtps://…; enables email alerts',
  },
  { name: 'SMTP_FROM', default: 'tally@localhost', description: 'sender address of alert and report emails' },
  { name: 'HA_MQTT', default: 'off', description: 'on publishes Home Assistant MQTT discovery and state' },
  { name: 'HA_MQTT_URL', default: "the cloud's broker", description: 'broker for Home Assistant (mqtt://…)' },
  { name: 'HA_MQTT_USERNAME', default: '—', description: 'login on HA_MQTT_URL' },
  { name: 'HA_MQTT_PASSWORD', default: '—', description: 'password on HA_MQTT_URL' },
  { name: 'HA_DISCOVERY_PREFIX', default: 'homeassistant', description: "Home Assistant's discovery prefix" },
  { name: 'HA_TOPIC_PREFIX', default: 'tally', description: 'prefix of the state and availability topics' },
  { name: 'HA_INTERVAL_S', default: '10', description: 'seconds between Home Assistant updates' },
  { name: 'HA_ORG_ID', default: 'every organisation', description: "publish only this organisation's sites" },
  {
    name: 'HA_READER_USERNAME',
    default: 'homeassistant',
    description: 'read-only login on the embedded broker',
  },
  {
    name: 'HA_READER_PASSWORD',
    default: 'generated into DATA_DIR/ha-reader-password',
    description: 'its password (12+ characters)',
  },
];

const SPECIAL_DEFAULTS: Record<string, string> = {
  JWT_SECRET: 'generated once into DATA_DIR/jwt-secret',
  TALLY_SECRET_KEY: 'generated once into DATA_DIR/secret-key',
  MQTT_URL: 'the embedded broker',
  DATABASE_URL: 'embedded PGlite in DATA_DIR/pglite',
  DASHBOARD_DIR: 'dashboard/dist when built',
};

export function cloudEnvVars(): EnvVar[] {
  const fromConfig = Object.entries(ENV).map(([name, key]): EnvVar => {
    const schema = CloudConfigSchema.properties[key] as { default?: unknown; description?: string };
    const description = (schema.description ?? '').replace(new RegExp(`^${name}:?\\s*`), '') || name;
    return { name, default: SPECIAL_DEFAULTS[name] ?? formatDefault(schema.default), description };
  });
  return [...fromConfig, ...STAGE_VARS];
}

/** The list as `serve --help` prints it. */
export function envHelp(): string {
  const vars = cloudEnvVars();
  const width = Math.max(...vars.map((v) => v.name.length)) + 2;
  const lines = vars.map((v) => `  ${v.name.padEnd(width)}${v.description} (default: ${v.default})`);
  return `\nEnvironment variables (flags above override them; docs/CLOUD.md explains each):\n${lines.join('\n')}\n`;
}

function formatDefault(value: unknown): string {
  if (value === undefined) return '—';
  if (Array.isArray(value)) return value.length ? value.join(',') : 'none';
  return String(value);
}
