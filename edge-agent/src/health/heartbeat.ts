import { SCHEMA_VERSION, type CameraHealth, type Heartbeat } from '@tally/proto';
import type { DiskUse } from '../store/disk-budget';
import type { OutboxStats } from '../sync/outbox';

export interface HeartbeatInputs {
  deviceId: string;
  now: number;
  startedAt: number;
  agentVersion: string;
  configVersion: number | undefined;
  model: string | undefined;
  outbox: OutboxStats;
  disk: DiskUse;
  cameras: CameraHealth[];
  health?: { ok: boolean; reasons: string[] };
  mqtt?: { refusals: number; lastRefusal?: string };
}

/** The heartbeat message from the agent's current state (pure). */
export function buildHeartbeat(i: HeartbeatInputs): Heartbeat {
  return {
    v: SCHEMA_VERSION,
    deviceId: i.deviceId,
    ts: i.now,
    uptimeS: Math.max(0, Math.round((i.now - i.startedAt) / 100) / 10),
    versions: {
      agent: i.agentVersion,
      schema: SCHEMA_VERSION,
      ...(i.configVersion !== undefined ? { config: i.configVersion } : {}),
      ...(i.model ? { model: i.model.slice(0, 128) } : {}),
    },
    outbox: {
      backlog: i.outbox.backlog,
      lastSeq: i.outbox.lastSeq,
      ackedSeq: i.outbox.ackedSeq,
      ...(i.outbox.lastAckAt !== undefined ? { lastAckAt: i.outbox.lastAckAt } : {}),
      ...(i.outbox.quarantined > 0 ? { quarantined: i.outbox.quarantined } : {}),
    },
    disk: {
      usedBytes: Math.round(i.disk.usedBytes),
      budgetBytes: i.disk.budgetBytes,
      foldedEvents: i.disk.foldedEvents,
    },
    cameras: i.cameras.slice(0, 256),
    ...(i.health
      ? { health: { ok: i.health.ok, reasons: i.health.reasons.slice(0, 32).map((r) => r.slice(0, 500)) } }
      : {}),
    ...(i.mqtt
      ? {
          mqtt: {
            refusals: i.mqtt.refusals,
            ...(i.mqtt.lastRefusal ? { lastRefusal: i.mqtt.lastRefusal.slice(0, 200) } : {}),
          },
        }
      : {}),
  };
}
