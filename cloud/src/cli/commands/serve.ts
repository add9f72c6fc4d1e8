import type { Command } from 'commander';
import { UsageError } from '@tally/proto/cli';
import { createLogger } from '@tally/proto/log';
import { ConfigError, loadConfig, type CloudConfig } from '../../config';
import { dataDirHolder } from '../../db/data-dir-lock';
import { envHelp } from '../../env-vars';
import { explainStartError } from '../start-errors';
import { stopSignal } from '@tally/proto/stop-signal';
import { startServer } from '../../server';

export function parsePort(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new UsageError(`invalid ${flag} ${JSON.stringify(value)}`, 'use a port number between 0 and 65535');
  }
  return n;
}

/** Environment config plus CLI flags; a bad value becomes a one-line usage error naming the variable. */
export function configFromCli(overrides: Partial<CloudConfig>): {
  config: CloudConfig;
  generatedJwtSecret: boolean;
  generatedSecretKey: boolean;
} {
  try {
    return loadConfig(process.env, overrides);
  } catch (err) {
    if (err instanceof ConfigError)
      throw new UsageError(err.message, 'see `pnpm cloud serve --help` and docs for the variables');
    throw err;
  }
}

/**
 * The embedded database has one user at a time: a command that would open it while a server runs on the same
 * data folder refuses (its writes would be lost) and says how to go through the running server instead.
 */
export function refuseWhileServing(config: CloudConfig): void {
  if (config.databaseUrl) return;
  const pid = dataDirHolder(config.dataDir);
  if (pid === undefined) return;
  throw new UsageError(
    `the data folder ${config.dataDir} is in use by a running Tally server (pid ${pid}); its embedded database cannot be opened twice`,
    'stop the server first (SIGTERM), or on a fresh cloud create the first owner through it: POST /api/setup with the setup token from its log (docs/CLOUD.md)',
  );
}

/**
 * `tally-cloud serve`: the HTTP API, the MQTT broker (embedded, or MQTT_URL), ingest and the rest in one process.
 * Stops gracefully on SIGTERM / SIGINT (stages in reverse order), exit code 0.
 */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the cloud: API, broker (embedded aedes unless MQTT_URL), ingest, alerts, dashboard')
    .option('--port <n>', 'HTTP port (PORT, default 8080)')
    .option('--mqtt-port <n>', 'embedded MQTT port (MQTT_PORT, default 1884)')
    .option('--data-dir <dir>', 'data folder: PGlite, secrets, models, snapshots (DATA_DIR)')
    .addHelpText('after', envHelp())
    .action(async (opts: { port?: string; mqttPort?: string; dataDir?: string }) => {
      const { config, generatedJwtSecret, generatedSecretKey } = configFromCli({
        ...(opts.port !== undefined ? { port: parsePort('--port', opts.port) } : {}),
        ...(opts.mqttPort !== undefined ? { mqttPort: parsePort('--mqtt-port', opts.mqttPort) } : {}),
        ...(opts.dataDir !== undefined ? { dataDir: opts.dataDir } : {}),
      });
      const log = createLogger('cloud', config.logLevel);
      if (generatedJwtSecret) {
        log.warn(
          { file: `${config.dataDir}/jwt-secret` },
          'JWT_SECRET is not set: using a generated secret kept in the data dir; set JWT_SECRET when running several instances',
        );
      }
      if (generatedSecretKey && config.databaseUrl) {
        log.warn(
          { file: `${config.dataDir}/secret-key` },
          'TALLY_SECRET_KEY is not set: camera passwords are encrypted with a key generated into the data dir; set TALLY_SECRET_KEY (the same on every instance) and keep it apart from database backups',
        );
      }
      const stop = stopSignal();
      const server = await startServer(config, { log }).catch((err: unknown) => {
        throw explainStartError(err, config) ?? err;
      });
      log.info({ signal: await stop }, 'shutting down');
      await server.stop().catch((err: unknown) => log.error({ err }, 'shutdown failed'));
    });
}
