import { hostname } from 'node:os';
import type { ServerContext, Stage } from '../server';
import { CloudBus } from '../live/bus';
import { aedesTransport } from './aedes-transport';
import { IngestConsumer, type IngestOptions } from './consumer';
import { connectMqttTransport } from './mqtt-transport';
import type { IngestTransport } from './transport';
import { recordConfigApplied } from '../db/queries/config-versions';
import type { IngestStats } from './stats';

/**
 * The ingest stage of `cloud serve`: on the embedded broker it subscribes in-process; on an external broker
 * (MQTT_URL) through its own persistent session with a shared subscription, so instances side by side split the
 * load and a restarting instance loses nothing.
 * Its counters are exported to /metrics once a second.
 */
export function ingestStage(ctx: ServerContext): Stage {
  let transport: IngestTransport | undefined;
  let consumer: IngestConsumer | undefined;
  const options = (t: IngestTransport): IngestOptions => ({
    database: ctx.database,
    transport: t,
    bus: new CloudBus(ctx.bus),
    ...(ctx.broker ? {} : { sharedGroup: ctx.config.mqttShareGroup }),
    parallelStatements: ctx.database.kind === 'postgres' ? 2 : 1,
    onConfigApplied: async (deviceId, msg) => {
      await recordConfigApplied(ctx.database.db, deviceId, msg);
    },
    log: ctx.log.child({ component: 'ingest' }),
  });
  let timer: NodeJS.Timeout | undefined;
  return {
    name: 'ingest',
    async start() {
      transport = ctx.broker ? aedesTransport(ctx.broker.aedes) : await persistentTransport(ctx);
      const c = new IngestConsumer(options(transport));
      consumer = c;
      await c.start();
      timer = exportMetrics(
        ctx,
        () => c.stats,
        () => c.backlog,
      );
    },
    async stop() {
      clearInterval(timer);
      // The connection first: what the broker delivers after this stays queued in the session for the next start,
      // instead of being acknowledged to the broker and dropped by a stopped consumer.
      await transport?.close();
      await consumer?.stop();
    },
  };
}

/**
 * On an external broker ingest has its own connection: a stable client id per instance with a persistent session
 * (clean: false, QoS 1 subscriptions), so the broker queues device messages while this instance is down or
 * restarting and hands them over when it is back. (The shared client, `ctx.mqtt`, only publishes.)
 */
function persistentTransport(ctx: ServerContext): Promise<IngestTransport> {
  const { config } = ctx;
  return connectMqttTransport(config.mqttUrl!, {
    clientId: config.mqttClientId ?? `tally-ingest-${hostname()}`,
    clean: false,
    ...(config.mqttUsername ? { username: config.mqttUsername, password: config.mqttPassword } : {}),
  });
}

function exportMetrics(ctx: ServerContext, stats: () => IngestStats, backlog: () => number): NodeJS.Timeout {
  const m = ctx.metrics;
  const events = m.counter('tally_ingest_events_total', 'Count events received, by result', ['result']);
  const rejected = m.counter('tally_ingest_rejected_total', 'Device messages dropped, by reason', ['reason']);
  const messages = m.counter('tally_ingest_messages_total', 'Device messages received');
  const lag = m.gauge('tally_ingest_lag_ms', 'Time from a batch being sent to being stored (latest batch)');
  const queued = m.gauge('tally_ingest_backlog_events', 'Events received and not yet stored');
  const quarantined = m.counter(
    'tally_ingest_quarantined_total',
    'Events or messages the database refused even alone, kept in ingest_quarantine (GET /api/ingest/quarantine)',
  );
  let last = structuredClone(stats());
  const timer = setInterval(() => {
    const now = structuredClone(stats());
    events.inc({ result: 'inserted' }, now.eventsInserted - last.eventsInserted);
    events.inc({ result: 'duplicate' }, now.eventsDuplicate - last.eventsDuplicate);
    messages.inc(now.messages - last.messages);
    quarantined.inc(now.quarantined - last.quarantined);
    for (const reason of Object.keys(now.rejected) as (keyof IngestStats['rejected'])[]) {
      rejected.inc({ reason }, now.rejected[reason] - last.rejected[reason]);
    }
    lag.set(now.lastLagMs);
    queued.set(backlog());
    last = now;
  }, 1000);
  timer.unref();
  return timer;
}
