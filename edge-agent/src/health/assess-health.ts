/**
 * The agent's health from its real state, pure: `assessHealth(state, now) → {ok, status, reasons}`.
 *
 * - **Counting** is broken when any enabled camera is `failed` or `stalled` (one camera down is a site that is not
 *   counted: "ok" with 3 of 4 cameras failed would hide it), or when the store cannot write: counts wait in memory
 *   and would be lost with the process.
 * - **Syncing** is broken when the broker refuses the box's credentials, or when counts have waited for the cloud's
 *   acknowledgement longer than `maxSyncAgeMs` (the link is down, or up and never acked).
 * - A camera that is `connecting` or deliberately `stopped` (disabled) is not a failure; a box with no camera yet
 *   (not configured) is not either. Each problem is one reason that names what to look at.
 *
 * `ok` is false (HTTP 503) whenever counting or syncing is broken.
 */
import type { CameraHealth } from '@tally/proto';

export interface HealthState {
  cameras: readonly CameraHealth[];
  store: { failing: boolean; lastError?: string; pendingEvents: number };
  /** Absent: no broker configured (a local-only box), nothing to sync. */
  sync?: {
    connected: boolean;
    /** The broker's refusal of our credentials, while it lasts. */
    refused?: { since: number; message: string; attempts: number };
    /** Events stored but not acknowledged, and since when the oldest has waited (the last ack, or start). */
    backlog: number;
    waitingSince: number;
  };
}

export interface HealthAssessment {
  ok: boolean;
  status: 'ok' | 'failing';
  reasons: string[];
}

/**
 * How long stored counts may wait for the cloud's ack before syncing counts as broken. Shorter: a brief broker
 * restart already shows as unhealthy; longer: an outage is noticed later. Ten minutes outlasts a broker or cloud
 * restart and stays well inside a reporting interval.
 */
export const MAX_SYNC_AGE_MS = 10 * 60_000;

export function assessHealth(
  state: HealthState,
  now: number,
  maxSyncAgeMs = MAX_SYNC_AGE_MS,
): HealthAssessment {
  const reasons = [
    ...cameraReasons(state.cameras),
    ...storeReasons(state.store),
    ...syncReasons(state.sync, now, maxSyncAgeMs),
  ];
  return { ok: reasons.length === 0, status: reasons.length === 0 ? 'ok' : 'failing', reasons };
}

function cameraReasons(cameras: readonly CameraHealth[]): string[] {
  const down = cameras.filter((c) => c.state === 'failed' || c.state === 'stalled');
  return down.map(
    (c) =>
      `camera ${c.cameraId} ${c.state}${c.reason ? `: ${c.reason}` : ''} (${down.length} of ${cameras.length} cameras not counting)`,
  );
}

function storeReasons(store: HealthState['store']): string[] {
  if (!store.failing) return [];
  return [
    `store cannot write${store.lastError ? `: ${store.lastError}` : ''}; ${store.pendingEvents} events held in memory, retrying`,
  ];
}

function syncReasons(sync: HealthState['sync'], now: number, maxSyncAgeMs: number): string[] {
  if (!sync) return [];
  const reasons: string[] = [];
  if (sync.refused) {
    const s = Math.round((now - sync.refused.since) / 1000);
    reasons.push(
      `broker refuses this box (${sync.refused.message}) for ${s} s, ${sync.refused.attempts} attempts; retrying with backoff — check the device's credentials in the cloud`,
    );
  }
  const waited = now - sync.waitingSince;
  if (sync.backlog > 0 && waited > maxSyncAgeMs) {
    reasons.push(
      `${sync.backlog} events not acknowledged by the cloud for ${Math.round(waited / 1000)} s (broker ${sync.connected ? 'connected' : 'disconnected'})`,
    );
  }
  return reasons;
}
