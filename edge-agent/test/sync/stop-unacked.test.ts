import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { statusMessage } from '@tally/proto';
import { MqttLink } from '../../src/sync/mqtt-link';
import { startAedes, type TestBroker } from '../helpers/brokers';
import { waitFor } from '../helpers/temp-dir';

/**
 * Regression: `pnpm demo`'s second run hung because the edge agent never exited on SIGTERM. mqtt.js's plain end()
 * waits until every in-flight QoS 1 message is acknowledged; with a broker that has stopped acknowledging (or is
 * gone) that never happens. The link must stop anyway: unacknowledged counts stay in the store and are resent.
 */
describe('MqttLink.stop with messages the broker never acknowledges', () => {
  let broker: TestBroker | undefined;
  afterEach(async () => broker?.close());

  it('returns promptly instead of waiting for acknowledgements that will not come', async () => {
    let held = 0;
    // A broker that takes publishes but never answers them (no PUBACK): the callback is never called.
    broker = await startAedes({ authorizePublish: () => void held++ });
    const link = new MqttLink({
      url: broker.url,
      deviceId: 'dev-stop-1',
      reconnectPeriodMs: 200,
      keepaliveS: 10,
      log: pino({ level: 'silent' }),
    });
    link.start();
    await waitFor(() => link.connected, 'connected', 30_000);
    void link.publish('status', statusMessage('dev-stop-1', 'online')).catch(() => undefined);
    await waitFor(() => held > 0, 'a publish held by the broker', 30_000);
    const outcome = await Promise.race([
      link.stop().then(() => 'stopped'),
      new Promise((r) => setTimeout(() => r('still waiting after 30 s'), 30_000)),
    ]);
    expect(outcome).toBe('stopped');
  }, 60_000);
});
