import type { CameraHealth } from '@tally/proto';
import type { DiskUse } from '../store/disk-budget';
import type { OutboxStats } from '../sync/outbox';
import { LATENCY_BUCKETS_MS, type HistogramSnapshot } from './latency-histogram';

export interface MetricsInputs {
  now: number;
  cameras: { health: CameraHealth; latency?: HistogramSnapshot }[];
  outbox: OutboxStats;
  disk: DiskUse;
  mqttConnected: boolean;
}

/** The agent's state in Prometheus text exposition format 0.0.4 (pure). */
export function renderMetrics(m: MetricsInputs): string {
  const out: string[] = [];
  const family = (name: string, type: string, help: string, samples: [string, number][]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) out.push(`${name}${labels} ${fmt(value)}`);
  };
  const cam = (id: string, extra = '') => `{camera="${esc(id)}"${extra}}`;
  family(
    'tally_camera_fps',
    'gauge',
    'Frames processed per second, recent average',
    m.cameras.map((c) => [cam(c.health.cameraId), c.health.fps]),
  );
  family(
    'tally_camera_frames_processed_total',
    'counter',
    'Frames run through detection',
    m.cameras.map((c) => [cam(c.health.cameraId), c.health.framesProcessed]),
  );
  family(
    'tally_camera_frames_dropped_total',
    'counter',
    'Stale frames skipped because detection was busy',
    m.cameras.map((c) => [cam(c.health.cameraId), c.health.framesDropped]),
  );
  family(
    'tally_camera_frames_gated_total',
    'counter',
    'Frames not sent to the detector on purpose: nothing moved (motion gating) or above detectFps',
    m.cameras.map((c) => [cam(c.health.cameraId), c.health.framesGated ?? 0]),
  );
  family(
    'tally_camera_drop_rate',
    'gauge',
    'Share of received frames dropped in the last ~10 s because detection was busy',
    m.cameras.map((c) => [cam(c.health.cameraId), c.health.dropRate ?? 0]),
  );
  family(
    'tally_camera_overloaded',
    'gauge',
    '1 while the camera drops frames because detection cannot keep up; the reason label says how much',
    m.cameras.map((c) => [
      cam(c.health.cameraId, `,reason="${esc(c.health.overloadReason ?? '')}"`),
      c.health.overloaded ? 1 : 0,
    ]),
  );
  family(
    'tally_camera_live',
    'gauge',
    '1 when frames are flowing',
    m.cameras.map((c) => [
      cam(c.health.cameraId, `,state="${esc(c.health.state)}"`),
      c.health.state === 'live' ? 1 : 0,
    ]),
  );
  out.push(
    '# HELP tally_detector_latency_ms Detector inference time per frame',
    '# TYPE tally_detector_latency_ms histogram',
  );
  for (const c of m.cameras) {
    const h = c.latency ?? {
      cumulative: new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0),
      sum: 0,
      count: 0,
    };
    LATENCY_BUCKETS_MS.forEach((le, i) =>
      out.push(`tally_detector_latency_ms_bucket${cam(c.health.cameraId, `,le="${le}"`)} ${h.cumulative[i]}`),
    );
    out.push(`tally_detector_latency_ms_bucket${cam(c.health.cameraId, ',le="+Inf"')} ${h.count}`);
    out.push(`tally_detector_latency_ms_sum${cam(c.health.cameraId)} ${fmt(h.sum)}`);
    out.push(`tally_detector_latency_ms_count${cam(c.health.cameraId)} ${h.count}`);
  }
  family('tally_outbox_backlog_events', 'gauge', 'Events stored but not yet acknowledged by the cloud', [
    ['', m.outbox.backlog],
  ]);
  family('tally_outbox_last_seq', 'gauge', 'Highest seq assigned', [['', m.outbox.lastSeq]]);
  family('tally_outbox_acked_seq', 'gauge', 'Highest seq the cloud acknowledged', [['', m.outbox.ackedSeq]]);
  family(
    'tally_outbox_quarantined_rows',
    'gauge',
    'Stored rows that failed validation, kept aside and never sent',
    [['', m.outbox.quarantined]],
  );
  family('tally_outbox_last_ack_age_seconds', 'gauge', 'Seconds since the last ack (-1: never)', [
    ['', m.outbox.lastAckAt === undefined ? -1 : Math.max(0, (m.now - m.outbox.lastAckAt) / 1000)],
  ]);
  family('tally_disk_used_bytes', 'gauge', 'Database size', [['', m.disk.usedBytes]]);
  family('tally_disk_budget_bytes', 'gauge', 'Configured disk budget', [['', m.disk.budgetBytes]]);
  family('tally_disk_folded_events_total', 'counter', 'Unsynced raw events folded into minute buckets', [
    ['', m.disk.foldedEvents],
  ]);
  family('tally_mqtt_connected', 'gauge', '1 while connected to the broker', [['', m.mqttConnected ? 1 : 0]]);
  return `${out.join('\n')}\n`;
}

function esc(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function fmt(n: number): string {
  return Number.isFinite(n) ? String(Math.round(n * 1000) / 1000) : '0';
}
