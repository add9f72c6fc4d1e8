import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createLogger } from '@tally/proto/log';
import { UsageError } from '@tally/proto/cli';
import { stopSignal } from '@tally/proto/stop-signal';
import { Agent, AgentError } from '../../agent';
import { checkDeviceConfigPayload } from '../../config/device-config-check';
import type { AgentSettings } from '../../config/agent-settings';
import { loadSettings, parseSettings, SettingsError } from '../../config/load-settings';
import { selectHwDecode } from '../../source/hw-decode-probe';
import { workerRunnerFactory } from '../../workers/worker-camera-runner';

/**
 * `tally-edge run [--config <file>] [--data-dir <dir>]`: the daemon. Runs until SIGTERM or SIGINT, then stops in
 * order and exits 0. Without a settings file every setting has its default, so a box provisioned with
 * `provision --data-dir D` starts with `run --data-dir D` and nothing else.
 */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run the edge agent daemon (cameras, store, sync, remote config, health server)')
    .option('--config <file>', 'agent settings JSON (see docs/DEPLOYMENT.md); without it, the defaults')
    .option('--data-dir <dir>', 'the data directory given to provision (overrides dataDir of the settings)')
    .action(async (o: { config?: string; dataDir?: string }) => {
      let settings;
      try {
        const overrides: Partial<AgentSettings> = o.dataDir ? { dataDir: o.dataDir } : {};
        settings = o.config ? loadSettings(o.config, overrides) : parseSettings(overrides, process.cwd());
      } catch (err) {
        if (err instanceof SettingsError)
          throw new UsageError(err.message, 'the settings format is in docs/DEPLOYMENT.md');
        throw err;
      }
      refuseInvalidLocalConfig(settings.deviceConfigFile, settings.deviceId);
      const log = createLogger('tally-edge');
      const { threads, sessions, executionProviders, deviceId, tensorrt } = settings.detector;
      const runnerFactory = workerRunnerFactory({
        log,
        ...(threads ? { intraOpThreads: threads } : {}),
        ...(sessions ? { sessions } : {}),
        ...(executionProviders ? { providers: executionProviders } : {}),
        gpu: { ...(deviceId !== undefined ? { deviceId } : {}), ...(tensorrt ? { tensorrt } : {}) },
        decodeArgs: selectHwDecode(settings.decode.hwaccel, settings.decode.codec, log),
      });
      const agent = new Agent({ settings, runnerFactory, log });
      // A bug somewhere must not end counting silently: log it; systemd restarts the process if it does exit.
      process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
      // Signals are taken from the start: a SIGTERM while cameras load still stops everything in order; so does
      // pnpm going away without passing its SIGTERM on (stopSignal).
      const signalled = stopSignal();
      try {
        await agent.start();
      } catch (err) {
        await agent.stop();
        if (err instanceof AgentError) throw new UsageError(err.message);
        throw err;
      }
      log.info({ signal: await signalled }, 'stopping');
      await agent.stop();
      log.info('stopped');
    });
}

/**
 * A local device config that `check-config` refuses stops `run` before anything starts (exit 2, the same issues),
 * instead of a box that runs with no cameras and an error in its log.
 */
function refuseInvalidLocalConfig(file: string | undefined, deviceId: string | undefined): void {
  if (!file) return;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read the local device config ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      'fix deviceConfigFile in the settings',
    );
  }
  const checked = checkDeviceConfigPayload(text, deviceId);
  if (!checked.ok) {
    throw new UsageError(
      `${file} is not a valid configuration:\n${checked.issues.map((i) => `  ${i.path || '/'}: ${i.message}`).join('\n')}`,
      `the same check as: pnpm edge check-config ${file}`,
    );
  }
}
