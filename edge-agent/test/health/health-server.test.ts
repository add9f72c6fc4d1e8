import { describe, expect, it } from 'vitest';
import { decodeMessage } from '@tally/proto';
import { buildHealthServer } from '../../src/health/health-server';
import { buildHeartbeat } from '../../src/health/heartbeat';
import { LatencyHistogram } from '../../src/health/latency-histogram';
import { renderMetrics } from '../../src/health/metrics';

const health = {
  cameraId: 'cam-a',
  state: 'live' as const,
  fps: 9.5,
  detectorLatencyMs: { p50: 9, p95: 14 },
  framesProcessed: 1000,
  framesDropped: 7,
};
const outbox = {
  backlog: 12,
  lastSeq: 40,
  ackedSeq: 28,
  quarantined: 2,
  lastAckAt: 1_000_000,
  eventsSent: 40,
  batchesSent: 3,
};
const disk = { usedBytes: 4096, budgetBytes: 1 << 20, foldedEvents: 5 };

describe('health: metrics, heartbeat and the local server', () => {
  it('renders Prometheus text with a cumulative latency histogram and the outbox and disk gauges', () => {
    const h = new LatencyHistogram();
    [3, 9, 9, 30, 2000].forEach((ms) => h.observe(ms));
    const text = renderMetrics({
      now: 1_010_000,
      cameras: [{ health, latency: h.snapshot() }],
      outbox,
      disk,
      mqttConnected: true,
    });
    expect(text).toContain('# TYPE tally_detector_latency_ms histogram');
    expect(text).toContain('tally_detector_latency_ms_bucket{camera="cam-a",le="5"} 1');
    expect(text).toContain('tally_detector_latency_ms_bucket{camera="cam-a",le="10"} 3');
    expect(text).toContain('tally_detector_latency_ms_bucket{camera="cam-a",le="1000"} 4');
    expect(text).toContain('tally_detector_latency_ms_bucket{camera="cam-a",le="+Inf"} 5');
    expect(text).toContain('tally_camera_fps{camera="cam-a"} 9.5');
    expect(text).toContain('tally_outbox_backlog_events 12');
    expect(text).toContain('tally_outbox_last_ack_age_seconds 10');
    expect(text).toContain('tally_disk_folded_events_total 5');
    expect(text).toContain('tally_outbox_quarantined_rows 2');
  });

  it('builds a heartbeat that validates against the contract', () => {
    const hb = buildHeartbeat({
      deviceId: 'dev-h',
      now: 2_000_000,
      startedAt: 1_000_000,
      agentVersion: '0.1.0',
      configVersion: 3,
      model: 'yolox_nano',
      outbox,
      disk,
      cameras: [health],
    });
    expect(decodeMessage('heartbeat', hb, 'dev-h').ok).toBe(true);
    expect(hb).toMatchObject({
      uptimeS: 1000,
      disk: { foldedEvents: 5 },
      outbox: { backlog: 12, ackedSeq: 28, quarantined: 2 },
    });
  });

  it('wants the bearer token on every route when one is configured', async () => {
    const app = buildHealthServer(
      {
        healthz: () => ({ ok: true, body: { status: 'ok' } }),
        metrics: () => 'x 1\n',
        snapshot: async () => undefined,
      },
      { token: 'a-long-enough-token' },
    );
    expect((await app.inject({ url: '/metrics' })).statusCode).toBe(401);
    expect(
      (await app.inject({ url: '/healthz', headers: { authorization: 'Bearer wrong-token-wrong' } }))
        .statusCode,
    ).toBe(401);
    const ok = await app.inject({
      url: '/metrics',
      headers: { authorization: 'Bearer a-long-enough-token' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('x 1\n');
    await app.close();
  });

  it('answers 503 when unhealthy', async () => {
    const app = buildHealthServer(
      {
        healthz: () => ({ ok: false, body: { status: 'down' } }),
        metrics: () => '',
        snapshot: async () => undefined,
      },
      {},
    );
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(503);
    await app.close();
  });
});
