import type { CameraHealth } from '@tally/proto';

export interface CameraStateChange {
  cameraId: string;
  state: CameraHealth['state'];
  reason: string | null;
}

/**
 * The cameras whose state differs between two heartbeats (pure): a camera new in `next` counts as a change, one
 * gone from it does not (a config change removed it). The first heartbeat (`prev` null) records every camera.
 */
export function cameraStateChanges(
  prev: readonly CameraHealth[] | null,
  next: readonly CameraHealth[],
): CameraStateChange[] {
  const before = new Map((prev ?? []).map((c) => [c.cameraId, c.state]));
  return next
    .filter((c) => before.get(c.cameraId) !== c.state)
    .map((c) => ({ cameraId: c.cameraId, state: c.state, reason: c.reason ?? null }));
}
