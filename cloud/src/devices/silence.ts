import { deviceLiveness } from './liveness';

export interface SilenceRow {
  deviceId: string;
  status: string | null;
  statusAt: number | null;
  lastSeenAt: number | null;
  /** The latest device-level entry of its history, if any. */
  lastState: string | null;
  lastReason: string | null;
}

export interface SilenceTransition {
  deviceId: string;
  state: 'online' | 'offline';
  reason: 'silent' | 'resumed';
  at: number;
}

/**
 * The transitions a silent box never announces itself (pure): a device whose liveness says silent while its
 * history still says online goes offline (at its last message); one marked offline for silence that talks again
 * comes back online. Status messages record their own transitions at ingest.
 */
export function silenceTransitions(rows: readonly SilenceRow[], now: number): SilenceTransition[] {
  const out: SilenceTransition[] = [];
  for (const r of rows) {
    const live = deviceLiveness(r, now);
    if (live.reason === 'silent' && r.lastState !== 'offline') {
      out.push({ deviceId: r.deviceId, state: 'offline', reason: 'silent', at: r.lastSeenAt! });
    } else if (live.state === 'online' && r.lastState === 'offline' && r.lastReason === 'silent') {
      out.push({ deviceId: r.deviceId, state: 'online', reason: 'resumed', at: r.lastSeenAt! });
    }
  }
  return out;
}
