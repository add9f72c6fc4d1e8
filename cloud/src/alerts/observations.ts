import type { AlertCondition, CameraHealth } from '@tally/proto';
import type { Observation } from './condition-tracker';

/**
 * Pure: the data an alert rule looks at, turned into one observation per subject. The adapter (observe.ts) reads
 * the data; these functions decide what holds.
 */
export interface DeviceRow {
  deviceId: string;
  status: string | null;
  statusAt: number | null;
  lastSeenAt: number | null;
}

export function deviceOffline(
  devices: readonly DeviceRow[],
  now: number,
  forMs: number,
): Map<string, Observation> {
  const out = new Map<string, Observation>();
  for (const d of devices) {
    if (d.status === 'offline') {
      out.set(d.deviceId, { holds: true, since: d.statusAt ?? now, detail: `${d.deviceId} is offline` });
    } else if (d.lastSeenAt !== null && now - d.lastSeenAt >= Math.max(forMs, 60_000)) {
      // Online by its last status but silent: a dead link without a last will (e.g. a NAT timeout).
      out.set(d.deviceId, {
        holds: true,
        since: d.lastSeenAt,
        detail: `${d.deviceId} silent since its last message`,
      });
    } else {
      out.set(d.deviceId, { holds: false, detail: `${d.deviceId} is online` });
    }
  }
  return out;
}

export function cameraStalled(
  heartbeats: readonly { deviceId: string; ts: number; cameras: CameraHealth[] }[],
): Map<string, Observation> {
  const out = new Map<string, Observation>();
  for (const hb of heartbeats) {
    for (const c of hb.cameras) {
      const subject = `${hb.deviceId}/${c.cameraId}`;
      const down = c.state === 'stalled' || c.state === 'failed';
      out.set(subject, {
        holds: down,
        ...(down ? { since: c.lastFrameAt ?? hb.ts } : {}),
        detail: `camera ${subject} is ${c.state}${c.reason ? ` (${c.reason})` : ''}`,
      });
    }
  }
  return out;
}

/**
 * Occupancy over a limit, from each zone's latest sample. A stale sample (its box offline or silent) says nothing
 * about now, so it is left out: an alert never keeps firing on the last value an offline box sent.
 */
export function occupancyAbove(
  zones: readonly { zoneId: string; count: number; stale?: boolean }[],
  condition: Extract<AlertCondition, { kind: 'occupancy_above' }>,
): Map<string, Observation> {
  const relevant = condition.zoneId ? zones.filter((z) => z.zoneId === condition.zoneId) : zones;
  const fresh = relevant.filter((z) => !z.stale);
  const count = fresh.reduce((n, z) => n + z.count, 0);
  const subject = condition.zoneId ?? '';
  const where = condition.zoneId ? `zone ${condition.zoneId}` : 'the site';
  const unknown = relevant.length > 0 && fresh.length === 0;
  return new Map([
    [
      subject,
      {
        holds: count > condition.threshold,
        detail: unknown
          ? `occupancy of ${where} is unknown: no current sample (device offline or silent)`
          : `occupancy of ${where} is ${count} (limit ${condition.threshold})`,
      },
    ],
  ]);
}

export function countThreshold(
  count: number,
  condition: Extract<AlertCondition, { kind: 'count_above' | 'count_below' }>,
): Map<string, Observation> {
  const holds = condition.kind === 'count_above' ? count > condition.threshold : count < condition.threshold;
  const word = condition.kind === 'count_above' ? 'above' : 'below';
  return new Map([
    [
      '',
      {
        holds,
        detail: `${count} counted in the last ${condition.periodMinutes} min (alert ${word} ${condition.threshold})`,
      },
    ],
  ]);
}
