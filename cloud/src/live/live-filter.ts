import type { LiveMessage } from '@tally/proto';
import { coversSite, type AuthContext } from '../auth/permissions';
import type { BusEvents } from './bus';

/** Whether a socket of this user (narrowed to `siteIds` when given) may receive an event of this org and site. */
export function mayReceive(
  auth: AuthContext,
  onlySites: ReadonlySet<string> | null,
  orgId: string,
  siteId: string,
) {
  if (orgId !== auth.orgId) return false;
  if (onlySites && !onlySites.has(siteId)) return false;
  return coversSite(auth, siteId);
}

/** Bus events in the live wire shape (proto's LiveMessage). */
export const toLive = {
  counts: (e: BusEvents['counts']): LiveMessage => ({
    type: 'counts',
    siteId: e.siteId,
    ts: Math.max(...e.items.map((i) => i.lastTs)),
    items: e.items.map(({ siteId: _s, ...item }) => item),
  }),
  occupancy: (e: BusEvents['occupancy']): LiveMessage => ({
    type: 'occupancy',
    siteId: e.siteId,
    ts: e.ts,
    deviceId: e.deviceId,
    cameraId: e.cameraId,
    zoneId: e.zoneId,
    counts: e.counts,
  }),
  deviceStatus: (e: BusEvents['deviceStatus']): LiveMessage => ({
    type: 'device_status',
    siteId: e.siteId,
    ts: e.ts,
    deviceId: e.deviceId,
    state: e.state,
  }),
  alert: (e: BusEvents['alert']): LiveMessage => ({
    type: 'alert',
    siteId: e.siteId,
    ts: e.ts,
    alertId: e.alertId,
    ruleId: e.ruleId,
    state: e.state,
    message: e.message,
  }),
};
