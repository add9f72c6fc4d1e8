/**
 * Regression: during a broker outage the agent logged a warning on every reconnect attempt (every 2 s for the whole
 * outage). Now the outage is logged once, summarised every `outageSummaryMs`, and its end is logged with the
 * number of attempts. A real mqtt.js client against a port where nothing listens, then a real aedes broker there.
 */
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { MqttLink } from '../../src/sync/mqtt-link';
import { freePort, startAedes, type TestBroker } from '../helpers/brokers';
import { waitFor } from '../helpers/temp-dir';

interface LogLine {
  level: number;
  msg: string;
  attempts?: number;
  downForS?: number;
}

function capturedLogger() {
  const lines: LogLine[] = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
  return { log, lines, warnings: () => lines.filter((l) => l.level >= 40) };
}

describe('a broker outage in the edge log', () => {
  let link: MqttLink | undefined;
  let broker: TestBroker | undefined;
  afterEach(async () => {
    await link?.stop();
    await broker?.close();
    link = broker = undefined;
  });

  it('is one warning, however many reconnect attempts fail', async () => {
    const port = await freePort();
    const { log, lines, warnings } = capturedLogger();
    link = new MqttLink({
      url: `mqtt://127.0.0.1:${port}`,
      deviceId: 'dev-outage-1',
      reconnectPeriodMs: 20,
      keepaliveS: 10,
      log,
    });
    link.start();
    const closes = () => lines.filter((l) => l.msg === 'mqtt connection closed').length;
    await waitFor(() => closes() >= 15, '15 failed connection attempts', 60_000);
    expect(warnings().map((l) => l.msg)).toEqual(['mqtt broker unreachable: storing locally, will resend']);
  });

  it('is summarised while it lasts, and its end is logged with the attempts made', async () => {
    const port = await freePort();
    const { log, lines } = capturedLogger();
    link = new MqttLink({
      url: `mqtt://127.0.0.1:${port}`,
      deviceId: 'dev-outage-2',
      reconnectPeriodMs: 20,
      keepaliveS: 10,
      outageSummaryMs: 300,
      log,
    });
    link.start();
    const summary = await waitFor(
      () => lines.find((l) => l.msg === 'mqtt broker still unreachable: storing locally, will resend'),
      'an outage summary',
      60_000,
    );
    expect(summary.attempts).toBeGreaterThanOrEqual(2);
    broker = await startAedes({ port });
    const back = await waitFor(
      () => lines.find((l) => l.msg === 'mqtt broker reachable again'),
      'the end of the outage',
      60_000,
    );
    expect(back.attempts).toBeGreaterThanOrEqual(summary.attempts!);
    await waitFor(() => link!.connected, 'connected');
  });
});
