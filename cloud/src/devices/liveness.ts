import { DEVICE_SILENT_AFTER_MS } from '@tally/proto';

export interface LivenessInput {
  /** The last `status` message (online / offline, the broker's last will), if any. */
  status: string | null;
  statusAt: number | null;
  /** The last message of any kind from the device. */
  lastSeenAt: number | null;
}

export interface Liveness {
  state: 'online' | 'offline';
  /** Since when it is in that state, when known. */
  since: number | null;
  /** Why offline: it said so (or its last will did), it has gone silent, or it never connected. */
  reason: 'disconnected' | 'silent' | 'never_seen' | null;
}

/**
 * Whether a device is talking to the cloud now (pure). A status message alone is not enough: a box refused by the
 * broker after a credential rotation, or cut off without a last will, never says "offline" — so a device silent for
 * longer than `silentAfterMs` is offline too, since its last message.
 */
export function deviceLiveness(
  d: LivenessInput,
  now: number,
  silentAfterMs = DEVICE_SILENT_AFTER_MS,
): Liveness {
  if (d.status === 'offline') return { state: 'offline', since: d.statusAt, reason: 'disconnected' };
  if (d.lastSeenAt === null) return { state: 'offline', since: null, reason: 'never_seen' };
  if (now - d.lastSeenAt > silentAfterMs) return { state: 'offline', since: d.lastSeenAt, reason: 'silent' };
  return { state: 'online', since: d.statusAt ?? d.lastSeenAt, reason: null };
}

/**
 * Whether the device is known to have stopped talking (it said so, or went silent). A device never seen is not:
 * what it sends (e.g. occupancy samples, each with its own time) is judged by its own age.
 */
export function wentQuiet(l: Liveness): boolean {
  return l.reason === 'disconnected' || l.reason === 'silent';
}
