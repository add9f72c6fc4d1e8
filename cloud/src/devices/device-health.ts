import type { DeviceHealth } from '@tally/proto';
import type { StoredHeartbeat } from '../db/queries/device-health';

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/** A stored heartbeat in the API's shape (pure): per camera state, fps, drops, detector latency; backlog, disk. */
export function toDeviceHealth({ heartbeat: hb, heartbeatAt }: StoredHeartbeat): DeviceHealth {
  return {
    heartbeatAt: heartbeatAt.toISOString(),
    agentVersion: hb.versions.agent,
    modelVersion: hb.versions.model ?? null,
    uptimeS: hb.uptimeS,
    backlog: hb.outbox.backlog,
    lastAckAt: iso(hb.outbox.lastAckAt),
    disk: hb.disk,
    cameras: hb.cameras.map((c) => ({
      cameraId: c.cameraId,
      state: c.state,
      reason: c.reason ?? null,
      fps: c.fps,
      framesProcessed: c.framesProcessed,
      framesDropped: c.framesDropped,
      detectorLatencyMs: c.detectorLatencyMs,
      lastFrameAt: iso(c.lastFrameAt),
    })),
  };
}
