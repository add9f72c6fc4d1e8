/**
 * The agent as its own process, for the SIGKILL test: real store, real MQTT, synthetic camera (see
 * synthetic-runner.ts). With EMIT_BATCH > 0 the camera stores a batch of events every EMIT_EVERY_MS and the
 * process prints `stored <lastSeq>` after each committed batch, so the test knows what was durable before the kill.
 */
import { createLogger } from '@tally/proto/log';
import { Agent } from '../../src/agent';
import { loadSettings } from '../../src/config/load-settings';
import { syntheticRunners } from '../helpers/synthetic-runner';

const settings = loadSettings(process.argv[2]!);
const batch = Number(process.env.EMIT_BATCH ?? 0);
const every = Number(process.env.EMIT_EVERY_MS ?? 10);
const log = createLogger('agent-child', process.env.LOG_LEVEL ?? 'warn');
const runners = syntheticRunners();
const agent = new Agent({ settings, runnerFactory: runners.factory, log });
await agent.start();
process.stdout.write('ready\n');
if (batch > 0) {
  setInterval(() => {
    const cam = runners.live('cam-a');
    if (!cam) return;
    cam.emit(batch);
    process.stdout.write(`stored ${agent.store.events.lastSeq()}\n`);
  }, every);
}
process.once('SIGTERM', () => {
  void agent.stop().then(() => process.exit(0));
});
