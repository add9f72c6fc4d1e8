import type { ServerContext, Stage } from '../server';
import { CloudBus } from '../live/bus';
import { aedesTransport } from './aedes-transport';
import { IngestConsumer } from './consumer';
import { mqttTransport } from './mqtt-transport';
import { recordConfigApplied } from '../db/queries/config-versions';
import type { IngestStats } from './stats';

/**
 * The ingest stage of `cloud serve`: on the embedded broker it subscribes in-process; on an external broker
 * (MQTT_URL) through the cloud's client with a shared subscription, so instances side by side split the load.
 * Its counters are exported to /metrics once a second.
 */
export function ingestStage(ctx: ServerContext): Stage {
  const transport = ctx.broker ? aedesTransport(ctx.broker.aedes) : mqttTransport(ctx.mqtt);
  const consumer = new IngestConsumer({
    database: ctx.database,
    transport,
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
      await consumer.start();
      timer = exportMetrics(
        ctx,
        () => consumer.stats,
        () => consumer.backlog,
      );
    },
    async stop() {
      clearInterval(timer);
      await consumer.stop();
      if (ctx.broker) await transport.close();
    },
  };
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
