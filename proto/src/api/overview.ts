import { Type, type Static } from '@sinclair/typebox';
import { CountTotals } from './analytics';

/** One site on the overview page: today's crossings, occupancy now, the last 24 h, device health, open alerts. */
export const SiteOverview = Type.Object({
  siteId: Type.String(),
  name: Type.String(),
  timezone: Type.String(),
  today: Type.Object({
    from: Type.String({ description: 'Local midnight of today in the site time zone' }),
    crossings: CountTotals,
  }),
  occupancy: Type.Object({
    now: Type.Integer({ description: 'Sum of the zones with a current sample' }),
    staleZones: Type.Integer({ description: 'Zones whose latest sample is stale (box offline or silent)' }),
  }),
  spark: Type.Array(Type.Object({ startMs: Type.Integer(), total: Type.Integer() }), {
    description: 'Line crossings per hour over the last 24 hours (24 points, the last one the current hour)',
  }),
  devices: Type.Object({
    total: Type.Integer(),
    online: Type.Integer(),
    offline: Type.Array(
      Type.Object({
        deviceId: Type.String(),
        name: Type.String(),
        since: Type.Union([Type.String(), Type.Null()]),
        reason: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
    camerasDown: Type.Array(
      Type.Object({ deviceId: Type.String(), cameraId: Type.String(), state: Type.String() }),
      { description: 'Cameras of online devices that are stalled or failed' },
    ),
  }),
  openAlerts: Type.Integer(),
});
export type SiteOverview = Static<typeof SiteOverview>;

/** `GET /api/overview`: every site the user may read, in one call. */
export const Overview = Type.Object({
  generatedAt: Type.String(),
  sites: Type.Array(SiteOverview),
});
export type Overview = Static<typeof Overview>;
