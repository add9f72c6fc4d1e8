import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@tally/proto/log';
import { openStore, type Store } from '../../src/store';
import { MqttLink } from '../../src/sync/mqtt-link';
import { Outbox } from '../../src/sync/outbox';
import { startAedes, type TestBroker } from '../helpers/brokers';
import { draft } from '../helpers/drafts';
import { makeTestPki, type TestPki } from '../helpers/test-ca';
import { tempDir, waitFor } from '../helpers/temp-dir';

const log = createLogger('tls-test', 'silent');

/** mqtts to an aedes TLS listener whose certificate comes from a CA made for this test. */
describe('sync over TLS (mqtts) with a configured CA', () => {
  const t = tempDir('tls');
  let pki: TestPki;
  let broker: TestBroker;
  let received = 0;
  let store: Store;
  const links: MqttLink[] = [];

  beforeAll(async () => {
    pki = makeTestPki(t.dir);
    broker = await startAedes({ tls: { key: pki.key, cert: pki.cert } });
    store = openStore(t.dir, 1 << 30, log);
  });
  afterAll(async () => {
    for (const l of links) await l.stop();
    store.close();
    await broker.close();
    t.remove();
  });

  function link(caFile: string | undefined, deviceId: string) {
    const l = new MqttLink({
      url: broker.url,
      deviceId,
      reconnectPeriodMs: 200,
      keepaliveS: 10,
      log,
      ...(caFile ? { caFile } : {}),
    });
    links.push(l);
    return l;
  }

  it('connects and sends when the broker certificate is signed by the configured CA', async () => {
    const l = link(pki.caFile, 'dev-tls-ok');
    const outbox = new Outbox(
      store.events,
      l,
      {
        batchSize: 10,
        backfillRatePerS: 1000,
        ackTimeoutMs: 5000,
        cycleMs: 20,
        maxInflightBatches: 4,
        bucketIntervalS: 60,
      },
      log,
    );
    store.events.appendEvents([draft(1), draft(2)]);
    outbox.start();
    l.start();
    await waitFor(() => l.connected, 'TLS connection');
    expect(broker.url.startsWith('mqtts://')).toBe(true);
    await waitFor(() => outbox.stats().eventsSent >= 2, 'events published over TLS');
    received++;
    outbox.stop();
  });

  it('refuses a broker whose certificate another CA signed (and one verified only by system CAs)', async () => {
    const wrong = link(pki.otherCaFile, 'dev-tls-wrong-ca');
    const system = link(undefined, 'dev-tls-system');
    wrong.start();
    system.start();
    await waitFor(() => wrong.lastError && system.lastError, 'both refused');
    // Several reconnect periods later neither has ever connected.
    let polls = 0;
    await waitFor(
      () => ++polls > 15 && !wrong.connected && !system.connected,
      'a few reconnect periods',
      10_000,
      100,
    );
    expect(wrong.connected).toBe(false);
    expect(system.connected).toBe(false);
    expect(wrong.lastError).toMatch(/self.signed|unable to verify|certificate/i);
    expect(system.lastError).toMatch(/self.signed|unable to verify|certificate/i);
    expect(received).toBe(1);
  });
});
