import { UsageError } from '@tally/proto/cli';
import type { CloudConfig } from '../config';
import { DataDirInUse } from '../db/data-dir-lock';
import { SecretKeyMismatch } from '../secrets/camera-urls-at-rest';

/**
 * The mistakes an operator makes starting the cloud, as one line and a hint instead of a stack: a port already
 * taken (Mosquitto from setup.sh holds 1883; the embedded broker defaults to 1884 to stay clear of it), a DATABASE_URL naming a database that does not exist or a server that
 * does not answer, a data folder another server holds. Anything else is left alone (a bug: printed with its stack).
 */
export function explainStartError(err: unknown, config: CloudConfig): UsageError | undefined {
  if (err instanceof SecretKeyMismatch) {
    return new UsageError(
      err.message,
      'set TALLY_SECRET_KEY to the key they were encrypted with (or add that key to TALLY_SECRET_KEYS_PREVIOUS to move to a new one); every instance needs the same key',
    );
  }
  if (err instanceof DataDirInUse) {
    return new UsageError(
      err.message,
      'stop that server first, or give this one its own DATA_DIR (--data-dir)',
    );
  }
  const e = err as NodeJS.ErrnoException & { port?: number; address?: string; code?: string };
  // drizzle wraps the driver's error ("Failed query: …"): PostgreSQL's code is on the cause.
  const pgCode = e?.code ?? (e?.cause as { code?: string } | undefined)?.code;
  if (e?.code === 'EADDRINUSE') return portTaken(e.port, e.address, config);
  if (e?.code === 'EACCES' && e.syscall === 'listen') {
    return new UsageError(
      `not allowed to listen on port ${e.port}`,
      'ports below 1024 need root or CAP_NET_BIND_SERVICE: pick a port above 1023',
    );
  }
  if (config.databaseUrl && pgCode === '3D000') {
    const name = databaseName(config.databaseUrl);
    return new UsageError(
      `the database ${JSON.stringify(name)} named in DATABASE_URL does not exist`,
      `create it (e.g. \`createdb ${name}\` or psql -c 'CREATE DATABASE "${name}"'); tables are created at start`,
    );
  }
  if (config.databaseUrl && pgCode === '28P01') {
    return new UsageError('PostgreSQL refused the user and password in DATABASE_URL', 'check DATABASE_URL');
  }
  if (config.databaseUrl && (pgCode === 'ECONNREFUSED' || pgCode === 'ENOTFOUND')) {
    return new UsageError(
      `PostgreSQL does not answer at ${hostOf(config.databaseUrl)} (${pgCode})`,
      'start PostgreSQL, or fix the host and port in DATABASE_URL (unset it to use the embedded database)',
    );
  }
  return undefined;
}

function portTaken(port: number | undefined, address: string | undefined, c: CloudConfig): UsageError {
  const owners: [number, string, string][] = [
    [c.port, 'PORT', '--port'],
    [c.mqttPort, 'MQTT_PORT', '--mqtt-port'],
    [c.mqttWsPort, 'MQTT_WS_PORT', ''],
    [c.mqttTlsPort, 'MQTT_TLS_PORT', ''],
    [c.mqttWssPort, 'MQTT_WSS_PORT', ''],
  ];
  const owner = owners.find(([p]) => p === port);
  const what = owner?.[1] === 'PORT' ? 'the HTTP API' : 'the embedded MQTT broker';
  const mosquitto = port === 1883 ? ' (setup.sh starts Mosquitto there)' : '';
  const choose = owner
    ? `set ${owner[1]}=<port>${owner[2] ? ` (or ${owner[2]} <port>)` : ''}, or stop the program that holds it`
    : 'pick other ports (pnpm cloud serve --help lists them)';
  const external = owner?.[1] === 'MQTT_PORT' ? ', or use that broker with MQTT_URL' : '';
  return new UsageError(
    `port ${port} (${address ?? 'all addresses'}) for ${what} is in use${mosquitto}`,
    `${choose}${external}`,
  );
}

function databaseName(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres';
  } catch {
    return '?';
  }
}

function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}`;
  } catch {
    return 'DATABASE_URL';
  }
}
