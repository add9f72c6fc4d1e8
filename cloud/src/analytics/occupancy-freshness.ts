import { OCCUPANCY_STALE_AFTER_MS } from '@tally/proto';

/**
 * Whether a zone's latest occupancy sample still says how many are there now (pure). The agent samples every
 * second while it runs, so a sample older than OCCUPANCY_STALE_AFTER_MS, or any sample of a device the cloud
 * considers offline, is the last thing a box said before it went quiet: shown with its age, never as "now".
 */
export function occupancyFreshness(
  lastSampleMs: number | null,
  deviceOnline: boolean,
  now: number,
): { stale: boolean; ageMs: number | null } {
  if (lastSampleMs === null) return { stale: true, ageMs: null };
  const ageMs = Math.max(0, Math.round(now - lastSampleMs));
  return { stale: !deviceOnline || ageMs > OCCUPANCY_STALE_AFTER_MS, ageMs };
}
