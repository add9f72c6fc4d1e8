import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parseSecretKey } from './secrets/secret-box';

/**
 * The cloud's settings, from environment variables (and CLI flags that override them), validated once at start
 * and frozen. A bad value stops the process with one line naming the variable and what it expects.
 */
export const CloudConfigSchema = Type.Object({
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, description: 'PORT: HTTP API port' }),
  host: Type.String({ default: '0.0.0.0', description: 'HOST: HTTP listen address' }),
  mqttPort: Type.Integer({
    minimum: 0,
    maximum: 65535,
    // Not 1883: that is Mosquitto's port, and setup.sh starts one there.
    default: 1884,
    description: 'MQTT_PORT: embedded broker TCP port (0: a free port)',
  }),
  mqttWsPort: Type.Integer({
    minimum: 0,
    maximum: 65535,
    default: 8083,
    description: 'MQTT_WS_PORT: embedded broker MQTT-over-WebSocket port (0: a free port)',
  }),
  mqttWsHost: Type.String({
    default: '127.0.0.1',
    description:
      'MQTT_WS_HOST: bind address of the MQTT-over-WebSocket listeners (ws, wss); 0.0.0.0 to serve other machines',
  }),
  mqttTlsPort: Type.Integer({
    minimum: 0,
    maximum: 65535,
    default: 8883,
    description: 'MQTT_TLS_PORT: mqtts port',
  }),
  mqttWssPort: Type.Integer({
    minimum: 0,
    maximum: 65535,
    default: 8084,
    description: 'MQTT_WSS_PORT: wss port',
  }),
  mqttUrl: Type.Optional(Type.String({ description: 'MQTT_URL: external broker; unset: embedded aedes' })),
  mqttUsername: Type.Optional(Type.String({ description: 'MQTT_USERNAME for the external broker' })),
  mqttPassword: Type.Optional(Type.String({ description: 'MQTT_PASSWORD for the external broker' })),
  mqttShareGroup: Type.String({
    default: 'tally-cloud',
    description: 'MQTT_SHARE_GROUP: shared-subscription group',
  }),
  mqttClientId: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 128,
      description:
        "MQTT_CLIENT_ID: ingest's client id on the external broker, stable per instance (its persistent session queues device messages while the instance is down); unset: tally-ingest-<hostname>. Give each instance on one host its own",
    }),
  ),
  databaseUrl: Type.Optional(
    Type.String({ description: 'DATABASE_URL: postgres://…; unset: PGlite in DATA_DIR' }),
  ),
  dataDir: Type.String({
    default: '.data/cloud',
    description: 'DATA_DIR: database, secrets, models, snapshots',
  }),
  jwtSecret: Type.Optional(Type.String({ minLength: 32, description: 'JWT_SECRET: at least 32 characters' })),
  secretKey: Type.Optional(
    Type.String({
      description:
        'TALLY_SECRET_KEY: 32 bytes, base64 or hex (openssl rand -base64 32); encrypts camera URL passwords at rest (AES-256-GCM). Same on every instance',
    }),
  ),
  secretKeysPrevious: Type.Array(Type.String(), {
    default: [],
    description:
      'TALLY_SECRET_KEYS_PREVIOUS: comma-separated former TALLY_SECRET_KEYs, still read; values are re-encrypted with the current key at start',
  }),
  accessTokenTtlS: Type.Integer({
    minimum: 30,
    maximum: 86400,
    default: 900,
    description: 'ACCESS_TOKEN_TTL_S: seconds an access token is valid',
  }),
  refreshTokenTtlS: Type.Integer({
    minimum: 300,
    default: 30 * 86400,
    description: 'REFRESH_TOKEN_TTL_S: seconds a refresh token (a session) is valid',
  }),
  corsOrigins: Type.Array(Type.String(), {
    default: [],
    description: 'CORS_ORIGINS: comma separated; * for any',
  }),
  tlsCert: Type.Optional(Type.String({ description: 'TLS_CERT: PEM file for mqtts/wss' })),
  tlsKey: Type.Optional(Type.String({ description: 'TLS_KEY: PEM file for mqtts/wss' })),
  publicMqttUrl: Type.Optional(
    Type.String({ description: 'PUBLIC_MQTT_URL: what devices are told to connect to' }),
  ),
  publicApiUrl: Type.Optional(Type.String({ description: 'PUBLIC_API_URL: base URL devices use for HTTP' })),
  bodyLimit: Type.Integer({
    minimum: 1024,
    default: 1024 * 1024,
    description: 'BODY_LIMIT bytes for JSON bodies',
  }),
  uploadLimit: Type.Integer({
    minimum: 1024,
    default: 200 * 1024 * 1024,
    description: 'UPLOAD_LIMIT: bytes for a model upload',
  }),
  loginRateLimit: Type.Integer({
    minimum: 1,
    default: 10,
    description: 'LOGIN_RATE_LIMIT per minute per IP',
  }),
  provisionRateLimit: Type.Integer({
    minimum: 1,
    default: 10,
    description: 'PROVISION_RATE_LIMIT per minute',
  }),
  rateLimitUser: Type.Integer({
    minimum: 0,
    default: 600,
    description:
      'RATE_LIMIT_USER: HTTP requests per RATE_LIMIT_WINDOW_S per signed-in user, on every route (0: no per-user limit)',
  }),
  rateLimitAddress: Type.Integer({
    minimum: 0,
    default: 1200,
    description:
      'RATE_LIMIT_ADDRESS: HTTP requests per RATE_LIMIT_WINDOW_S per client address, signed in or not, on every ' +
      'route but /healthz, /readyz and /metrics (0: no per-address limit)',
  }),
  rateLimitWindowS: Type.Integer({
    minimum: 1,
    maximum: 3600,
    default: 60,
    description: 'RATE_LIMIT_WINDOW_S: seconds of the RATE_LIMIT_USER and RATE_LIMIT_ADDRESS windows',
  }),
  trustProxy: Type.Array(Type.String({ minLength: 1 }), {
    default: [],
    description:
      'TRUST_PROXY: comma-separated addresses or CIDRs of the reverse proxies whose X-Forwarded-For is believed ' +
      '(e.g. 127.0.0.1,10.0.0.0/8); unset: the header is ignored and the client is the TCP peer',
  }),
  metricsToken: Type.Optional(
    Type.String({
      minLength: 16,
      description:
        'METRICS_TOKEN: /metrics requires Authorization: Bearer <token>; unset: /metrics answers only direct ' +
        'loopback connections',
    }),
  ),
  allowPrivateWebhooks: Type.Boolean({
    default: false,
    description:
      'ALLOW_PRIVATE_WEBHOOKS: let alert webhooks point at loopback, link-local (cloud metadata) and private addresses',
  }),
  dashboardDir: Type.Optional(Type.String({ description: 'DASHBOARD_DIR: built dashboard served at /' })),
  logLevel: Type.String({
    default: 'info',
    description: 'LOG_LEVEL: trace, debug, info, warn, error or silent',
  }),
  liveMaxBufferedBytes: Type.Integer({
    minimum: 1024,
    default: 1024 * 1024,
    description:
      'LIVE_MAX_BUFFERED_BYTES: a live WebSocket whose unsent backlog passes this is closed (4008), so a slow browser cannot grow the server',
  }),
});
export type CloudConfig = Readonly<Static<typeof CloudConfigSchema>> & {
  jwtSecret: string;
  secretKey: string;
};

/** Environment variable → config key. */
export const ENV: Record<string, keyof Static<typeof CloudConfigSchema>> = {
  PORT: 'port',
  HOST: 'host',
  MQTT_PORT: 'mqttPort',
  MQTT_WS_PORT: 'mqttWsPort',
  MQTT_WS_HOST: 'mqttWsHost',
  MQTT_TLS_PORT: 'mqttTlsPort',
  MQTT_WSS_PORT: 'mqttWssPort',
  MQTT_URL: 'mqttUrl',
  MQTT_USERNAME: 'mqttUsername',
  MQTT_PASSWORD: 'mqttPassword',
  MQTT_SHARE_GROUP: 'mqttShareGroup',
  MQTT_CLIENT_ID: 'mqttClientId',
  DATABASE_URL: 'databaseUrl',
  DATA_DIR: 'dataDir',
  JWT_SECRET: 'jwtSecret',
  TALLY_SECRET_KEY: 'secretKey',
  TALLY_SECRET_KEYS_PREVIOUS: 'secretKeysPrevious',
  ACCESS_TOKEN_TTL_S: 'accessTokenTtlS',
  REFRESH_TOKEN_TTL_S: 'refreshTokenTtlS',
  CORS_ORIGINS: 'corsOrigins',
  TLS_CERT: 'tlsCert',
  TLS_KEY: 'tlsKey',
  PUBLIC_MQTT_URL: 'publicMqttUrl',
  PUBLIC_API_URL: 'publicApiUrl',
  BODY_LIMIT: 'bodyLimit',
  UPLOAD_LIMIT: 'uploadLimit',
  LOGIN_RATE_LIMIT: 'loginRateLimit',
  PROVISION_RATE_LIMIT: 'provisionRateLimit',
  RATE_LIMIT_USER: 'rateLimitUser',
  RATE_LIMIT_ADDRESS: 'rateLimitAddress',
  RATE_LIMIT_WINDOW_S: 'rateLimitWindowS',
  TRUST_PROXY: 'trustProxy',
  METRICS_TOKEN: 'metricsToken',
  ALLOW_PRIVATE_WEBHOOKS: 'allowPrivateWebhooks',
  DASHBOARD_DIR: 'dashboardDir',
  LOG_LEVEL: 'logLevel',
  LIVE_MAX_BUFFERED_BYTES: 'liveMaxBufferedBytes',
};

export class ConfigError extends Error {
  readonly code = 'TALLY_CONFIG';
}

function fromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    if (key === 'corsOrigins' || key === 'trustProxy' || key === 'secretKeysPrevious')
      raw[key] = value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else if (/^\d+$/.test(value) && CloudConfigSchema.properties[key].type === 'integer')
      raw[key] = Number(value);
    else if (CloudConfigSchema.properties[key].type === 'boolean' && /^(true|false|1|0)$/.test(value))
      raw[key] = value === 'true' || value === '1';
    else raw[key] = value;
  }
  return raw;
}

function envName(key: string): string {
  return Object.entries(ENV).find(([, k]) => k === key)?.[0] ?? key;
}

/**
 * Reads the config: env first, then `overrides` (CLI flags, tests). Throws ConfigError naming each bad variable.
 * Without JWT_SECRET, a random secret is generated once and kept in DATA_DIR/jwt-secret (warned about by the
 * caller through `generatedJwtSecret`), so tokens survive restarts of a single instance. Without TALLY_SECRET_KEY,
 * likewise, a key is generated once into DATA_DIR/secret-key (`generatedSecretKey`): the embedded database and the
 * key then live in one folder, but a PostgreSQL dump or backup still holds no camera password in plain; several
 * instances on one PostgreSQL must share TALLY_SECRET_KEY (one that finds values sealed by another key refuses to
 * start, see secrets/camera-urls-at-rest.ts).
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Static<typeof CloudConfigSchema>> = {},
): { config: CloudConfig; generatedJwtSecret: boolean; generatedSecretKey: boolean } {
  const raw = { ...fromEnv(env), ...stripUndefined(overrides) };
  const withDefaults = Value.Default(CloudConfigSchema, raw);
  const errors = [...Value.Errors(CloudConfigSchema, withDefaults)];
  if (errors.length > 0) {
    const lines = errors.slice(0, 5).map((e) => `${envName(e.path.slice(1))}: ${e.message}`);
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  const parsed = withDefaults as Static<typeof CloudConfigSchema>;
  if (Boolean(parsed.tlsCert) !== Boolean(parsed.tlsKey)) {
    throw new ConfigError('invalid configuration: set both TLS_CERT and TLS_KEY, or neither');
  }
  for (const file of [parsed.tlsCert, parsed.tlsKey]) {
    if (file && !existsSync(file))
      throw new ConfigError(`invalid configuration: TLS file ${file} does not exist`);
  }
  if (parsed.databaseUrl && !/^postgres(ql)?:\/\//.test(parsed.databaseUrl)) {
    throw new ConfigError('invalid configuration: DATABASE_URL must start with postgres:// or postgresql://');
  }
  if (parsed.mqttUrl && !/^(mqtts?|wss?|tcp|tls):\/\//.test(parsed.mqttUrl)) {
    throw new ConfigError(
      'invalid configuration: MQTT_URL must start with mqtt://, mqtts://, ws:// or wss://',
    );
  }
  const badProxy = parsed.trustProxy.find((entry) => !isAddressOrCidr(entry));
  if (badProxy !== undefined) {
    throw new ConfigError(
      `invalid configuration: TRUST_PROXY entry ${JSON.stringify(badProxy)} is not an IP address or CIDR`,
    );
  }
  for (const [name, keys] of [
    ['TALLY_SECRET_KEY', parsed.secretKey === undefined ? [] : [parsed.secretKey]],
    ['TALLY_SECRET_KEYS_PREVIOUS', parsed.secretKeysPrevious],
  ] as const) {
    for (const key of keys) {
      try {
        parseSecretKey(key);
      } catch (err) {
        throw new ConfigError(`invalid configuration: ${name} ${(err as Error).message}`);
      }
    }
  }
  const dataDir = resolve(parsed.dataDir);
  const secretKey =
    parsed.secretKey ?? persistedSecret(dataDir, 'secret-key', () => randomBytes(32).toString('base64'));
  const generatedSecretKey = parsed.secretKey === undefined;
  let jwtSecret = parsed.jwtSecret;
  let generatedJwtSecret = false;
  if (!jwtSecret) {
    jwtSecret = persistedSecret(dataDir, 'jwt-secret', () => randomBytes(48).toString('base64url'));
    generatedJwtSecret = true;
  }
  return {
    config: Object.freeze({ ...parsed, dataDir, jwtSecret, secretKey }),
    generatedJwtSecret,
    generatedSecretKey,
  };
}

function isAddressOrCidr(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const kind = isIP(address);
  if (kind === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (kind === 4 ? 32 : 128);
}

function persistedSecret(dataDir: string, name: string, generate: () => string): string {
  const file = join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = generate();
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
